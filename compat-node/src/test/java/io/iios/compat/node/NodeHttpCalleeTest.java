package io.iios.compat.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.RedisClient;

/** A Node IIOS 2.5.3 gateway calling a Java service that registered pubsubRPCEnabled:false (HTTP RPC). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("node-v2 interop: Node gateway -> Java service over HTTP (base64 BSON bodies)")
class NodeHttpCalleeTest {
    private String ns;
    private final List<AutoCloseable> open = new ArrayList<>();
    private NodeGatewayProcess gateway;
    private IiosNode jnode;

    @BeforeAll
    void start() {
        NodeFixture.require();
        ns = NodeFixture.namespace();
        jnode = Iios.builder().set("iios.protocol", "node-v2").set("iios.namespace", ns)
                .set("iios.transport", "redis").set("iios.redis.uri", NodeFixture.REDIS)
                .set("iios.node-v2.http-rpc", "true").service("jhttp", new JBob()).start();
        open.add(jnode);
        gateway = new NodeGatewayProcess(ns, "json");
        open.add(gateway.awaitReady());
    }

    @AfterAll
    void stop() {
        NodeFixture.closeAll(open, ns, "none");
    }

    @Test
    @DisplayName("17. serve <verb> /api/<method>: {rq: base64 BSON} in, {result: base64 BSON} or {err} out")
    void p17_javaServesNodeHttpRpc() throws Exception {
        NodeGatewayProcess.Answer w = gateway.waitFor("jhttp");
        assertThat(w.ok()).as(w.err()).isTrue();
        assertThat(w.result().path("pubsubRPCEnabled").asBoolean()).isFalse();
        assertThat(w.result().path("httpServer").path("port").asInt()).isPositive();
        assertThat(gateway.call("jhttp", "add", List.of(2, 3)).result().asInt()).isEqualTo(5);
        assertThat(gateway.call("jhttp", "whoami", List.of(), "alice", false).result().asText()).isEqualTo("alice");
        assertThat(gateway.call("jhttp", "create", List.of(Map.of("k", 1))).result().path("created").path("k").asInt())
                .isEqualTo(1);
        assertThat(gateway.call("jhttp", "remove", List.of("x")).result().path("removed").asText()).isEqualTo("x");
        assertThat(gateway.call("jhttp", "fail", List.of("h")).err())
                .isEqualTo("IllegalStateException: jbob failed on purpose: h");
        // no method channel is subscribed: HTTP only, never both
        try (RedisClient redis = NodeFixture.redis(0)) {
            assertThat(NodeFixture.channels(redis, "iios:" + ns + ":jhttp:*")).isEmpty();
        }
    }

    @Test
    @DisplayName("17. urlencoded rq= and args as a BSON object are accepted; wrong verb or method is 404")
    void p17_bodyFormsAndNotFound() throws Exception {
        String base = jnode.httpEndpoint().orElseThrow();
        HttpClient http = HttpClient.newHttpClient();
        // {args: {"a": 4, "b": 5}} as BSON
        byte[] doc = new io.iios.core.internal.codec.BsonEncoder().encode(Map.of("args", new java.util.LinkedHashMap<>(
                Map.of("a", 4))));
        String rq = Base64.getEncoder().encodeToString(doc);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/echo"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("rq=" + URLEncoder.encode(rq, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = NodeGatewayProcess.JSON.readTree(r.body());
        byte[] result = Base64.getDecoder().decode(body.path("result").asText());
        assertThat(new io.iios.core.internal.codec.BsonEncoder().decode(result)).isEqualTo(Map.of("result", 4));
        HttpResponse<String> wrongVerb = http.send(HttpRequest.newBuilder(URI.create(base + "/api/add"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongVerb.statusCode()).isEqualTo(404);
        HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(URI.create(base + "/api/add"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"rq\":\"aGVsbG8=\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(garbage.statusCode()).isEqualTo(200);
        assertThat(NodeGatewayProcess.JSON.readTree(garbage.body()).path("err").asText()).startsWith("BSONError");
    }
}
