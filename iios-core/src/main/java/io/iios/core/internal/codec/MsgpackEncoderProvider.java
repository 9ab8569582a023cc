package io.iios.core.internal.codec;

import io.iios.spi.Encoder;
import io.iios.spi.EncoderProvider;
import java.io.IOException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** {@code iios.encoder=msgpack}: MessagePack, smaller than JSON and binary-native for byte arrays. */
public final class MsgpackEncoderProvider implements EncoderProvider {
    private static final Encoder INSTANCE = new JacksonEncoder("msgpack", new MessagePackFactory(),
            MsgpackEncoderProvider::checkStructure);

    @Override
    public String name() {
        return "msgpack";
    }

    @Override
    public Encoder create() {
        return INSTANCE;
    }

    /**
     * Walks the message without materialising it: a string, binary or ext header claiming more bytes
     * than the message holds fails here, before Jackson would allocate an array of the claimed size
     * (6 bytes of garbage could otherwise ask for 2 GB).
     */
    static void checkStructure(byte[] bytes) {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            unpacker.skipValue();
        } catch (IOException | MessagePackException e) {
            throw new IllegalArgumentException("not a complete MessagePack value: " + e.getMessage(), e);
        }
    }
}
