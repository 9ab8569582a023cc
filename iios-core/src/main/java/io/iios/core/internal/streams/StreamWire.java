package io.iios.core.internal.streams;

import io.iios.core.internal.wire.Wire;
import io.iios.core.internal.wire.Wire.MalformedMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Stream envelopes of wire v1 (docs/protocol.md, "Streams"). On the data channel, producer to reader:
 * {@code sd} chunk, {@code se} end, {@code sf} failure, {@code sh} heartbeat. On the control channel,
 * reader to producer: {@code sg} grant (credit, also the claim and the reader's heartbeat) and
 * {@code sx} cancel.
 */
final class StreamWire {
    /** The key of the one entry of a call result that stands for a stream. */
    static final String RESULT_KEY = "$stream";
    static final String BYTES = "b";
    static final String OBJECTS = "o";

    private StreamWire() {
    }

    // ---------------------------------------------------------------- descriptor

    /** What a caller (in a call result) or a binder (in the KV store) learns about a stream. */
    record Descriptor(String id, boolean objects) {

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>(4);
            m.put("v", Wire.VERSION);
            m.put("id", id);
            m.put("k", objects ? OBJECTS : BYTES);
            return m;
        }

        /** The call result standing for this stream. */
        Map<String, Object> asResult() {
            return Map.of(RESULT_KEY, toMap());
        }

        static Descriptor from(Map<?, ?> m) {
            version(m);
            String id = string(m, "id");
            if (!io.iios.core.internal.wire.Names.isName(id)) {
                throw new MalformedMessage("stream id '" + id + "' is not a channel segment");
            }
            String k = string(m, "k");
            if (!k.equals(BYTES) && !k.equals(OBJECTS)) {
                throw new MalformedMessage("stream kind must be 'b' or 'o', got '" + k + "'");
            }
            return new Descriptor(id, k.equals(OBJECTS));
        }

        /** The descriptor in a call result, or null when the result is not a stream. */
        static @Nullable Descriptor inResult(@Nullable Object result) {
            if (result instanceof Map<?, ?> m && m.size() == 1 && m.get(RESULT_KEY) instanceof Map<?, ?> d) {
                return from(d);
            }
            return null;
        }
    }

    // ---------------------------------------------------------------- data channel

    /** A message on the data channel. */
    sealed interface Data permits Chunk, End, Failure, Heartbeat {
    }

    /** {@code sd}: chunk {@code q} (from 0), bytes in {@code b} or an object in {@code o}. */
    record Chunk(long seq, byte @Nullable [] bytes, @Nullable Object object) implements Data {
    }

    /** {@code se}: the end; {@code q} is the number of chunks sent. */
    record End(long count) implements Data {
    }

    /**
     * {@code sf}: the producer failed after {@code q} chunks. {@code code} (optional) says why when it is
     * not the source's own failure: {@link #CLOSING} or {@link #DENIED}.
     */
    record Failure(long count, String type, String message, @Nullable String code) implements Data {
    }

    /** {@code err.code} of an {@code sf}: the producing node is closing. */
    static final String CLOSING = "CLOSED";
    /** {@code err.code} of an {@code sf} answering a claim: RBAC denied the binder. */
    static final String DENIED = "ACCESS_DENIED";

    /** {@code sh}: the producer is alive (waiting for credit or for its source). */
    record Heartbeat() implements Data {
    }

    static Map<String, Object> chunk(long seq, byte[] bytes) {
        Map<String, Object> m = head("sd");
        m.put("q", seq);
        m.put("b", bytes);
        return m;
    }

    static Map<String, Object> objectChunk(long seq, @Nullable Object element) {
        Map<String, Object> m = head("sd");
        m.put("q", seq);
        m.put("o", element);
        return m;
    }

    static Map<String, Object> end(long count) {
        Map<String, Object> m = head("se");
        m.put("q", count);
        return m;
    }

    static Map<String, Object> failure(long count, String type, String message) {
        return failure(count, type, message, null);
    }

    static Map<String, Object> failure(long count, String type, String message, @Nullable String code) {
        Map<String, Object> m = head("sf");
        m.put("q", count);
        Map<String, Object> err = new LinkedHashMap<>(3);
        err.put("type", type);
        err.put("msg", message);
        if (code != null) {
            err.put("code", code);
        }
        m.put("err", err);
        return m;
    }

    static Map<String, Object> heartbeat() {
        return head("sh");
    }

    /**
     * Reads a data message.
     *
     * @param bytesOf turns the value of {@code b} into bytes (json carries them as base64 text)
     */
    static Data data(Map<?, ?> m, java.util.function.Function<Object, byte[]> bytesOf) {
        version(m);
        Object t = m.get("t");
        if ("sd".equals(t)) {
            long q = nonNegative(m, "q");
            if (m.containsKey("b") && m.get("b") != null) {
                return new Chunk(q, bytesOf.apply(m.get("b")), null);
            }
            if (m.containsKey("o")) {
                return new Chunk(q, null, m.get("o"));
            }
            throw new MalformedMessage("stream chunk carries neither 'b' nor 'o'");
        }
        if ("se".equals(t)) {
            return new End(nonNegative(m, "q"));
        }
        if ("sf".equals(t)) {
            if (!(m.get("err") instanceof Map<?, ?> err)) {
                throw new MalformedMessage("stream failure must carry an 'err' object");
            }
            return new Failure(nonNegative(m, "q"), String.valueOf(err.get("type")), String.valueOf(err.get("msg")),
                    err.get("code") instanceof String code ? code : null);
        }
        if ("sh".equals(t)) {
            return new Heartbeat();
        }
        throw new MalformedMessage("unknown stream data message type '" + t + "'");
    }

    // ---------------------------------------------------------------- control channel

    /** A message on the control channel. */
    sealed interface Control permits Grant, Cancel {
        String reader();
    }

    /**
     * {@code sg}: {@code g} more chunks (0: claim or heartbeat), each at most {@code mx} bytes. A claim of a
     * named stream may carry the binder's user id {@code u}, or {@code priv}, for the producer's RBAC.
     */
    record Grant(String reader, long credit, int maxChunk, @Nullable String user, boolean privileged)
            implements Control {
    }

    /** {@code sx}: the reader stops. */
    record Cancel(String reader) implements Control {
    }

    static Map<String, Object> grant(String reader, long credit, int maxChunk) {
        Map<String, Object> m = head("sg");
        m.put("r", reader);
        m.put("g", credit);
        m.put("mx", maxChunk);
        return m;
    }

    /** The claim of a named stream: a grant of 0 that says who binds. */
    static Map<String, Object> claim(String reader, int maxChunk, @Nullable String user, boolean privileged) {
        Map<String, Object> m = grant(reader, 0, maxChunk);
        if (user != null) {
            m.put("u", user);
        }
        if (privileged) {
            m.put("priv", true);
        }
        return m;
    }

    static Map<String, Object> cancel(String reader) {
        Map<String, Object> m = head("sx");
        m.put("r", reader);
        return m;
    }

    static Control control(Map<?, ?> m) {
        version(m);
        Object t = m.get("t");
        if ("sg".equals(t)) {
            long mx = nonNegative(m, "mx");
            if (mx < 1 || mx > Integer.MAX_VALUE) {
                throw new MalformedMessage("grant field 'mx' must be a positive int");
            }
            Object u = m.get("u");
            if (u != null && !(u instanceof String us && !us.isEmpty())) {
                throw new MalformedMessage("grant field 'u' must be a non-empty string");
            }
            return new Grant(string(m, "r"), nonNegative(m, "g"), (int) mx, (String) u,
                    Boolean.TRUE.equals(m.get("priv")));
        }
        if ("sx".equals(t)) {
            return new Cancel(string(m, "r"));
        }
        throw new MalformedMessage("unknown stream control message type '" + t + "'");
    }

    // ---------------------------------------------------------------- fields

    private static Map<String, Object> head(String type) {
        Map<String, Object> m = new LinkedHashMap<>(6);
        m.put("v", Wire.VERSION);
        m.put("t", type);
        return m;
    }

    private static void version(Map<?, ?> m) {
        if (!(m.get("v") instanceof Number n) || n.intValue() != Wire.VERSION) {
            throw new MalformedMessage("unsupported wire version " + m.get("v"));
        }
    }

    private static String string(Map<?, ?> m, String field) {
        if (m.get(field) instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw new MalformedMessage("field '" + field + "' must be a non-empty string");
    }

    private static long nonNegative(Map<?, ?> m, String field) {
        if (m.get(field) instanceof Number n && (n instanceof Integer || n instanceof Long) && n.longValue() >= 0) {
            return n.longValue();
        }
        throw new MalformedMessage("field '" + field + "' must be a non-negative integer");
    }
}
