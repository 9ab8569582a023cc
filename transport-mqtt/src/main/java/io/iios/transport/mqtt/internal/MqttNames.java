package io.iios.transport.mqtt.internal;

import io.iios.spi.Channel;
import io.iios.spi.SegmentEscaper;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The channel grammar on MQTT topics: segments become topic levels joined by {@code /}, {@code *} becomes
 * {@code +} and {@code >} becomes {@code #}. MQTT's reserved characters ({@code / + #}, a leading {@code $},
 * NUL and the other control characters Mosquitto refuses, including the C1 range U+0080–U+009F) are escaped
 * as {@code %HH} with {@link SegmentEscaper}; {@code %} itself always is, so a topic level that starts with a
 * raw {@code %} not followed by two hex digits (such as {@link #KV_LEVEL}) can never come from a channel, and
 * a topic that is not the canonical escape of a channel is not delivered as one.
 *
 * <p>A KV key {@code ns:a:b} is the retained topic {@code ns/%kv/a/b}: its first segment (the namespace), the
 * KV level, then the other segments.
 */
final class MqttNames {
    static final SegmentEscaper ESCAPER = SegmentEscaper.forbidding("/+#").withControlCharacters()
            .withForbiddenLeading("$");
    /** Second topic level of every KV key; unreachable for channels since '%' is always escaped. */
    static final String KV_LEVEL = "%kv";
    /** Second topic level of each connection's fence topic. */
    static final String FENCE_LEVEL = "%_fence";

    private MqttNames() {
    }

    /** Escapes one segment for a topic level. */
    static String escape(String segment) {
        String s = ESCAPER.escape(segment);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 0x80 && c <= 0x9F) || isNonCharacter(c)) {
                return escapeUnicode(s);
            }
        }
        return s;
    }

    private static boolean isNonCharacter(char c) {
        return (c >= 0xFDD0 && c <= 0xFDEF) || c == 0xFFFE || c == 0xFFFF;
    }

    private static String escapeUnicode(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 && c <= 0x9F) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            } else if (isNonCharacter(c)) {
                throw new IllegalArgumentException("segment '" + s + "' contains the Unicode noncharacter U+"
                        + Integer.toHexString(c).toUpperCase() + ", which MQTT topics must not carry");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The topic of a concrete channel. */
    static String topic(String channel) {
        List<String> segs = Channel.segments(Channel.requireChannel(channel));
        StringBuilder sb = new StringBuilder(channel.length() + 8);
        for (String s : segs) {
            if (!sb.isEmpty()) {
                sb.append('/');
            }
            sb.append(escape(s));
        }
        return sb.toString();
    }

    /** The topic filter of a pattern (or of a concrete channel). */
    static String filter(String pattern) {
        List<String> segs = Channel.segments(Channel.requirePattern(pattern));
        StringBuilder sb = new StringBuilder(pattern.length() + 8);
        for (String s : segs) {
            if (!sb.isEmpty()) {
                sb.append('/');
            }
            sb.append(s.equals(Channel.ONE) ? "+" : s.equals(Channel.TAIL) ? "#" : escape(s));
        }
        return sb.toString();
    }

    /** The channel of a topic, or null when the topic cannot be one of ours (KV, fence, foreign). */
    static @Nullable String channel(String topic) {
        StringBuilder sb = new StringBuilder(topic.length());
        int start = 0;
        int n = topic.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || topic.charAt(i) == '/') {
                if (i == start) {
                    return null;
                }
                String level = topic.substring(start, i);
                String seg;
                try {
                    seg = ESCAPER.unescape(level);
                } catch (IllegalArgumentException notOurs) {
                    return null;
                }
                if (seg.indexOf(Channel.SEPARATOR) >= 0 || seg.equals(Channel.ONE) || seg.equals(Channel.TAIL)
                        || !escape(seg).equals(level)) {
                    return null; // not the canonical escape of any segment: a foreign or internal topic
                }
                if (!sb.isEmpty()) {
                    sb.append(Channel.SEPARATOR);
                }
                sb.append(seg);
                start = i + 1;
            }
        }
        return sb.toString();
    }

    /** The retained topic of a KV key. */
    static String keyTopic(String key) {
        List<String> segs = Channel.segments(Channel.requireChannel(key));
        StringBuilder sb = new StringBuilder(key.length() + 8).append(escape(segs.get(0))).append('/').append(KV_LEVEL);
        for (int i = 1; i < segs.size(); i++) {
            sb.append('/').append(escape(segs.get(i)));
        }
        return sb.toString();
    }

    /** The KV key of a retained topic, or null when it is not one. */
    static @Nullable String key(String topic) {
        int slash = topic.indexOf('/');
        if (slash <= 0 || !topic.startsWith(KV_LEVEL, slash + 1)) {
            return null;
        }
        int after = slash + 1 + KV_LEVEL.length();
        if (after == topic.length()) {
            return channel(topic.substring(0, slash));
        }
        if (topic.charAt(after) != '/') {
            return null;
        }
        return channel(topic.substring(0, slash) + topic.substring(after));
    }

    /**
     * The root of the KV subscription that covers a key prefix: its first segment escaped when the prefix
     * contains a complete first segment, else {@code +} (every namespace).
     */
    static String kvRoot(String prefix) {
        int colon = prefix.indexOf(Channel.SEPARATOR);
        if (colon <= 0) {
            return "+";
        }
        return escape(prefix.substring(0, colon));
    }

    /** The wildcard filter of every key under a root from {@link #kvRoot}. */
    static String kvFilter(String root) {
        return root + "/" + KV_LEVEL + "/#";
    }

    /** The root of a key (its first segment, escaped). */
    static String keyRoot(String key) {
        int colon = key.indexOf(Channel.SEPARATOR);
        return escape(colon < 0 ? key : key.substring(0, colon));
    }

    /** The shared-subscription filter of a group. */
    static String shared(String group, String filter) {
        return "$share/" + escape(Channel.requireSegment(group, "group")) + "/" + filter;
    }

    /** MQTT topic-filter matching ({@code +}, {@code #}), for brokers that send no subscription identifiers. */
    static boolean mqttMatches(String filter, String topic) {
        if (filter.startsWith("$share/")) {
            int s = filter.indexOf('/', 7);
            filter = s < 0 ? filter : filter.substring(s + 1);
        }
        int f = 0;
        int t = 0;
        int fn = filter.length();
        int tn = topic.length();
        while (true) {
            int fe = filter.indexOf('/', f);
            if (fe < 0) {
                fe = fn;
            }
            String level = filter.substring(f, fe);
            if (level.equals("#")) {
                return true;
            }
            if (t > tn) {
                return false;
            }
            int te = topic.indexOf('/', t);
            if (te < 0) {
                te = tn;
            }
            if (!level.equals("+") && !level.equals(topic.substring(t, te))) {
                return false;
            }
            if (fe == fn) {
                return te == tn;
            }
            f = fe + 1;
            t = te + 1;
            if (te == tn) {
                // topic exhausted: only a trailing '#' can still match (zero levels)
                return filter.substring(f).equals("#");
            }
        }
    }
}
