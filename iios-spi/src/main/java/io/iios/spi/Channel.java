package io.iios.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * The portable grammar of channels and keys, the same on every transport.
 *
 * <ul>
 *   <li>A name is one or more <em>segments</em> joined by {@code ':'}, e.g. {@code iios:bob:event:coucou}.
 *       A segment is non-empty, never contains {@code ':'}, and is never exactly {@code *} or {@code >};
 *       any other character is allowed and transports must escape what their broker forbids
 *       (see {@link SegmentEscaper}).</li>
 *   <li>A <em>pattern</em> may use two wildcards, each a whole segment: {@code *} matches exactly one
 *       segment, {@code >} matches one or more trailing segments and may only be last.</li>
 * </ul>
 *
 * <p>Each transport maps the grammar to its broker (NATS {@code . * >}, MQTT {@code / + #}, Redis glob
 * plus an exact re-check with {@link #matches(String, String)}); the TCK checks the mapping.
 */
public final class Channel {
    /** Separator between segments. */
    public static final char SEPARATOR = ':';
    /** Wildcard for exactly one segment. */
    public static final String ONE = "*";
    /** Wildcard for one or more trailing segments. */
    public static final String TAIL = ">";

    private Channel() {
    }

    /** Joins segments with {@link #SEPARATOR}; each segment must be valid. */
    public static String join(String... segments) {
        if (segments.length == 0) {
            throw new IllegalArgumentException("a channel needs at least one segment");
        }
        StringBuilder sb = new StringBuilder();
        for (String s : segments) {
            if (!sb.isEmpty()) {
                sb.append(SEPARATOR);
            }
            sb.append(s);
        }
        return sb.toString();
    }

    /** Splits a channel or pattern into its segments (no validation). */
    public static List<String> segments(String name) {
        List<String> out = new ArrayList<>(6);
        int start = 0;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == SEPARATOR) {
                out.add(name.substring(start, i));
                start = i + 1;
            }
        }
        out.add(name.substring(start));
        return out;
    }

    /** True when the name contains a wildcard segment. */
    public static boolean isPattern(String name) {
        int start = 0;
        int n = name.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || name.charAt(i) == SEPARATOR) {
                if (i - start == 1) {
                    char c = name.charAt(start);
                    if (c == '*' || c == '>') {
                        return true;
                    }
                }
                start = i + 1;
            }
        }
        return false;
    }

    /**
     * Checks a concrete channel (or key): non-empty segments, no wildcard.
     *
     * @throws IllegalArgumentException naming the channel and what is wrong
     */
    public static String requireChannel(String channel) {
        check(channel, false);
        return channel;
    }

    /**
     * Checks a pattern: non-empty segments, wildcards only as whole segments, {@code >} only last.
     *
     * @throws IllegalArgumentException naming the pattern and what is wrong
     */
    public static String requirePattern(String pattern) {
        check(pattern, true);
        return pattern;
    }

    /** Checks one segment: non-empty, no separator, not a wildcard. */
    public static String requireSegment(String segment, String what) {
        if (segment.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (segment.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException(what + " '" + segment + "' must not contain ':'");
        }
        if (segment.equals(ONE) || segment.equals(TAIL)) {
            throw new IllegalArgumentException(what + " must not be the wildcard '" + segment + "'");
        }
        return segment;
    }

    private static void check(String name, boolean pattern) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a " + (pattern ? "pattern" : "channel") + " must not be empty");
        }
        int start = 0;
        int n = name.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || name.charAt(i) == SEPARATOR) {
                int len = i - start;
                if (len == 0) {
                    throw new IllegalArgumentException("'" + name + "' has an empty segment");
                }
                if (len == 1) {
                    char c = name.charAt(start);
                    if (c == '*' || c == '>') {
                        if (!pattern) {
                            throw new IllegalArgumentException("channel '" + name
                                    + "' contains the wildcard '" + c + "'; only subscriptions take patterns");
                        }
                        if (c == '>' && i != n) {
                            throw new IllegalArgumentException("pattern '" + name + "': '>' must be the last segment");
                        }
                    }
                }
                start = i + 1;
            }
        }
    }

    /**
     * Whether a concrete channel matches a pattern (a concrete pattern matches only itself).
     * Allocation-free; transports use it to re-check what a looser broker match delivered.
     */
    public static boolean matches(String pattern, String channel) {
        int p = 0;
        int c = 0;
        int pn = pattern.length();
        int cn = channel.length();
        boolean channelLeft = true;
        while (true) {
            int pe = pattern.indexOf(SEPARATOR, p);
            if (pe < 0) {
                pe = pn;
            }
            int plen = pe - p;
            if (plen == 1 && pattern.charAt(p) == '>') {
                return channelLeft;
            }
            if (!channelLeft) {
                return false;
            }
            int ce = channel.indexOf(SEPARATOR, c);
            if (ce < 0) {
                ce = cn;
            }
            boolean one = plen == 1 && pattern.charAt(p) == '*';
            if (!one && (plen != ce - c || !pattern.regionMatches(p, channel, c, plen))) {
                return false;
            }
            if (pe == pn) {
                return ce == cn;
            }
            p = pe + 1;
            if (ce == cn) {
                channelLeft = false;
            } else {
                c = ce + 1;
            }
        }
    }
}
