package io.iios.core.internal.wire;

import io.iios.api.ErrorCode;
import io.iios.api.InstanceInfo;
import io.iios.api.MethodInfo;
import io.iios.api.Verb;
import io.iios.core.internal.codec.JsonEncoderProvider;
import io.iios.spi.Encoder;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The Node IIOS 2.x protocol (iios 2.5.3; docs/migrating-from-node.md): one record per service name
 * without TTL, one request channel per method, one reply channel per call with a token, events on one
 * namespace channel routed locally, Node's error strings and denial text. Records and RBAC values are
 * always JSON; envelopes use the node's encoder ({@code json} or {@code bson}).
 */
public final class NodeV2Protocol implements Protocol {
    public static final String ID = "node-v2";
    /** What a Java node writes as {@code iiosLibVersion}: the Node version it speaks. */
    public static final String LIB_VERSION = "2.5.3";
    /** The role privileged calls are checked against. */
    public static final String PRIVILEGED_ROLE = "__privileged__";
    /** The endpoint of a record that is neither pub/sub-callable nor has an HTTP server. */
    public static final String NO_ENDPOINT = "none:";

    private static final Pattern ERROR_TYPE = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*( \\[[A-Z0-9_]+\\])?");
    private static final String[] VERBS = {"get", "post", "put", "delete"};

    private final NodeV2Names names;
    private final boolean httpRpc;
    private final boolean trustCallerIdentity;
    private final java.time.@Nullable Duration heartbeat;
    private final Encoder json = new JsonEncoderProvider().create();

    /**
     * @param httpRpc true: hosted services register {@code pubsubRPCEnabled:false} and are called over
     *     HTTP when the node serves HTTP; false: they subscribe their method channels
     * @param trustCallerIdentity false: the {@code userId} and {@code privileged} a caller claims are ignored
     */
    public NodeV2Protocol(NodeV2Names names, boolean httpRpc, boolean trustCallerIdentity) {
        this(names, httpRpc, trustCallerIdentity, null);
    }

