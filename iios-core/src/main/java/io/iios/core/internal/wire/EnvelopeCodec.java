package io.iios.core.internal.wire;

import io.iios.spi.Encoder;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link Encoder} implements when it can write and read the request and reply envelopes of wire v1
 * directly, without building a {@link Map} first (core's Jackson encoders). The bytes are exactly those of
 * the encoder's {@code encode(request.toMap())}, so nodes and encoders without this capability read them.
 * Signed envelopes (with {@code iios.security.key}) and node-v2 keep the map path.
 */
public interface EnvelopeCodec {

    /** The bytes of {@code encode(request.toMap())}; throws {@link io.iios.spi.EncodingException}. */
    byte[] encodeRequest(Wire.Request request);

    /** The bytes of {@code encode(reply.toMap())}; throws {@link io.iios.spi.EncodingException}. */
    byte[] encodeReply(Wire.Reply reply);

    /**
     * The envelope in {@code bytes}, for {@link Wire.Request#from} or {@link Wire.Reply#from}: fails as
     * {@code Wire.asMap(decode(bytes))} would (an {@link io.iios.spi.EncodingException} for bytes that do not
     * decode, a {@link Wire.MalformedMessage} for a value that is not an object).
     */
    Map<?, ?> decodeEnvelope(byte[] bytes);

    /**
     * The codec to use for calls, or null for the map path: the encoder has the capability, the protocol is
     * native and envelopes are not signed.
     */
    static @Nullable EnvelopeCodec of(Encoder encoder, Protocol protocol, boolean signed) {
        return encoder instanceof EnvelopeCodec c && protocol instanceof NativeProtocol && !signed ? c : null;
    }
}
