package io.iios.core.internal.wire;

import io.iios.api.ErrorCode;
import io.iios.api.InstanceInfo;
import io.iios.api.MethodInfo;
import io.iios.api.Verb;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Envelopes of wire v1 as maps of the generic value model, so that any {@link io.iios.spi.Encoder}
 * carries them. Field names are short; docs/protocol.md lists each. Readers validate every field and
 * throw {@link MalformedMessage} with what is wrong.
 */
public final class Wire {
    public static final int VERSION = 1;

    private Wire() {
    }

    /** A message that decoded but does not have the shape of an envelope. */
    public static final class MalformedMessage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public MalformedMessage(String message) {
            super(message, null, false, false);
        }
    }

    // ---------------------------------------------------------------- request / reply

    /**
     * A call request, {@code t=req}. {@code privileged} ({@code priv}) is set only by a service's
     * privileged gateway; it and {@code u} are trusted only as far as the envelope's signature goes.
     */
    public record Request(long id, String service, String method, List<@Nullable Object> args, String replyTo,
            long deadlineMillis, @Nullable String userId, @Nullable String traceparent, String callerNode,
            boolean privileged) {

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>(12);
            m.put("v", VERSION);
            m.put("t", "req");
            m.put("id", id);
            m.put("s", service);
            m.put("m", method);
            m.put("a", args);
            m.put("r", replyTo);
            m.put("dl", deadlineMillis);
            m.put("n", callerNode);
            if (userId != null) {
                m.put("u", userId);
            }
            if (traceparent != null) {
                m.put("tp", traceparent);
            }
            if (privileged) {
                m.put("priv", true);
            }
            return m;
        }

        @SuppressWarnings("unchecked")
        public static Request from(Map<?, ?> m) {
            requireType(m, "req");
            Object a = m.get("a");
            if (!(a instanceof List<?>)) {
                throw new MalformedMessage("request field 'a' (arguments) must be an array");
            }
            Object priv = m.get("priv");
            if (priv != null && !(priv instanceof Boolean)) {
                throw new MalformedMessage("request field 'priv' must be a boolean");
            }
            return new Request(longField(m, "id"), string(m, "s"), string(m, "m"), (List<@Nullable Object>) a,
                    string(m, "r"), longField(m, "dl"), optString(m, "u"), optString(m, "tp"), string(m, "n"),
                    Boolean.TRUE.equals(priv));
        }
    }

    /** A call reply, {@code t=res}: either a result or an error. */
    public record Reply(long id, boolean ok, @Nullable Object result, @Nullable ErrorCode code,
            @Nullable String errorType, @Nullable String errorMessage) {

        public static Reply success(long id, @Nullable Object result) {
            return new Reply(id, true, result, null, null, null);
        }

        public static Reply failure(long id, ErrorCode code, String type, String message) {
            return new Reply(id, false, null, code, type, message);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>(8);
            m.put("v", VERSION);
            m.put("t", "res");
            m.put("id", id);
            m.put("ok", ok);
            if (ok) {
                m.put("res", result);
            } else {
                Map<String, Object> err = new LinkedHashMap<>(4);
                err.put("code", String.valueOf(code));
                err.put("type", errorType);
                err.put("msg", errorMessage);
                m.put("err", err);
            }
            return m;
        }

        public static Reply from(Map<?, ?> m) {
            requireType(m, "res");
            long id = longField(m, "id");
            if (!(m.get("ok") instanceof Boolean ok)) {
                throw new MalformedMessage("reply field 'ok' must be a boolean");
            }
            if (ok) {
                return success(id, m.get("res"));
            }
            if (!(m.get("err") instanceof Map<?, ?> err)) {
                throw new MalformedMessage("failed reply must carry an 'err' object");
            }
            ErrorCode code;
            try {
                code = ErrorCode.valueOf(string(err, "code"));
            } catch (IllegalArgumentException e) {
                code = ErrorCode.REMOTE_FAILURE;
            }
            return failure(id, code, String.valueOf(err.get("type")), String.valueOf(err.get("msg")));
        }
    }

    /** A reply's id, read without validating the rest (to route a reply that fails validation). */
    public static long idOf(Map<?, ?> m) {
        return m.get("id") instanceof Number n ? n.longValue() : -1;
    }

    // ---------------------------------------------------------------- events

    /** An event, {@code t=evt}, published on {@code ns:service:event:name}. */
    public record EventMessage(String service, String event, @Nullable Object payload, String instanceId,
            long timestampMillis, @Nullable String userId) {

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>(10);
            m.put("v", VERSION);
            m.put("t", "evt");
            m.put("s", service);
            m.put("e", event);
            m.put("p", payload);
            m.put("i", instanceId);
            m.put("ts", timestampMillis);
            if (userId != null) {
                m.put("u", userId);
            }
            return m;
        }

        public static EventMessage from(Map<?, ?> m) {
            requireType(m, "evt");
            return new EventMessage(string(m, "s"), string(m, "e"), m.get("p"), string(m, "i"), longField(m, "ts"),
                    optString(m, "u"));
        }
    }

    // ---------------------------------------------------------------- discovery

    /** An instance record plus the TTL its writer uses. */
    public record Record(InstanceInfo info, long ttlMillis) {

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>(12);
            m.put("v", VERSION);
            m.put("s", info.service());
            m.put("i", info.instanceId());
            m.put("n", info.nodeId());
            m.put("ver", info.version());
            Map<String, String> methods = new LinkedHashMap<>();
            List<String> exposed = new ArrayList<>();
            info.methods().forEach((k, mi) -> {
                methods.put(k, mi.verb().name());
                if (mi.publicHttp()) {
                    exposed.add(k);
                }
            });
            m.put("m", methods);
            m.put("pub", exposed);
            if (info.httpEndpoint() != null) {
                m.put("http", info.httpEndpoint());
            }
            m.put("opt", info.publicOptions());
            m.put("st", info.startedAt().toEpochMilli());
            m.put("ttl", ttlMillis);
            return m;
        }

        public static Record from(Map<?, ?> m) {
            requireVersion(m);
            if (!(m.get("m") instanceof Map<?, ?> rawMethods)) {
                throw new MalformedMessage("record field 'm' (methods) must be an object");
            }
            List<?> exposed = m.get("pub") instanceof List<?> l ? l : List.of();
            Map<String, MethodInfo> methods = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : rawMethods.entrySet()) {
                String name = String.valueOf(e.getKey());
                try {
                    methods.put(name, new MethodInfo(name, Verb.valueOf(String.valueOf(e.getValue())),
                            exposed.contains(name)));
                } catch (IllegalArgumentException ex) {
                    throw new MalformedMessage("record method '" + e.getKey() + "' has unknown verb " + e.getValue());
                }
            }
            Map<String, String> opts = new LinkedHashMap<>();
            if (m.get("opt") instanceof Map<?, ?> rawOpts) {
                rawOpts.forEach((k, v) -> opts.put(String.valueOf(k), String.valueOf(v)));
            }
            InstanceInfo info = new InstanceInfo(string(m, "s"), string(m, "i"), string(m, "n"), string(m, "ver"),
                    methods, optString(m, "http"), opts, Instant.ofEpochMilli(longField(m, "st")));
            return new Record(info, longField(m, "ttl"));
        }
    }

    /** A discovery notice on {@code ns:_discovery}: {@code up}, {@code hb} (heartbeat) or {@code down}. */
    public record Notice(String kind, String service, String instanceId, @Nullable Record record) {

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>(6);
            m.put("v", VERSION);
            m.put("t", kind);
            m.put("s", service);
            m.put("i", instanceId);
            if (record != null) {
                m.put("rec", record.toMap());
            }
            return m;
        }

        public static Notice from(Map<?, ?> m) {
            requireVersion(m);
            String kind = string(m, "t");
            if (!List.of("up", "hb", "down").contains(kind)) {
                throw new MalformedMessage("discovery notice type must be up, hb or down, got " + kind);
            }
            Record rec = null;
            if (!kind.equals("down")) {
                if (!(m.get("rec") instanceof Map<?, ?> r)) {
                    throw new MalformedMessage("discovery notice '" + kind + "' must carry 'rec'");
                }
                rec = Record.from(r);
            }
            return new Notice(kind, string(m, "s"), string(m, "i"), rec);
        }
    }

    // ---------------------------------------------------------------- field readers

    public static Map<?, ?> asMap(@Nullable Object decoded) {
        if (decoded instanceof Map<?, ?> m) {
            return m;
        }
        throw new MalformedMessage("expected an envelope object, got "
                + (decoded == null ? "null" : decoded.getClass().getSimpleName()));
    }

    private static void requireVersion(Map<?, ?> m) {
        if (!(m.get("v") instanceof Number n) || n.intValue() != VERSION) {
            throw new MalformedMessage("unsupported wire version " + m.get("v") + " (this node speaks " + VERSION + ")");
        }
    }

    private static void requireType(Map<?, ?> m, String type) {
        requireVersion(m);
        if (!type.equals(m.get("t"))) {
            throw new MalformedMessage("expected message type '" + type + "', got '" + m.get("t") + "'");
        }
    }

    private static String string(Map<?, ?> m, String field) {
        if (m.get(field) instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw new MalformedMessage("field '" + field + "' must be a non-empty string");
    }

    private static @Nullable String optString(Map<?, ?> m, String field) {
        Object v = m.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        throw new MalformedMessage("field '" + field + "' must be a string");
    }

    private static long longField(Map<?, ?> m, String field) {
        if (m.get(field) instanceof Number n && (n instanceof Integer || n instanceof Long)) {
            return n.longValue();
        }
        throw new MalformedMessage("field '" + field + "' must be an integer");
    }

    /** A copy of the arguments as a list, tolerating null elements. */
    public static List<@Nullable Object> listOf(@Nullable Object[] args) {
        List<@Nullable Object> l = new ArrayList<>(args.length);
        Collections.addAll(l, args);
        return l;
    }
}
