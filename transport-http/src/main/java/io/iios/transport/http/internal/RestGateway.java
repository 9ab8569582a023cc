package io.iios.transport.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.iios.api.AccessDeniedException;
import io.iios.api.Authenticator;
import io.iios.api.BadMessageException;
import io.iios.api.CallTimeoutException;
import io.iios.api.Credentials;
import io.iios.api.Event;
import io.iios.api.EventSubscription;
import io.iios.api.Gateway;
import io.iios.api.IiosException;
import io.iios.api.InstanceInfo;
import io.iios.api.MethodInfo;
import io.iios.api.Principal;
import io.iios.api.RemoteFailureException;
import io.iios.api.ServiceInfo;
import io.iios.api.ServiceUnavailableException;
import io.iios.api.TransportFailureException;
import io.iios.core.IiosNode;
import io.iios.transport.http.HttpOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The public REST gateway: {@code GET|PUT|POST|DELETE /api/SERVICE/METHOD} for verb-annotated methods,
 * {@code /api/services}, {@code /api/events} (SSE), {@code /api/openapi.json}, {@code /metrics}. Every
 * call goes through {@code gateway.as(principal)} with what the {@link Authenticator} returned, or
 * anonymously; a user id is never read from the request itself. Errors are RFC 9457 problems.
 */
final class RestGateway {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SSE_KEEP_ALIVE_MILLIS = 15_000;
    private final IiosNode node;
    private final HttpOptions options;
    private final @Nullable Authenticator authenticator;
    private final String headerName;

    RestGateway(IiosNode node, HttpOptions options, @Nullable Authenticator authenticator, String headerName) {
        this.node = node;
        this.headerName = headerName;
        this.options = options;
        this.authenticator = authenticator;
    }

    void register(HttpRouting.Builder r) {
        r.get("/api/services", this::services);
        r.get("/api/events", this::events);
        r.get("/api/openapi.json", this::openApi);
        r.get("/metrics", this::metrics);
        r.any("/api/{service}/{method}", this::call);
        r.any("/api/*", (req, res) -> Problem.send(res, 404, "not-found", "Not Found",
                "no such route; calls are /api/SERVICE/METHOD", req.path().path()));
    }

    // ------------------------------------------------------------------ auth

    /** The gateway to call with, or null when a 401 was sent. */
    private @Nullable Gateway authenticate(ServerRequest req, ServerResponse res) {
        if (options.auth() == HttpOptions.Auth.NONE || authenticator == null) {
            return node.gateway();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : req.headers()) {
            headers.put(h.name(), h.value());
        }
        Credentials creds = new Credentials(headers, peer(req));
        Optional<Principal> principal;
        try {
            principal = authenticator.authenticate(creds);
        } catch (RuntimeException e) {
            principal = Optional.empty();
        }
        if (principal.isPresent()) {
            return node.gateway().as(principal.get());
        }
        boolean presented = options.auth() == HttpOptions.Auth.JWT ? creds.header("authorization").isPresent()
                : creds.header(headerName).isPresent();
        if (!presented && options.allowAnonymous()) {
            return node.gateway();
        }
        res.header(HeaderNames.WWW_AUTHENTICATE, options.auth() == HttpOptions.Auth.JWT ? "Bearer" : "IIOS-Proxy");
        Problem.send(res, 401, "unauthorized", "Unauthorized", presented
                ? "the credentials are not valid" : "credentials are required", req.path().path());
        return null;
    }

    private static @Nullable String peer(ServerRequest req) {
        SocketAddress a = req.remotePeer().address();
        if (a instanceof InetSocketAddress i && i.getAddress() != null) {
            return i.getAddress().getHostAddress();
        }
        return null;
    }

    // ------------------------------------------------------------------ calls

    private void call(ServerRequest req, ServerResponse res) throws Exception {
        String service = req.path().pathParameters().get("service");
        String method = req.path().pathParameters().get("method");
        String verb = req.prologue().method().text().toUpperCase(Locale.ROOT);
        String instance = req.path().path();
        Optional<ServiceInfo> si = node.gateway().service(service);
        if (si.isEmpty()) {
            Problem.send(res, 404, "unknown-service", "Not Found", "no live service '" + service + "'", instance);
            return;
        }
        MethodInfo mi = null;
        for (InstanceInfo i : si.get().instances()) {
            mi = i.methods().get(method);
            if (mi != null) {
                break;
            }
        }
        if (mi == null || !mi.publicHttp()) {
            Problem.send(res, 404, "unknown-method", "Not Found", "service '" + service
                    + "' has no method '" + method + "' on the HTTP API (only @Get/@Put/@Post/@Delete methods are)",
                    instance);
            return;
        }
        if (!mi.verb().name().equals(verb)) {
            res.header(HeaderNames.ALLOW, mi.verb().name());
            Problem.send(res, 405, "method-not-allowed", "Method Not Allowed", service + "." + method
                    + " is called with " + mi.verb().name() + ", not " + verb, instance);
            return;
        }
        Object[] args;
        try {
            byte[] body = Bodies.read(req, options.maxBody(), options.readTimeout());
            args = arguments(req, body);
        } catch (Bodies.TooLarge e) {
            Problem.send(res, 413, "too-large", "Content Too Large", e.getMessage(), instance);
            return;
        } catch (Bodies.TooSlow e) {
            res.header(HeaderNames.CONNECTION, "close");
            Problem.send(res, 408, "too-slow", "Request Timeout", e.getMessage(), instance);
            return;
        } catch (BadArguments e) {
            Problem.send(res, 400, "bad-arguments", "Bad Request", e.getMessage(), instance);
            return;
        }
        Gateway gw = authenticate(req, res);
        if (gw == null) {
            return;
        }
        Object result;
        try {
            result = gw.api(service).call(method, args);
        } catch (IiosException e) {
            sendError(res, e, instance);
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(JSON.writeValueAsBytes(result));
    }

    private static void sendError(ServerResponse res, IiosException e, String instance) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        switch (e) {
            case BadMessageException b -> Problem.send(res, 400, "bad-arguments", "Bad Request", msg, instance);
            case AccessDeniedException a -> Problem.send(res, 403, "access-denied", "Forbidden", msg, instance);
            case ServiceUnavailableException s -> Problem.send(res, 503, "service-unavailable",
                    "Service Unavailable", msg, instance);
            case TransportFailureException t -> Problem.send(res, 503, "transport-unavailable",
                    "Service Unavailable", msg, instance);
            case CallTimeoutException t -> Problem.send(res, 504, "timeout", "Gateway Timeout", msg, instance);
            case RemoteFailureException r -> Problem.send(res, 500, "remote-failure", "Internal Server Error",
                    msg, instance, Map.of("exception", r.remoteType()));
            default -> Problem.send(res, 500, "internal", "Internal Server Error", msg, instance);
        }
    }

