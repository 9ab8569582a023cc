package io.iios.transport.nats.internal;

import io.iios.spi.Channel;
import io.iios.spi.SegmentEscaper;
import java.nio.charset.StandardCharsets;

/**
 * Maps the portable grammar to NATS.
 *
 * <p>Subjects: {@code :} becomes {@code .}, the wildcards {@code *} and {@code >} stay (their NATS meaning is
 * the grammar's), and inside a segment {@code .}, {@code *}, {@code >}, whitespace, control characters and
 * {@code %} are escaped {@code %HH} ({@link SegmentEscaper}).
 *
 * <p>KV keys allow only {@code [-/_=.a-zA-Z0-9]}, with {@code .} separating tokens, and {@code %} is not among
 * them: {@code :} becomes {@code .}, and every UTF-8 byte of a segment outside {@code [-/_a-zA-Z0-9]}
 * (so also {@code .} and {@code =}) becomes {@code =HH}.
 */
public final class NatsNames {
    static final SegmentEscaper SUBJECT = SegmentEscaper.forbidding(".*> ").withControlCharacters();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private NatsNames() {
    }

    /** Channel or pattern to subject. */
    public static String toSubject(String name) {
        int n = name.length();
        boolean plain = true;
        for (int i = 0; i < n && plain; i++) {
            char c = name.charAt(i);
            if (c == '.' || c == '%' || c <= ' ' || c == 0x7F) {
                plain = false;
            } else if ((c == '*' || c == '>') && !wholeSegment(name, i)) {
                plain = false;
            }
        }
        if (plain) {
            return name.replace(Channel.SEPARATOR, '.');
        }
        StringBuilder sb = new StringBuilder(n + 8);
        for (String seg : Channel.segments(name)) {
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            sb.append(seg.equals(Channel.ONE) || seg.equals(Channel.TAIL) ? seg : SUBJECT.escape(seg));
        }
        return sb.toString();
    }

    private static boolean wholeSegment(String name, int i) {
        return (i == 0 || name.charAt(i - 1) == ':') && (i == name.length() - 1 || name.charAt(i + 1) == ':');
    }

    /** Subject back to channel. */
    public static String fromSubject(String subject) {
        if (subject.indexOf('%') < 0) {
            return subject.replace('.', Channel.SEPARATOR);
        }
        StringBuilder sb = new StringBuilder(subject.length());
        int start = 0;
        for (int i = 0; i <= subject.length(); i++) {
            if (i == subject.length() || subject.charAt(i) == '.') {
                if (start > 0) {
                    sb.append(Channel.SEPARATOR);
                }
                sb.append(SUBJECT.unescape(subject.substring(start, i)));
                start = i + 1;
            }
        }
        return sb.toString();
    }

    /** A key of the grammar to a KV key. */
    public static String toKey(String key) {
        StringBuilder sb = new StringBuilder(key.length() + 8);
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        for (byte b : utf8) {
            int c = b & 0xFF;
            if (c == Channel.SEPARATOR) {
                sb.append('.');
            } else if (keyChar(c)) {
                sb.append((char) c);
            } else {
                sb.append('=').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return sb.toString();
    }

    /** A string prefix of a key, as the (possibly partial) KV key prefix it maps to. */
    public static String toKeyPrefix(String prefix) {
        return toKey(prefix);
    }

    private static boolean keyChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '/';
    }

    /**
     * A KV key back to the grammar.
     *
     * @throws IllegalArgumentException for a key this mapping cannot have produced
     */
    public static String fromKey(String kvKey) {
        byte[] out = new byte[kvKey.length()];
        int o = 0;
        for (int i = 0; i < kvKey.length(); i++) {
            char c = kvKey.charAt(i);
            if (c == '.') {
                out[o++] = ':';
            } else if (c == '=') {
                if (i + 2 >= kvKey.length()) {
                    throw new IllegalArgumentException("truncated escape in KV key '" + kvKey + "'");
                }
                int hi = Character.digit(kvKey.charAt(i + 1), 16);
                int lo = Character.digit(kvKey.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad escape in KV key '" + kvKey + "'");
                }
                out[o++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c < 128) {
                out[o++] = (byte) c;
            } else {
                throw new IllegalArgumentException("non-ASCII KV key '" + kvKey + "'");
            }
        }
        return new String(out, 0, o, StandardCharsets.UTF_8);
    }

    /** The bucket of a namespace: {@code iios-NAMESPACE} (bucket names allow {@code [-_a-zA-Z0-9]}). */
    public static String bucket(String namespace) {
        for (int i = 0; i < namespace.length(); i++) {
            char c = namespace.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                throw new io.iios.spi.TransportException("namespace '" + namespace
                        + "' cannot name a NATS KV bucket: use letters, digits, '_' and '-' only");
            }
        }
        return "iios-" + namespace;
    }
}
