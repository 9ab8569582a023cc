package io.iios.core.internal.codec;

import io.iios.spi.Encoder;
import io.iios.spi.EncoderProvider;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** {@code iios.encoder=msgpack}: MessagePack, smaller than JSON and binary-native for byte arrays. */
public final class MsgpackEncoderProvider implements EncoderProvider {
    private static final Encoder INSTANCE = new JacksonEncoder("msgpack", new MessagePackFactory());

    @Override
    public String name() {
        return "msgpack";
    }

    @Override
    public Encoder create() {
        return INSTANCE;
    }
}