    /** Arguments that are not a JSON array, or a query parameter that does not parse. */
    static final class BadArguments extends Exception {
        private static final long serialVersionUID = 1L;

        BadArguments(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A JSON array body; without a body, {@code ?args=[JSON array]} then each {@code a=VALUE} in order
     * (a VALUE that is not JSON is taken as a string).
     */
    static Object[] arguments(ServerRequest req, byte[] body) throws BadArguments {
        if (body.length > 0 && !new String(body, StandardCharsets.UTF_8).isBlank()) {
            return array(body, "the body");
        }
        List<Object> out = new ArrayList<>();
        Optional<String> all = req.query().first("args").asOptional();
        if (all.isPresent()) {
            out.addAll(List.of(array(all.get().getBytes(StandardCharsets.UTF_8), "query parameter 'args'")));
        }
        if (req.query().contains("a")) {
            for (String v : req.query().all("a")) {
                try {
                    out.add(JSON.readValue(v, Object.class));
                } catch (JsonProcessingException e) {
                    out.add(v);
                }
            }
        }
        return out.toArray();
    }

    private static Object[] array(byte[] json, String where) throws BadArguments {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new BadArguments(where + " is not valid JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (n == null || !n.isArray()) {
            throw new BadArguments(where + " must be a JSON array of the arguments, e.g. [1, 2]");
        }
        Object[] args = new Object[n.size()];
        for (int i = 0; i < n.size(); i++) {
            args[i] = JSON.convertValue(n.get(i), Object.class);
        }
        return args;
    }

    // ------------------------------------------------------------------ listing, OpenAPI, metrics

    private void services(ServerRequest req, ServerResponse res) throws Exception {
        if (authenticate(req, res) == null) {
            return;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (ServiceInfo s : node.gateway().services()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("instances", s.instances().size());
            Map<String, String> methods = new TreeMap<>();
            for (InstanceInfo i : s.instances()) {
                i.methods().values().stream().filter(MethodInfo::publicHttp)
                        .forEach(mi -> methods.put(mi.name(), mi.verb().name()));
            }
            m.put("methods", methods);
            out.add(m);
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(JSON.writeValueAsBytes(out));
    }

    private void openApi(ServerRequest req, ServerResponse res) throws Exception {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(JSON.writeValueAsBytes(OpenApiDocument.of(node.gateway().services(), node.namespace(),
                options.auth())));
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        PrometheusMeterRegistry prom = prometheus(node.meterRegistry());
        if (prom == null) {
            Problem.send(res, 404, "no-metrics", "Not Found", "this node's meter registry is not a "
                    + "PrometheusMeterRegistry (pass one with Iios.builder().meterRegistry(...))", "/metrics");
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(prom.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private static @Nullable PrometheusMeterRegistry prometheus(MeterRegistry r) {
        if (r instanceof PrometheusMeterRegistry p) {
            return p;
        }
        if (r instanceof CompositeMeterRegistry c) {
            for (MeterRegistry m : c.getRegistries()) {
                PrometheusMeterRegistry p = prometheus(m);
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ events

    private void events(ServerRequest req, ServerResponse res) {
        String pattern = req.query().first("pattern").orElse(node.namespace() + ":event");
        if (authenticate(req, res) == null) {
            return;
        }
        BlockingQueue<Event> queue = new ArrayBlockingQueue<>(10_000);
        EventSubscription sub;
        try {
            sub = node.events().on(pattern, e -> queue.offer(e));
        } catch (IllegalArgumentException e) {
            Problem.send(res, 400, "bad-pattern", "Bad Request", e.getMessage(), req.path().path());
            return;
        } catch (IiosException e) {
            sendError(res, e, req.path().path());
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        try (java.io.OutputStream out = res.outputStream()) {
            out.write((": subscribed " + pattern.replace('\n', ' ') + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                Event e = queue.poll(SSE_KEEP_ALIVE_MILLIS, TimeUnit.MILLISECONDS);
                if (e == null) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    continue;
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("service", e.meta().service());
                data.put("event", e.meta().event());
                data.put("instance", e.meta().instanceId());
                data.put("timestamp", e.meta().timestamp().toEpochMilli());
                data.put("payload", e.payload());
                // JSON has no raw newline, so one data line holds the event
                out.write(("event: " + e.meta().event() + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the client went away
        } finally {
            sub.close();
        }
    }

    static Status status(int code) {
        return Status.create(code);
    }
}
