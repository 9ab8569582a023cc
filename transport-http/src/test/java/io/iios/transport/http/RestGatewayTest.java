package io.iios.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.iios.api.Grants;
import io.iios.api.Possession;
import io.iios.core.Config;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import io.iios.core.MemoryBroker;
import io.iios.spi.MessageHandler;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import io.iios.spi.TransportUnavailableException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The public REST gateway, with the JDK HttpClient against a running server. */
class RestGatewayTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static MemoryBroker broker;
    private static IiosNode bob;
    private static IiosNode open;
    private static IiosNode jwt;
    private static IiosNode header;
    private static IiosNode broken;
    private static PrometheusMeterRegistry prometheus;

    private static Map<String, String> base(String... more) {
        Map<String, String> m = new HashMap<>(Map.of("iios.namespace", "gwtest", "iios.http.host", "127.0.0.1",
                "iios.http.port", "0", "iios.http.gateway", "true", "iios.rbac.enabled", "true",
                "iios.call.timeout", "1s", "iios.http.read-timeout", "1s", "iios.http.max-body", "1MiB"));
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    @BeforeAll
    static void start() {
        broker = MemoryBroker.create();
        bob = Iios.builder().config(Config.of(base())).transport(broker::connect).service(new Bob()).start();
        // anonymous may read bob; user 'alice' (role reader) may read too, role admin everything
        bob.accessControl().grant("anonymous", "bob", "read", Possession.ANY);
        for (String action : Grants.ACTIONS) {
            bob.accessControl().grant("admin", "bob", action, Possession.ANY);
        }
        bob.accessControl().bind("root", "admin");
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        open = Iios.builder().config(Config.of(base("iios.http.cors.origins", "https://app.example.com")))
                .transport(broker::connect).meterRegistry(prometheus).start();
        jwt = Iios.builder().config(Config.of(base("iios.http.auth", "jwt", "iios.auth.jwt.secret", SECRET)))
                .transport(broker::connect).start();
        header = Iios.builder().config(Config.of(base("iios.http.auth", "header")))
                .transport(broker::connect).start();
        broken = Iios.builder().config(Config.of(base("iios.call.route", "broker")))
                .transport(l -> unpublishable(broker.connect(l))).start();
        for (IiosNode n : List.of(open, jwt, header, broken)) {
            n.gateway().waitForService("bob", Duration.ofSeconds(10));
        }
    }

    @AfterAll
    static void stop() {
        for (IiosNode n : List.of(broken, header, jwt, open, bob)) {
            n.close();
        }
    }

    /** A connection whose RPC publishes fail as if the broker were down. */
    private static Transport unpublishable(Transport t) {
        PubSub inner = t.pubsub();
        PubSub ps = new PubSub() {
            @Override
            public void publish(String channel, byte[] payload) {
                if (channel.contains(":_rpc:")) {
                    throw new TransportUnavailableException("broker down (test)", null);
                }
                inner.publish(channel, payload);
            }

            @Override
            public Subscription subscribe(String pattern, MessageHandler handler) {
                return inner.subscribe(pattern, handler);
            }

            @Override
            public Subscription subscribe(String pattern, String group, MessageHandler handler) {
                return inner.subscribe(pattern, group, handler);
            }
        };
        return new Transport() {
            public String name() {
                return t.name();
            }

            public java.util.Set<io.iios.spi.Capability> capabilities() {
                return t.capabilities();
            }

            public io.iios.spi.KvStore kv() {
                return t.kv();
            }

            public PubSub pubsub() {
                return ps;
            }

            public void close() {
                t.close();
            }
        };
    }

    private static String url(IiosNode n, String path) {
        return n.httpEndpoint().orElseThrow() + path;
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return CLIENT.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(IiosNode n, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(n, path))).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    private static HttpResponse<String> body(IiosNode n, String method, String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url(n, path))).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    private static void assertProblem(HttpResponse<String> r, int status, String kind) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("type").asText()).isEqualTo("urn:iios:problem:" + kind);
        assertThat(p.get("title").asText()).isNotEmpty();
        assertThat(p.get("detail").asText()).isNotEmpty();
    }

    @Test
    @DisplayName("GET with ?args=[...] and with positional a=, POST/PUT/DELETE with a JSON array body")
    void calls() throws Exception {
        HttpResponse<String> r = get(open, "/api/bob/add?args=%5B2,3%5D");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("5");
        assertThat(get(open, "/api/bob/hello?a=world").body()).isEqualTo("\"hello world\"");
        assertThat(get(open, "/api/bob/add?a=40&a=2").body()).isEqualTo("42");
    }

    @Test
    @DisplayName("404 unknown service, 404 unknown or unannotated method, 405 wrong verb with Allow")
    void notFoundAndWrongVerb() throws Exception {
        assertProblem(get(open, "/api/nobody/hello"), 404, "unknown-service");
        assertProblem(get(open, "/api/bob/nothing"), 404, "unknown-method");
        assertProblem(body(open, "POST", "/api/bob/internal", "[]"), 404, "unknown-method");
        HttpResponse<String> r = body(open, "POST", "/api/bob/hello", "[\"x\"]");
        assertProblem(r, 405, "method-not-allowed");
        assertThat(r.headers().firstValue("allow")).hasValue("GET");
    }

    @Test
    @DisplayName("400 for malformed JSON, a body that is not an array, and the wrong arity or types")
    void badArguments() throws Exception {
        assertProblem(get(open, "/api/bob/add?args=%5B1,"), 400, "bad-arguments");
        assertProblem(body(open, "DELETE", "/api/bob/remove", "{\"id\":1}"), 400, "bad-arguments");
        assertProblem(get(open, "/api/bob/add?args=%7B%7D"), 400, "bad-arguments");
        assertProblem(get(open, "/api/bob/add?a=1"), 400, "bad-arguments");
        assertProblem(get(open, "/api/bob/add?a=x&a=1"), 400, "bad-arguments");
        assertThat(get(open, "/api/bob/add?a=1&a=1").body()).isEqualTo("2");
    }

    @Test
    @DisplayName("401 without credentials, 200 with a valid JWT (the call carries its subject), 403 when RBAC denies")
    void authentication() throws Exception {
        assertProblem(get(jwt, "/api/bob/whoami"), 401, "unauthorized");
        assertProblem(get(jwt, "/api/bob/whoami", "Authorization", "Bearer not-a-token"), 401, "unauthorized");
        HttpResponse<String> ok = get(jwt, "/api/bob/whoami", "Authorization", "Bearer " + token("root"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("\"root\"");
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(url(jwt, "/api/bob/size")))
                .header("Authorization", "Bearer " + token("root")).PUT(HttpRequest.BodyPublishers.ofString("[\"ab\"]")));
        assertThat(put.body()).isEqualTo("2");
        // user eve has no binding: anonymous, which may read but not create
        assertProblem(send(HttpRequest.newBuilder(URI.create(url(jwt, "/api/bob/size")))
                .header("Authorization", "Bearer " + token("eve")).PUT(HttpRequest.BodyPublishers.ofString("[\"ab\"]"))),
                403, "access-denied");
    }

    @Test
    @DisplayName("a client cannot claim a user id by a header of its own")
    void headerSpoofing() throws Exception {
        // no authentication configured: headers are ignored, the call is anonymous and RBAC denies it
        HttpResponse<String> r = body(open, "PUT", "/api/bob/size", "[\"ab\"]");
        assertProblem(r, 403, "access-denied");
        HttpResponse<String> spoofed = send(HttpRequest.newBuilder(URI.create(url(open, "/api/bob/size")))
                .header("X-Forwarded-User", "root").header("X-Iios-User", "root").header("Iios-Priv", "true")
                .PUT(HttpRequest.BodyPublishers.ofString("[\"ab\"]")));
        assertProblem(spoofed, 403, "access-denied");
        assertThat(get(open, "/api/bob/whoami", "X-Forwarded-User", "root").body()).isEqualTo("\"anonymous\"");
        // trusted-header authentication with no trusted proxy: the header is refused, not believed
        assertProblem(get(header, "/api/bob/whoami", "X-Forwarded-User", "root"), 401, "unauthorized");
    }

    @Test
    @DisplayName("500 when the method throws, 503 when the call cannot be sent, 504 when it times out")
    void serverSideErrors() throws Exception {
        HttpResponse<String> fail = send(HttpRequest.newBuilder(URI.create(url(jwt, "/api/bob/fail")))
                .header("Authorization", "Bearer " + token("root")).POST(HttpRequest.BodyPublishers.ofString("[\"boom\"]")));
        assertProblem(fail, 500, "remote-failure");
        assertThat(JSON.readTree(fail.body()).get("exception").asText()).isEqualTo("java.lang.IllegalStateException");
        assertProblem(get(broken, "/api/bob/hello?a=x"), 503, "transport-unavailable");
        assertProblem(get(open, "/api/bob/slow?a=3000"), 504, "timeout");
    }

    @Test
    @DisplayName("413 for a 50 MiB body, and the server keeps serving")
    void tooLarge() throws Exception {
        byte[] big = new byte[50 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '[';
        big[big.length - 1] = ']';
        HttpResponse<String> r;
        try {
            r = send(HttpRequest.newBuilder(URI.create(url(open, "/api/bob/size")))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofByteArray(big)));
            assertThat(r.statusCode()).isEqualTo(413);
        } catch (java.io.IOException e) {
            // the server may close the connection after its 413 while the client still writes
            assertThat(e).isNotNull();
        }
        assertThat(get(open, "/api/bob/add?a=1&a=2").body()).isEqualTo("3");
    }

    @Test
    @DisplayName("a client that sends headers and trickles its body is cut off; others are served meanwhile")
    void slowClient() throws Exception {
        URI u = URI.create(url(open, "/api/bob/size"));
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT /api/bob/size HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n[").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(get(open, "/api/bob/add?a=2&a=2").body()).isEqualTo("4");
            InputStream in = s.getInputStream();
            // the server gives up within its read timeout (1 s here): a 408 answer or a closed connection
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
                try {
                    out.write(' ');
                    out.flush();
                } catch (java.io.IOException closed) {
                    return true;
                }
                return in.available() > 0;
            });
        }
        assertThat(get(open, "/api/bob/add?a=3&a=2").body()).isEqualTo("5");
    }

    @Test
    @DisplayName("GET /api/services lists live services with their HTTP methods; OpenAPI 3.1 at /api/openapi.json")
    void servicesAndOpenApi() throws Exception {
        JsonNode services = JSON.readTree(get(open, "/api/services").body());
        JsonNode b = null;
        for (JsonNode s : services) {
            if (s.get("name").asText().equals("bob")) {
                b = s;
            }
        }
        assertThat(b).isNotNull();
        assertThat(b.get("methods").get("hello").asText()).isEqualTo("GET");
        assertThat(b.get("methods").has("internal")).isFalse();
        JsonNode api = JSON.readTree(get(open, "/api/openapi.json").body());
        assertThat(api.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(api.get("paths").has("/api/bob/hello")).isTrue();
        assertThat(api.get("paths").get("/api/bob/size").has("put")).isTrue();
        assertThat(api.get("paths").has("/api/bob/internal")).isFalse();
    }

    @Test
    @DisplayName("/health answers, /metrics is Prometheus text from the node's registry")
    void healthAndMetrics() throws Exception {
        HttpResponse<String> h = get(open, "/health");
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(h.body()).get("status").asText()).isEqualTo("UP");
        get(open, "/api/bob/add?a=1&a=1");
        HttpResponse<String> m = get(open, "/metrics");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body()).contains("iios_client_calls");
    }

    @Test
    @DisplayName("CORS: a preflight from an allowed origin gets 204 and the allowed methods; others get no grant")
    void cors() throws Exception {
        HttpResponse<String> pre = send(HttpRequest.newBuilder(URI.create(url(open, "/api/bob/hello")))
                .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "GET")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(pre.statusCode()).isEqualTo(204);
        assertThat(pre.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example.com");
        assertThat(pre.headers().firstValue("access-control-allow-methods").orElse("")).contains("GET");
        HttpResponse<String> simple = get(open, "/api/bob/hello?a=x", "Origin", "https://app.example.com");
        assertThat(simple.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example.com");
        HttpResponse<String> other = get(open, "/api/bob/hello?a=x", "Origin", "https://evil.example.com");
        assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    @DisplayName("GET /api/events?pattern=... streams events as Server-Sent Events")
    void serverSentEvents() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpResponse<InputStream> r = CLIENT.send(HttpRequest.newBuilder(
                URI.create(url(open, "/api/events?pattern=gwtest:bob:event"))).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader br = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = br.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // closed at the end of the test
            }
        });
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !lines.isEmpty()); // subscribed
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                bob.pushEvent("bob", "coucou", Map.of("toto", "titi"));
                return lines.stream().anyMatch(l -> l.equals("event: coucou"))
                        && lines.stream().anyMatch(l -> l.startsWith("data:") && l.contains("\"toto\":\"titi\""));
            });
        } finally {
            r.body().close();
            reader.interrupt();
        }
    }

    private static String token(String subject) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject)
                .expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
