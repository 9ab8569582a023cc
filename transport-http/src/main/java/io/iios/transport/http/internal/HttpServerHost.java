package io.iios.transport.http.internal;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.iios.api.CallTimeoutException;
import io.iios.api.ServiceUnavailableException;
import io.iios.core.extension.NodeContext;
import io.iios.transport.http.HttpOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Helidon WebServer with the routes a node (or a standalone discovery server) serves. */
public final class HttpServerHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServerHost.class);
    private static final long MAX_WAIT_MILLIS = 300_000;
    private final WebServer server;
    private final String url;

    private HttpServerHost(WebServer server, String url) {
        this.server = server;
        this.url = url;
    }

    /**
     * Starts a server.
     *
     * @param intercall the node whose hosted services the intercall route serves, or null
     * @param hub a discovery server's hub to serve, or null
     * @param gateway the REST gateway to serve, or null
     * @param brokerUp what {@code /health} reports about the transport
     * @param extra more routes (tests, benchmarks)
     */
    static HttpServerHost start(HttpOptions options, @Nullable NodeContext intercall, @Nullable String contentType,
            @Nullable HubRoutes hub, @Nullable RestGateway gateway, BooleanSupplier brokerUp, String name,
            @Nullable Consumer<HttpRouting.Builder> extra) {
        HttpRouting.Builder routing = HttpRouting.builder();
        if (gateway != null && !options.corsOrigins().isEmpty()) {
            Cors cors = new Cors(options.corsOrigins());
            routing.addFilter(cors::filter);
        }
        if (intercall != null) {
            io.micrometer.core.instrument.Counter served = io.micrometer.core.instrument.Counter
                    .builder("iios.http.intercall.requests").description("requests served on the HTTP intercall route")
                    .tag("node", intercall.node().nodeId()).register(intercall.node().meterRegistry());
            routing.post(IntercallClient.PATH + "{service}/{method}", (req, res) -> {
                served.increment();
                intercall(intercall, contentType, options, req, res);
            });
        }
        if (intercall != null && "node-v2".equals(intercall.node().protocol())) {
            routing.any("/api/{method}", (req, res) -> nodeV2Api(intercall, options, req, res));
        }
        if (hub != null) {
            hub.register(routing);
        }
        routing.get("/health", (req, res) -> {
            boolean up = brokerUp.getAsBoolean();
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(("{\"status\":\"UP\",\"node\":\"" + name + "\",\"transport\":\"" + (up ? "UP" : "DOWN")
                    + "\"}").getBytes(StandardCharsets.UTF_8));
        });
        if (gateway != null) {
            gateway.register(routing);
        }
        if (extra != null) {
            extra.accept(routing);
        }
        io.helidon.webserver.WebServerConfig.Builder builder = WebServer.builder();
        io.helidon.common.tls.Tls tls = TlsContexts.server(options.tls());
        if (tls != null) {
            builder.tls(tls);
        }
        WebServer server = builder
                .host(options.host())
                .port(options.port())
                .shutdownHook(false)
                .maxPayloadSize(options.maxBody())
                .connectionOptions(o -> o.readTimeout(options.readTimeout()).tcpNoDelay(true))
                .routing(routing)
                .build()
                .start();
        String url = options.advertisedUrl(server.port());
        LOG.info("HTTP server of {} on {}:{} (advertised as {})", name, options.host(), server.port(), url);
        return new HttpServerHost(server, url);
    }

    private static void intercall(NodeContext ctx, @Nullable String contentType, HttpOptions options,
            ServerRequest req, ServerResponse res) throws Exception {
        String service = req.path().pathParameters().get("service");
        String type = Bodies.contentType(req);
        if (contentType != null && !type.isEmpty() && !type.startsWith(contentType)) {
            res.status(Status.UNSUPPORTED_MEDIA_TYPE_415).send("this node's envelopes are " + contentType
                    + " (iios.encoder), not " + type);
            return;
        }
        byte[] body = Bodies.readOrAnswer(req, res, options.maxBody(), options.readTimeout());
        if (body == null) {
            return;
        }
        long wait = MAX_WAIT_MILLIS;
        String t = req.headers().first(HeaderNames.create(IntercallClient.TIMEOUT_HEADER)).orElse("");
        try {
            wait = Math.min(MAX_WAIT_MILLIS, Math.max(1, Long.parseLong(t)));
        } catch (NumberFormatException e) {
            // no hint: the largest wait
        }
        try {
            byte[] reply = ctx.handleRequest(service, body, Duration.ofMillis(wait)).get();
            if (contentType != null) {
                res.header(HeaderNames.CONTENT_TYPE, contentType);
            }
            res.send(reply);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ServiceUnavailableException) {
                res.status(Status.SERVICE_UNAVAILABLE_503).send(c.getMessage());
            } else if (c instanceof CallTimeoutException) {
                res.status(Status.GATEWAY_TIMEOUT_504).send(c.getMessage());
            } else {
                res.status(Status.INTERNAL_SERVER_ERROR_500).send(String.valueOf(c));
            }
        }
    }

    /** Node IIOS 2.x's HTTP RPC route (iios.protocol=node-v2): the body format is core's business. */
    private static void nodeV2Api(NodeContext ctx, HttpOptions options, ServerRequest req, ServerResponse res)
            throws Exception {
        String method = req.path().pathParameters().get("method");
        byte[] body = Bodies.readOrAnswer(req, res, options.maxBody(), options.readTimeout());
        if (body == null) {
            return;
        }
        String verb = req.prologue().method().text();
        String userId = req.headers().first(HeaderNames.create("userId")).orElse(null);
        String privileged = req.headers().first(HeaderNames.create("privileged")).orElse(null);
        try {
            byte[] answer = ctx.handleNodeV2Api(verb, method, body, Bodies.contentType(req), userId, privileged,
                    Duration.ofMillis(MAX_WAIT_MILLIS)).get();
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(answer);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ServiceUnavailableException) {
                res.status(Status.NOT_FOUND_404).send(c.getMessage());
            } else if (c instanceof java.util.concurrent.TimeoutException) {
                res.status(Status.GATEWAY_TIMEOUT_504).send("no reply from " + method);
            } else {
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                res.send(("{\"err\":" + quote(String.valueOf(c)) + "}").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                b.append('\\').append(ch);
            } else if (ch < 0x20) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.append('"').toString();
    }

    /** The port the server listens on. */
    public int port() {
        return server.port();
    }

    /** The URL others use to reach it. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        server.stop();
    }
}
