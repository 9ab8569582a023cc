package io.iios.core.internal.codec;

import com.fasterxml.jackson.core.io.NumberOutput;
import io.iios.core.internal.wire.EnvelopeFields;
import io.iios.core.internal.wire.Wire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The common JSON call envelope written and read without a Jackson generator or parser: setting one up and
 * recycling its buffers cost more than the few bytes of a typical request or reply (docs/performance.md,
 * "JSON envelopes without a generator or parser").
 *
 * <p>It covers a strict subset of what Jackson writes and reads, with the same bytes and values: printable
 * ASCII strings with nothing to escape, integers that fit a {@code long}, booleans, null, and arrays of
 * these; no whitespace. Anything else — a float, an object, an escape, a non-ASCII character, a malformed
 * byte — makes it answer {@code null}, and {@link JacksonEncoder} does the whole envelope with Jackson, so
 * errors keep Jackson's words.
 */
final class JsonEnvelopeShortcut {
    /** Arrays nested deeper than this go to Jackson (its own limit is far higher). */
    private static final int MAX_DEPTH = 16;
    /** Integers of up to this many digits always fit a long: read without an overflow check per digit. */
    private static final int SAFE_DIGITS = 18;

    private JsonEnvelopeShortcut() {
    }

    // ---------------------------------------------------------------- writing

    /** The request as {@link JacksonEncoder#encodeRequest} writes it, or null when Jackson must. */
    static byte @Nullable [] request(Wire.Request r) {
        // the fixed text, two numbers and every string field: a buffer that small arguments never make grow
        Out o = new Out(192 + r.service().length() + r.method().length() + r.replyTo().length()
                + r.callerNode().length() + length(r.userId()) + length(r.traceparent()));
        o.raw("{\"v\":").number(Wire.VERSION).raw(",\"t\":\"req\",\"id\":").number(r.id()).raw(",\"s\":");
        if (!o.string(r.service())) {
            return null;
        }
        o.raw(",\"m\":");
        if (!o.string(r.method())) {
            return null;
        }
        o.raw(",\"a\":");
        if (!o.value(r.args(), 0)) {
            return null;
        }
        o.raw(",\"r\":");
        if (!o.string(r.replyTo())) {
            return null;
        }
        o.raw(",\"dl\":").number(r.deadlineMillis()).raw(",\"n\":");
        if (!o.string(r.callerNode())) {
            return null;
        }
        if (r.userId() != null) {
            o.raw(",\"u\":");
            if (!o.string(r.userId())) {
                return null;
            }
        }
        if (r.traceparent() != null) {
            o.raw(",\"tp\":");
            if (!o.string(r.traceparent())) {
                return null;
            }
        }
        if (r.privileged()) {
            o.raw(",\"priv\":true");
        }
        return o.raw("}").bytes();
    }

    private static int length(@Nullable String s) {
        return s == null ? 0 : s.length();
    }

    /** A successful reply as {@link JacksonEncoder#encodeReply} writes it, or null when Jackson must. */
    static byte @Nullable [] reply(Wire.Reply r) {
        if (!r.ok()) {
            return null; // failures are rare and carry free text: Jackson escapes it
        }
        Out o = new Out(64);
        o.raw("{\"v\":").number(Wire.VERSION).raw(",\"t\":\"res\",\"id\":").number(r.id()).raw(",\"ok\":true,\"res\":");
        if (!o.value(r.result(), 0)) {
            return null;
        }
        return o.raw("}").bytes();
    }

    /** A growing byte array; every write is ASCII. */
    private static final class Out {
        private byte[] b;
        private int n;

        Out(int capacity) {
            b = new byte[capacity];
        }

        private void room(int more) {
            if (n + more > b.length) {
                b = Arrays.copyOf(b, Math.max(n + more, b.length * 2));
            }
        }

        Out raw(String ascii) {
            int len = ascii.length();
            room(len);
            for (int k = 0; k < len; k++) {
                b[n++] = (byte) ascii.charAt(k);
            }
            return this;
        }

        Out number(long v) {
            room(20);
            n = NumberOutput.outputLong(v, b, n);
            return this;
        }

        /** A string with nothing to escape; false (nothing usable written) otherwise. */
        boolean string(@Nullable String s) {
            if (s == null) {
                return false;
            }
            int len = s.length();
            room(len + 2);
            b[n++] = '"';
            for (int i = 0; i < len; i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                    return false;
                }
                b[n++] = (byte) c;
            }
            b[n++] = '"';
            return true;
        }