    /** @param heartbeat period of Node's heartbeat messages for hosted services, or null for none */
    public NodeV2Protocol(NodeV2Names names, boolean httpRpc, boolean trustCallerIdentity,
            java.time.@Nullable Duration heartbeat) {
        this.heartbeat = heartbeat;
        this.names = names;
        this.httpRpc = httpRpc;
        this.trustCallerIdentity = trustCallerIdentity;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public NodeV2Names names() {
        return names;
    }

    @Override
    public Encoder kvEncoder(Encoder nodeEncoder) {
        return json;
    }

    @Override
    public boolean leasedRecords() {
        return false;
    }

    @Override
    public boolean replaceOnlyNewer() {
        return true;
    }

    /** Period of Node heartbeats for hosted services ({@code iios.node-v2.heartbeat}), or null. */
    public java.time.@Nullable Duration heartbeat() {
        return heartbeat;
    }

    /** True when hosted services are called over HTTP (they need the node's HTTP endpoint). */
    public boolean httpRpc() {
        return httpRpc;
    }

    // ---------------------------------------------------------------- records

    @Override
    public Map<String, Object> recordToMap(InstanceInfo info, long ttlMillis) {
        boolean overHttp = httpRpc && info.httpEndpoint() != null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", info.service());
        m.put("version", info.version());
        m.put("iiosLibVersion", LIB_VERSION);
        m.put("lang", "java");
        m.put("pubsubRPCEnabled", !overHttp);
        m.put("creationTimestamp", info.startedAt().toEpochMilli());
        List<String> methods = new ArrayList<>(info.methods().keySet());
        methods.sort(null);
        m.put("methods", methods);
        Map<String, List<String>> http = new LinkedHashMap<>();
        for (String v : VERBS) {
            http.put(v, new ArrayList<>());
        }
        for (String name : methods) {
            http.get(info.methods().get(name).verb().name().toLowerCase(Locale.ROOT)).add(name);
        }
        m.put("httpMethods", http);
        if (info.httpEndpoint() != null) {
            URI u = URI.create(info.httpEndpoint());
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("host", u.getHost());
            server.put("port", u.getPort());
            server.put("protocol", u.getScheme());
            m.put("httpServer", server);
        }
        m.put("options", new LinkedHashMap<>(info.publicOptions()));
        return m;
    }

    @Override
    public Wire.Record recordFrom(String key, Map<?, ?> m) {
        if (!key.startsWith(names.registryPrefix()) || key.length() == names.registryPrefix().length()) {
            throw new Wire.MalformedMessage("key '" + key + "' is not a service record key");
        }
        String service = key.substring(names.registryPrefix().length());
        if (!(m.get("methods") instanceof List<?> rawMethods)) {
            throw new Wire.MalformedMessage("record field 'methods' must be an array");
        }
        if (!(m.get("creationTimestamp") instanceof Number created)) {
            throw new Wire.MalformedMessage("record field 'creationTimestamp' must be a number");
        }
        Map<String, Verb> verbs = new LinkedHashMap<>();
        if (m.get("httpMethods") instanceof Map<?, ?> http) {
            for (String v : VERBS) {
                if (http.get(v) instanceof List<?> l) {
                    for (Object name : l) {
                        if (name instanceof String s) {
                            verbs.putIfAbsent(s, Verb.valueOf(v.toUpperCase(Locale.ROOT)));
                        }
                    }
                }
            }
        }
        Map<String, MethodInfo> methods = new LinkedHashMap<>();
        for (Object o : rawMethods) {
            if (o instanceof String name && !name.isEmpty()) {
                Verb v = verbs.get(name);
                methods.put(name, new MethodInfo(name, v == null ? Verb.POST : v, v != null));
            }
        }
        boolean pubsub = Boolean.TRUE.equals(m.get("pubsubRPCEnabled"));
        String endpoint = null;
        if (!pubsub) {
            endpoint = NO_ENDPOINT;
            if (m.get("httpServer") instanceof Map<?, ?> server && server.get("host") instanceof String host
                    && !host.isEmpty() && server.get("port") != null) {
                String scheme = server.get("protocol") instanceof String p && !p.isEmpty() ? p : "http";
                endpoint = scheme + "://" + host + ":" + server.get("port");
            }
        }
        Map<String, String> opts = new LinkedHashMap<>();
        if (m.get("options") instanceof Map<?, ?> o) {
            o.forEach((k, v) -> opts.put(String.valueOf(k), v instanceof String s ? s : jsonText(v)));
        }
        String version = m.get("version") instanceof String v ? v : "";
        String lang = m.get("lang") instanceof String l ? l : "js";
        InstanceInfo info = new InstanceInfo(service, service, lang, version, methods, endpoint, opts,
                Instant.ofEpochMilli(created.longValue()));
        return new Wire.Record(info, 0);
    }

    @Override
    public String @Nullable [] serviceAndInstance(String key) {
        if (!key.startsWith(names.registryPrefix()) || key.length() == names.registryPrefix().length()) {
            return null;
        }
        String service = key.substring(names.registryPrefix().length());
        return new String[] {service, service};
    }

    // ---------------------------------------------------------------- rpc

    @Override
    public List<String> inboxes(String service, String instanceId, Collection<String> methods) {
        List<String> out = new ArrayList<>();
        methods.forEach(m -> out.add(names.requestChannel(service, m)));
        return out;
    }

    @Override
    public String requestChannel(String service, String instanceId, String method) {
        return names.requestChannel(service, method);
    }

    @Override
    public boolean perCallReplies() {
        return true;
    }

    /** Like Node's {@code Math.random().toString(36).slice(2)}: 12 characters of {@code [0-9a-z]}. */
    @Override
    public String newToken() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] c = new char[12];
        for (int i = 0; i < c.length; i++) {
            c[i] = Character.forDigit(r.nextInt(36), 36);
        }
        return new String(c);
    }

    @Override
    public String replyChannel(String nodeId, String requestChannel, String token) {
        return requestChannel + ":" + token;
    }

    @Override
    public Map<String, Object> requestToMap(Wire.Request request, String token) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("origin", request.callerNode());
        if (request.userId() != null) {
            meta.put("userId", request.userId());
        }
        if (request.privileged()) {
            meta.put("privileged", true);
        }
        meta.put("token", token);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("meta", meta);
        m.put("req", request.args());
        return m;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Wire.Request requestFrom(String channel, Map<?, ?> m) {
        if (!(m.get("meta") instanceof Map<?, ?> meta)) {
            throw new Wire.MalformedMessage("request without 'meta'");
        }
        if (!(meta.get("token") instanceof String token) || token.isEmpty() || token.indexOf(':') >= 0
                || token.equals("*") || token.equals(">")) {
            throw new Wire.MalformedMessage("request without a usable 'meta.token'");
        }
        String rest = channel.startsWith(names.registryPrefix()) ? channel.substring(names.registryPrefix().length())
                : "";
        int sep = rest.indexOf(':');
        if (sep <= 0 || sep == rest.length() - 1) {
            throw new Wire.MalformedMessage("'" + channel + "' is not a request channel");
        }
        Object req = m.get("req");
        List<@Nullable Object> args;
        if (req == null) {
            args = new ArrayList<>();
        } else if (req instanceof List<?> l) {
            args = (List<@Nullable Object>) l;
        } else {
            throw new Wire.MalformedMessage("request field 'req' must be an array");
        }
        Object user = trustCallerIdentity ? meta.get("userId") : null;
        String userId = user == null ? null : user instanceof String s ? s : String.valueOf(user);
        String origin = meta.get("origin") instanceof String o && !o.isEmpty() ? o : "unknown";
        return new Wire.Request(0, rest.substring(0, sep), rest.substring(sep + 1), args, channel + ":" + token,
                Long.MAX_VALUE, userId, null, origin, trustCallerIdentity && truthy(meta.get("privileged")));
    }

    /** JavaScript truthiness of a decoded value. */
    public static boolean truthy(@Nullable Object v) {
        if (v == null || Boolean.FALSE.equals(v)) {
            return false;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d != 0 && !Double.isNaN(d);
        }
        return true;
    }

    @Override
    public boolean replyAllowed(Wire.Request request) {
        return true;
    }

    @Override
    public @Nullable String replyToOfMalformed(Map<?, ?> m) {
        return null;
    }

    @Override
    public Map<String, Object> replyToMap(Wire.Request request, Wire.Reply reply, String origin) {
        String replyTo = request.replyTo();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("origin", origin);
        meta.put("token", replyTo.substring(replyTo.lastIndexOf(':') + 1));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("meta", meta);
        if (reply.ok()) {
            if (request.userId() != null) {
                meta.put("userId", request.userId());
            }
            if (reply.result() != null) {
                m.put("response", reply.result());
            }
        } else {
            m.put("err", errorText(reply));
        }
        return m;
    }

    /** Node's {@code '' + err}: {@code "<Type>: <message>"}; a denial is its text alone. */
    static String errorText(Wire.Reply reply) {
        String message = reply.errorMessage() == null ? "" : reply.errorMessage();
        if (reply.code() == ErrorCode.ACCESS_DENIED) {
            return message.isEmpty() ? "access not granted" : message;
        }
        String type = reply.errorType() == null ? "Error" : reply.errorType();
        type = type.substring(type.lastIndexOf('.') + 1);
        return message.isEmpty() ? type : type + ": " + message;
    }

    @Override
    public Wire.@Nullable Reply replyFrom(Map<?, ?> m, long id, String token) {
        if (!(m.get("meta") instanceof Map<?, ?> meta) || truthy(meta.get("req"))
                || !token.equals(meta.get("token"))) {
            return null;
        }
        Object err = m.get("err");
        if (truthy(err)) {
            String text = err instanceof String s ? s : jsonText(err);
            if (text.startsWith("access not granted")) {
                return Wire.Reply.failure(id, ErrorCode.ACCESS_DENIED, "Error", text);
            }
            int colon = text.indexOf(": ");
            if (colon > 0 && ERROR_TYPE.matcher(text.substring(0, colon)).matches()) {
                return Wire.Reply.failure(id, ErrorCode.REMOTE_FAILURE, text.substring(0, colon),
                        text.substring(colon + 2));
            }
            return Wire.Reply.failure(id, ErrorCode.REMOTE_FAILURE, "Error", text);
        }
        return Wire.Reply.success(id, m.get("response"));
    }

    @Override
    public String timeoutMessage(String service, String method, String instanceId, long millis) {
        return "timeout: " + service + ":" + method + " call";
    }

    @Override
    public boolean privilegedSkipsRbac() {
        return false;
    }

    @Override
    public String denial(String service, String method, @Nullable String userId, boolean privileged, String role,
            String missingGrant) {
        return "access not granted: service [" + service + "], method [" + method + "], user ["
                + (userId == null ? "undefined" : userId) + "], privileged [" + (privileged ? "true" : "undefined")
                + "]";
    }

    private String jsonText(@Nullable Object v) {
        return new String(json.encode(v), java.nio.charset.StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- events

    @Override
    public Map<String, Object> eventToMap(Wire.EventMessage event) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("origin", event.instanceId());
        meta.put("event", event.event());
        meta.put("service", event.service());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("meta", meta);
        m.put("payload", event.payload());
        return m;
    }

    @Override
    public Wire.EventMessage eventFrom(Map<?, ?> m) {
        if (!(m.get("meta") instanceof Map<?, ?> meta)) {
            throw new Wire.MalformedMessage("event without 'meta'");
        }
        if (!(meta.get("event") instanceof String event) || event.isEmpty()) {
            throw new Wire.MalformedMessage("event without 'meta.event'");
        }
        String service = meta.get("service") instanceof String s ? s : "";
        String origin = meta.get("origin") instanceof String o ? o : "";
        return new Wire.EventMessage(service, event, m.get("payload"), origin, System.currentTimeMillis(), null);
    }

    @Override
    public String eventSubscription(String name) {
        parseEventName(name);
        return names.eventChannel("", "");
    }

    /** {service or null, event or null} of a seed name; {@code iios:} or {@code NS:} in front. */
    private String[] parseEventName(String name) {
        List<String> seg = io.iios.spi.Channel.segments(name);
        boolean head = !seg.isEmpty() && (seg.get(0).equals("iios") || seg.get(0).equals(names.namespace()));
        if (head && seg.size() == 2 && seg.get(1).equals("event")) {
            return new String[] {null, null};
        }
        if (head && seg.size() == 3 && seg.get(2).equals("event") && !seg.get(1).isEmpty()) {
            return new String[] {seg.get(1), null};
        }
        if (head && seg.size() == 4 && seg.get(2).equals("event") && !seg.get(1).isEmpty() && !seg.get(3).isEmpty()) {
            return new String[] {seg.get(1), seg.get(3)};
        }
        throw new IllegalArgumentException("event subscription '" + name
                + "' must be one of iios:event, iios:SERVICE:event or iios:SERVICE:event:NAME (SERVICE and NAME may "
                + "be '*')");
    }

    @Override
    public boolean delivers(String name, Wire.EventMessage event, String ownOrigin) {
        String[] p = parseEventName(name);
        if (p[0] == null) {
            return true;
        }
        if (event.service().isEmpty() || event.instanceId().equals(ownOrigin)) {
            return false;
        }
        return (p[0].equals("*") || p[0].equals(event.service()))
                && (p[1] == null || p[1].equals("*") || p[1].equals(event.event()));
    }

    @Override
    public String eventOrigin(String nodeId, String instanceId) {
        return nodeId;
    }
}
