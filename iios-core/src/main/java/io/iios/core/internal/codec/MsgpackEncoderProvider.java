package io.iios.core.internal.codec;

import io.iios.spi.Encoder;
import io.iios.spi.EncoderProvider;
import java.io.IOException;
<<<<<<< HEAD
import org.jspecify.annotations.Nullable;
import org.msgpack.core.MessagePack;
=======
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
>>>>>>> tck
import org.msgpack.core.MessageUnpacker;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** {@code iios.encoder=msgpack}: MessagePack, smaller than JSON and binary-native for byte arrays. */
public final class MsgpackEncoderProvider implements EncoderProvider {
    private static final Encoder INSTANCE = new JacksonEncoder("msgpack", new MessagePackFactory(),
<<<<<<< HEAD
            MsgpackEncoderProvider::structureProblem);
=======
            MsgpackEncoderProvider::checkStructure);
>>>>>>> tck

    @Override
    public String name() {
        return "msgpack";
    }

    @Override
    public Encoder create() {
        return INSTANCE;
    }

    /**
<<<<<<< HEAD
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
=======
     * Walks the message without materialising it: a string, binary or ext header claiming more bytes
     * than the message holds fails here, before Jackson would allocate an array of the claimed size
     * (6 bytes of garbage could otherwise ask for 2 GB).
     */
    static void checkStructure(byte[] bytes) {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            unpacker.skipValue();
        } catch (IOException | MessagePackException e) {
            throw new IllegalArgumentException("not a complete MessagePack value: " + e.getMessage(), e);
>>>>>>> tck
        }
    }
}
