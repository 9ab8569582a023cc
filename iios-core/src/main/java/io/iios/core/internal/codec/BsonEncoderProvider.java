package io.iios.core.internal.codec;

import io.iios.spi.Encoder;
import io.iios.spi.EncoderProvider;

/**
 * {@code iios.encoder=bson}: BSON documents, the Node IIOS 2.x {@code bson} encoder's format. Chosen by
 * {@code Iios} directly, not listed for ServiceLoader: BSON cannot carry every value of the generic model
 * (a NUL in a map key, integers beyond 64 bits), so it is an interop encoder, not one for every use.
 */
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
