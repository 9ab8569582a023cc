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

    private JsonEnvelopeShortcut() {
    }

    // ---------------------------------------------------------------- writing

    /** The request as {@link JacksonEncoder#encodeRequest} writes it, or null when Jackson must. */
    static byte @Nullable [] request(Wire.Request r) {
        Out o = new Out(160 + r.replyTo().length() + r.callerNode().length());
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
                        Object value = value(0);
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

        /** An integer as Jackson's {@code getNumberValue}: Integer when it fits, else Long; never a BigInteger. */
        private Object number() throws NotSimple {
            boolean negative = b[i] == '-';
            if (negative) {
                i++;
            }
            int start = i;
            long v = 0;
            while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                int d = b[i] - '0';
                if (v > (Long.MAX_VALUE - d) / 10) {
                    throw NotSimple.INSTANCE; // past a long (Long.MIN_VALUE included): Jackson's BigInteger
                }
                v = v * 10 + d;
                i++;
            }
            int digits = i - start;
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
