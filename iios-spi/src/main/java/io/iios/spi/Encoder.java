package io.iios.spi;

import java.lang.reflect.Type;
import org.jspecify.annotations.Nullable;

/**
 * Turns values into bytes and back. Implementations must be thread-safe and stateless per call.
 *
 * <p>The value model every encoder must round-trip: {@code null}, {@link Boolean}, {@link String},
 * integral numbers (decoded as {@link Integer} when they fit, else {@link Long}, else
 * {@link java.math.BigInteger}), floating numbers (decoded as {@link Double}), {@code byte[]},
 * {@link java.util.List} and {@link java.util.Map} with string keys, nested freely, and records or
 * beans the encoder can map (decoded as maps unless a target type is given).
 */
public interface Encoder {

    /** The name used by {@code iios.encoder}, e.g. {@code json} or {@code msgpack}. */
    String name();

    /**
     * Encodes a value.
     *
     * @throws EncodingException when the value cannot be represented
     */
    byte[] encode(@Nullable Object value);

    /**
     * Decodes bytes into the generic value model (maps, lists, strings, numbers, booleans, byte
     * arrays, null).
     *
     * @throws EncodingException with a clear message for bytes that are not a valid encoding;
     *     it must never throw anything else for garbage input
     */
    default @Nullable Object decode(byte[] bytes) {
        return decode(bytes, Object.class);
    }

    /**
     * Decodes bytes into a target type (a class, or a parameterized type such as {@code List<Foo>}).
     *
     * @throws EncodingException when the bytes are invalid or do not fit the type
     */
    @Nullable Object decode(byte[] bytes, Type type);

    /** Typed convenience for {@link #decode(byte[], Type)}. */
    @SuppressWarnings("unchecked")
    default <T> @Nullable T decode(byte[] bytes, Class<T> type) {
        return (T) decode(bytes, (Type) type);
    }

    /**
     * Converts a value of the generic model (as returned by {@link #decode(byte[])}) to a target
     * type, with the same rules as decoding it would have used.
     *
     * @throws EncodingException when the value does not fit the type
     */
    @Nullable Object convert(@Nullable Object value, Type type);
}
