package io.iios.transport.redis.internal;

import io.iios.spi.Channel;
import io.iios.spi.SegmentEscaper;
import java.nio.charset.StandardCharsets;

/**
 * How grammar names map to Redis names. {@code ':'} is kept (Redis's own separator); the glob
 * characters {@code * ? [ ] \} (and {@code %}) are escaped as {@code %HH} in every key and channel, so
 * that a prefix or a segment can be put into a SCAN/PSUBSCRIBE glob literally.
 */
final class RedisNames {
    static final SegmentEscaper ESCAPER = SegmentEscaper.forbidding("*?[]\\");

    private RedisNames() {
    }

    /** A key or channel as stored on Redis (escaping is per character, so it is also prefix-safe). */
    static String toRedis(String name) {
        return ESCAPER.escape(name);
    }

    static byte[] bytes(String redisName) {
        return redisName.getBytes(StandardCharsets.UTF_8);
    }

    static String fromRedis(byte[] redisName) {
        return ESCAPER.unescape(new String(redisName, StandardCharsets.UTF_8));
    }

    static String fromRedis(String redisName) {
        return ESCAPER.unescape(redisName);
    }

    /**
     * A Redis glob that matches at least every channel of a grammar pattern: {@code *} and {@code >}
     * become {@code *} (which also crosses {@code ':'}, hence the exact re-check on delivery).
     */
    static String glob(String pattern) {
        StringBuilder sb = new StringBuilder(pattern.length() + 4);
        for (String seg : Channel.segments(pattern)) {
            if (!sb.isEmpty()) {
                sb.append(Channel.SEPARATOR);
            }
            sb.append(seg.equals(Channel.ONE) || seg.equals(Channel.TAIL) ? "*" : ESCAPER.escape(seg));
        }
        return sb.toString();
    }

    /** A glob matching every escaped name that starts with the (unescaped) prefix. */
    static String prefixGlob(String prefix) {
        return ESCAPER.escape(prefix) + "*";
    }
}
