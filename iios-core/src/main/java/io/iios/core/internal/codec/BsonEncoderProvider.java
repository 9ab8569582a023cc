package io.iios.core.internal.codec;

import io.iios.spi.Encoder;
import io.iios.spi.EncoderProvider;

/** {@code iios.encoder=bson}: BSON documents, the Node IIOS 2.x {@code bson} encoder's format. */
public final class BsonEncoderProvider implements EncoderProvider {
    private static final Encoder INSTANCE = new BsonEncoder();

    @Override
    public String name() {
        return "bson";
    }

    @Override
    public Encoder create() {
        return INSTANCE;
    }
}