        /** What {@link JacksonEncoder}'s value writer gives for the same value; false when it is not simple. */
        boolean value(@Nullable Object v, int depth) {
            switch (v) {
                case null -> raw("null");
                case String s -> {
                    return string(s);
                }
                case Integer i -> number(i);
                case Long l -> number(l);
                case Boolean x -> raw(x ? "true" : "false");
                case List<?> list -> {
                    if (depth >= MAX_DEPTH || !list.getClass().getName().startsWith("java.util.")) {
                        // a list type of the user's own may have a serializer of its own
                        return false;
                    }
                    room(1);
                    b[n++] = '[';
                    int size = list.size();
                    for (int i = 0; i < size; i++) {
                        if (i > 0) {
                            room(1);
                            b[n++] = ',';
                        }
                        if (!value(list.get(i), depth + 1)) {
                            return false;
                        }
                    }
                    room(1);
                    b[n++] = ']';
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        byte[] bytes() {
            return n == b.length ? b : Arrays.copyOf(b, n);
        }
    }

    // ---------------------------------------------------------------- reading

    /** The envelope's fields as {@link JacksonEncoder#decodeEnvelope} reads them, or null when Jackson must. */
    static @Nullable EnvelopeFields read(byte[] bytes) {
        return new In(bytes).envelope();
    }

    /** Signals "not in the subset": Jackson reads the message instead. Never leaves this class. */
    private static final class NotSimple extends Exception {
        static final NotSimple INSTANCE = new NotSimple();

        private NotSimple() {
            super(null, null, false, false);
        }
    }

    /**
     * The fields whose string values repeat call after call (type, service, method, reply channel, caller node,
     * user): reading them hands out the same String instead of a new one each time. Not the trace context,
     * which is new on every call.
     */
    private static final boolean[] REPEATS = new boolean[EnvelopeFields.SLOTS];
    private static final int MAX_RECENT_LENGTH = 128;

    static {
        for (String field : new String[] {"t", "s", "m", "r", "n", "u"}) {
            REPEATS[EnvelopeFields.slot(field)] = true;
        }
    }

    /** A field's last string and its bytes. Only final fields: a reader without a lock sees it whole. */
    private record RecentString(byte[] bytes, String string) {
    }

    private static final int WAYS = 4;
    /** {@link #WAYS} places per field slot; shared by every thread (a lost update only costs a new String). */
    private static final @Nullable RecentString[] RECENT = new RecentString[EnvelopeFields.SLOTS * WAYS];

    private static final class In {
        private final byte[] b;
        private int i;

        In(byte[] b) {
            this.b = b;
        }

        @Nullable EnvelopeFields envelope() {
            try {
                expect('{');
                EnvelopeFields fields = new EnvelopeFields();
                if (peek() == '}') {
                    i++;
                } else {
                    while (true) {
                        int slot = fieldSlot();
                        expect(':');
                        Object value = slot >= 0 && REPEATS[slot] && peek() == '"' ? repeatedString(slot) : value(0);
                        if (slot >= 0) {
                            fields.set(slot, value);
                        }
                        byte c = next();
                        if (c == '}') {
                            break;
                        }
                        if (c != ',') {
                            throw NotSimple.INSTANCE;
                        }
                    }
                }
                return i == b.length ? fields : null;
            } catch (NotSimple e) {
                return null;
            }
        }

        private byte peek() throws NotSimple {
            if (i >= b.length) {
                throw NotSimple.INSTANCE;
            }
            return b[i];
        }

        private byte next() throws NotSimple {
            byte c = peek();
            i++;
            return c;
        }

        private void expect(char c) throws NotSimple {
            if (next() != c) {
                throw NotSimple.INSTANCE;
            }
        }

        private @Nullable Object value(int depth) throws NotSimple {
            byte c = peek();
            switch (c) {
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                case '[':
                    return array(depth);
                default:
                    return number();
            }
        }

        private void literal(String word) throws NotSimple {
            int len = word.length();
            if (i + len > b.length) {
                throw NotSimple.INSTANCE;
            }
            for (int k = 0; k < len; k++) {
                if (b[i + k] != word.charAt(k)) {
                    throw NotSimple.INSTANCE;
                }
            }
            i += len;
        }

        private List<@Nullable Object> array(int depth) throws NotSimple {
            if (depth >= MAX_DEPTH) {
                throw NotSimple.INSTANCE;
            }
            i++; // '['
            List<@Nullable Object> list = new ArrayList<>();
            if (peek() == ']') {
                i++;
                return list;
            }
            while (true) {
                list.add(value(depth + 1));
                byte c = next();
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    throw NotSimple.INSTANCE;
                }
            }
        }

        /**
         * A string of a field whose value is mostly the same from one envelope to the next: the String read last
         * time for that field when the bytes are the same, else a new one (then remembered).
         */
        private String repeatedString(int slot) throws NotSimple {
            int start = i + 1;
            int end = stringEnd();
            int len = end - start;
            // four places per field, picked by length and last byte: "req" and "res" (one node calling itself)
            // or a few callers' reply channels keep their own place
            int place = slot * WAYS + ((len + (len > 0 ? b[end - 1] : 0)) & (WAYS - 1));
            RecentString recent = RECENT[place];
            if (recent != null && Arrays.equals(recent.bytes, 0, recent.bytes.length, b, start, end)) {
                return recent.string;
            }
            String s = new String(b, start, len, StandardCharsets.ISO_8859_1);
            if (len <= MAX_RECENT_LENGTH) {
                RECENT[place] = new RecentString(Arrays.copyOfRange(b, start, end), s);
            }
            return s;
        }

        /** Printable ASCII, no escape: the bytes are the characters. */
        private String string() throws NotSimple {
            int start = i + 1;
            return new String(b, start, stringEnd() - start, StandardCharsets.ISO_8859_1);
        }

        /** Skips a string of the subset; returns the index of its closing quote. */
        private int stringEnd() throws NotSimple {
            expect('"');
            byte[] a = b;
            for (int k = i; k < a.length; k++) {
                byte c = a[k];
                if (c == '"') {
                    i = k + 1;
                    return k;
                }
                if (c < 0x20 || c == '\\' || c == 0x7f) { // bytes >= 0x80 are negative: non-ASCII
                    throw NotSimple.INSTANCE;
                }
            }
            throw NotSimple.INSTANCE; // cut short
        }

        /** A field name's {@link EnvelopeFields#slot}, read from the bytes without making a String of them. */
        private int fieldSlot() throws NotSimple {
            int start = i + 1;
            return EnvelopeFields.slot(b, start, stringEnd() - start);
        }

        /**
         * The digits at {@code start} as a long, checked for overflow (past a long, Long.MIN_VALUE's magnitude
         * included, Jackson reads a BigInteger: declined).
         */
        private long checkedValue(int start, int digits) throws NotSimple {
            if (digits > 19) {
                throw NotSimple.INSTANCE;
            }
            long v = 0;
            for (int k = start; k < start + digits; k++) {
                int d = b[k] - '0';
                if (v > (Long.MAX_VALUE - d) / 10) {
                    throw NotSimple.INSTANCE;
                }
                v = v * 10 + d;
            }
            return v;
        }

        /** An integer as Jackson's {@code getNumberValue}: Integer when it fits, else Long; never a BigInteger. */
        private Object number() throws NotSimple {
            boolean negative = b[i] == '-';
            if (negative) {
                i++;
            }
            int start = i;
            long v = 0;
            byte[] a = b;
            int k = start;
            while (k < a.length && a[k] >= '0' && a[k] <= '9') {
                v = v * 10 + (a[k] - '0');
                k++;
            }
            i = k;
            int digits = k - start;
            if (digits > SAFE_DIGITS) {
                v = checkedValue(start, digits); // rare: only 19 digits may still fit
            }
            if (digits == 0 || digits > 1 && b[start] == '0' || negative && v == 0) {
                throw NotSimple.INSTANCE; // not a number, a leading zero, or "-0": Jackson's words or value
            }
            if (i < b.length && (b[i] == '.' || b[i] == 'e' || b[i] == 'E')) {
                throw NotSimple.INSTANCE; // a float: Jackson's value reader
            }
            if (negative) {
                v = -v;
            }
            if (v == (int) v) {
                return Integer.valueOf((int) v); // not a ?: expression, which would box both as Long
            }
            return Long.valueOf(v);
        }
    }
}
