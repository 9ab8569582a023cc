package io.iios.core.internal.codec;

import io.iios.spi.Encoder;
import io.iios.spi.EncoderProvider;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** {@code iios.encoder=msgpack}: MessagePack, smaller than JSON and binary-native for byte arrays. */
public final class MsgpackEncoderProvider implements EncoderProvider {
    private static final Encoder INSTANCE = new JacksonEncoder("msgpack", new MessagePackFactory(),
            MsgpackEncoderProvider::structureProblem);

    @Override
    public String name() {
        return "msgpack";
    }

    @Override
    public Encoder create() {
        return INSTANCE;
    }

    /**
     * Walks the message once without allocating payloads. The msgpack parser allocates a string or binary
     * of the declared length before reading it, so a few bytes announcing a 2 GiB string would exhaust the
     * heap; such a message, a cut one and bytes after the value are refused here.
     */
    static @Nullable String structureProblem(byte[] bytes) {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            unpacker.skipValue();
            return unpacker.hasNext()
                    ? (bytes.length - unpacker.getTotalReadBytes()) + " unexpected bytes after the value" : null;
        } catch (IOException | RuntimeException e) {
            return "not a complete MessagePack value (" + e.getMessage() + ")";
        }
    }
}
