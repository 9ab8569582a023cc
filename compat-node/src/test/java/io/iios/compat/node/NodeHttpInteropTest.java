package io.iios.compat.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.iios.api.InstanceInfo;
import io.iios.api.RemoteFailureException;
import io.iios.api.TransportFailureException;
import io.iios.api.Verb;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.RedisClient;

/** A Java gateway calling a Node IIOS 2.5.3 service in its default mode, HTTP RPC (httpRPC: true). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("node-v2 interop: Java gateway -> Node service over HTTP (base64 BSON bodies)")
class NodeHttpInteropTest {
    private String ns;
    private int port;
    private final List<AutoCloseable> open = new ArrayList<>();
    private IiosNode jnode;

    @BeforeAll
    void start() throws IOException {
        NodeFixture.require();
        ns = NodeFixture.namespace();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        open.add(new NodeFixture.NodeProcess("hbob", "service.js", Map.of("NS", ns, "NAME", "hbob",
                "PORT", String.valueOf(port), "HTTP_RPC", "true")).awaitReady());
        jnode = Iios.builder().set("iios.protocol", "node-v2").set("iios.namespace", ns)
                .set("iios.transport", "redis").set("iios.redis.uri", NodeFixture.REDIS).start();
        open.add(jnode);
    }

    @AfterAll
    void stop() {
        NodeFixture.closeAll(open, ns, "none");
    }

    @Test
    @DisplayName("8. HTTP call: verb from httpMethods, /api/<method>, {\"rq\": base64 BSON}, userId header")
    void p08_httpCall() {
        InstanceInfo hbob = jnode.gateway().waitForService("hbob", Duration.ofSeconds(10)).instances().get(0);
        assertThat(hbob.httpEndpoint()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(hbob.methods().get("whoami").verb()).isEqualTo(Verb.GET);
        assertThat(jnode.gateway().call("hbob", "add", 2, 3)).as("POST").isEqualTo(5);
        assertThat(jnode.gateway().asUser("alice").call("hbob", "whoami")).as("GET with a body").isEqualTo("alice");
        assertThat(jnode.gateway().call("hbob", "create", Map.of("k", 1))).as("PUT")
                .isEqualTo(Map.of("created", Map.of("k", 1)));
        assertThat(jnode.gateway().call("hbob", "remove", "x")).as("DELETE").isEqualTo(Map.of("removed", "x"));
    }

    @Test
    @DisplayName("9. HTTP answer: err is a failure, result is BSON {result}; 404 HTML is a transport error")
    void p09_httpAnswers() {
        jnode.gateway().waitForService("hbob", Duration.ofSeconds(10));
        assertThatThrownBy(() -> jnode.gateway().call("hbob", "fail", "h"))
                .isInstanceOfSatisfying(RemoteFailureException.class,
                        e -> assertThat(e.remoteMessage()).isEqualTo("bob failed on purpose: h"));
        assertThat(jnode.gateway().call("hbob", "echo", List.of(1, "two", Map.of("three", 3.5))))
                .isEqualTo(List.of(1, "two", Map.of("three", 3.5)));
        // a record that points at the same server for a method it does not serve
        String key = "iios:" + ns + ":ghosthttp";
        try (RedisClient redis = NodeFixture.redis(0)) {
            redis.set(key, "{\"name\":\"ghosthttp\",\"pubsubRPCEnabled\":false,\"creationTimestamp\":1,"
                    + "\"methods\":[\"nosuch\"],\"httpMethods\":{\"get\":[],\"post\":[\"nosuch\"],\"put\":[],"
                    + "\"delete\":[]},\"httpServer\":{\"host\":\"127.0.0.1\",\"port\":" + port + "}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> jnode.gateway().service("ghosthttp").isPresent());
            assertThatThrownBy(() -> jnode.gateway().call("ghosthttp", "nosuch"))
                    .isInstanceOf(TransportFailureException.class).hasMessageContaining("HTTP 404");
        }
    }
}
