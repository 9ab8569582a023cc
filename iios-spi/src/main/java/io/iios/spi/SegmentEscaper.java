package io.iios.spi;

import java.util.BitSet;

/**
 * Reversible escaping of the characters a broker forbids inside a segment.
 *
 * <p>A forbidden character (and {@code '%'} itself) becomes {@code %HH}, its code in two upper-case
 * hex digits; everything else is kept. {@link #unescape(String)} is the exact inverse, so a segment
 * round-trips through any broker. Only ASCII characters can be declared forbidden.
 *
 * <pre>{@code
 * SegmentEscaper nats = SegmentEscaper.forbidding(".*> ").withControlCharacters();
 * nats.escape("a.b") // "a%2Eb"
 * }</pre>
 */
public final class SegmentEscaper {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private final BitSet forbidden;
    private final BitSet forbiddenLeading;

    private SegmentEscaper(BitSet forbidden, BitSet forbiddenLeading) {
        this.forbidden = forbidden;
        this.forbiddenLeading = forbiddenLeading;
    }

    /** An escaper for the given forbidden ASCII characters (plus {@code '%'}, always escaped). */
    public static SegmentEscaper forbidding(String chars) {
        BitSet set = new BitSet(128);
        set.set('%');
        for (int i = 0; i < chars.length(); i++) {
            char ch = chars.charAt(i);
            if (ch > 127) {
                throw new IllegalArgumentException("only ASCII characters can be forbidden, got U+"
                        + Integer.toHexString(ch));
            }
            set.set(ch);
        }
        return new SegmentEscaper(set, new BitSet(128));
    }

    /** Also escapes ASCII control characters (0x00–0x1F, 0x7F). */
    public SegmentEscaper withControlCharacters() {
        BitSet set = (BitSet) forbidden.clone();
        set.set(0, 0x20);
        set.set(0x7F);
        return new SegmentEscaper(set, forbiddenLeading);
    }

    /** Also escapes these characters when they start a segment (MQTT's leading {@code $}). */
    public SegmentEscaper withForbiddenLeading(String chars) {
        BitSet set = (BitSet) forbiddenLeading.clone();
        for (int i = 0; i < chars.length(); i++) {
            set.set(chars.charAt(i));
        }
        return new SegmentEscaper(forbidden, set);
    }

    /** True when the character is escaped at this position of a segment. */
    public boolean isForbidden(char ch, boolean leading) {
        return ch < 128 && (forbidden.get(ch) || (leading && forbiddenLeading.get(ch)));
    }

    /** Escapes one segment; returns the same instance when nothing needs escaping. */
    public String escape(String segment) {
        int n = segment.length();
        int i = 0;
        while (i < n && !isForbidden(segment.charAt(i), i == 0)) {
            i++;
        }
        if (i == n) {
            return segment;
        }
        StringBuilder sb = new StringBuilder(n + 8).append(segment, 0, i);
        for (; i < n; i++) {
            char ch = segment.charAt(i);
            if (isForbidden(ch, i == 0)) {
                sb.append('%').append(HEX[ch >> 4]).append(HEX[ch & 0xF]);
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /**
     * Reverses {@link #escape(String)}.
     *
     * @throws IllegalArgumentException when a {@code '%'} is not followed by two hex digits
     */
    public String unescape(String segment) {
        int i = segment.indexOf('%');
        if (i < 0) {
            return segment;
        }
        StringBuilder sb = new StringBuilder(segment.length()).append(segment, 0, i);
        int n = segment.length();
        while (i < n) {
            char ch = segment.charAt(i);
            if (ch == '%') {
                if (i + 2 >= n) {
                    throw new IllegalArgumentException("truncated escape in segment '" + segment + "'");
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad escape '%" + segment.substring(i + 1, i + 3)
                            + "' in segment '" + segment + "'");
                }
                sb.append((char) (hi << 4 | lo));
                i += 3;
            } else {
                sb.append(ch);
                i++;
            }
        }
        return sb.toString();
    }
}
