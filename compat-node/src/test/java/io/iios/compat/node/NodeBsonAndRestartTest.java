package io.iios.compat.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.iios.api.CallTimeoutException;
import io.iios.api.ServiceUnavailableException;
import io.iios.api.TransportFailureException;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The BSON encoder over pub/sub both ways, and a Node service restarting while a Java gateway calls it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("node-v2 interop: BSON over pub/sub, and a restarting Node service")
class NodeBsonAndRestartTest {
    private String ns;
    private final List<AutoCloseable> open = new ArrayList<>();
    private NodeGatewayProcess gateway;
    private IiosNode jnode;

    @BeforeAll
    void start() {
        NodeFixture.require();
        ns = NodeFixture.namespace();
        open.add(new NodeFixture.NodeProcess("bob", "service.js", Map.of("NS", ns, "NAME", "bob",
                "HTTP_RPC", "false", "ENCODER", "bson")).awaitReady());
        jnode = Iios.builder().set("iios.protocol", "node-v2").set("iios.namespace", ns).set("iios.encoder", "bson")
                .set("iios.transport", "redis").set("iios.redis.uri", NodeFixture.REDIS).set("iios.call.timeout", "2s")
                .service(new JBob()).start();
        open.add(jnode);
        gateway = new NodeGatewayProcess(ns, "bson");
        open.add(gateway.awaitReady());
    }

    @AfterAll
    void stop() {
        NodeFixture.closeAll(open, ns, "none");
    }

    @Test
    @DisplayName("5. BSON: Java gateway -> Node service, request and reply as BSON documents")
    void p05_bsonJavaCallsNode() {
        jnode.gateway().waitForService("bob", Duration.ofSeconds(10));
        assertThat(jnode.gateway().call("bob", "add", 2, 3)).isEqualTo(5);
        assertThat(jnode.gateway().call("bob", "echo", Map.of("big", 5_000_000_000L, "d", 1.5, "s", List.of("x"))))
                .isEqualTo(Map.of("big", 5_000_000_000L, "d", 1.5, "s", List.of("x")));
        assertThat(jnode.gateway().asUser("alice").call("bob", "whoami")).isEqualTo("alice");
    }

    @Test
    @DisplayName("16. BSON: Node gateway -> Java service; replies use the request's encoder")
    void p16_bsonNodeCallsJava() {
        assertThat(gateway.waitFor("jbob").ok()).isTrue();
        NodeGatewayProcess.Answer a = gateway.call("jbob", "add", List.of(2, 3));
        assertThat(a.ok()).as(a.err()).isTrue();
        assertThat(a.result().asInt()).isEqualTo(5);
        assertThat(gateway.call("jbob", "fail", List.of("b")).err()).isEqualTo(
                "IllegalStateException: jbob failed on purpose: b");
    }

    @Test
    @DisplayName("20. BSON: events from Node reach Java listeners")
    void p20_bsonEvents() {
        jnode.gateway().waitForService("bob", Duration.ofSeconds(10));
        List<Object> got = new CopyOnWriteArrayList<>();
        var sub = jnode.events().on("iios:bob:event:tick", e -> got.add(e.payload()));
        try {
            jnode.gateway().call("bob", "tick", 3);
            await().atMost(Duration.ofSeconds(5)).until(() -> got.contains(Map.of("n", 3)));
        } finally {
            sub.close();
        }
    }

    @Test
    @DisplayName("a Node service restarting while a Java gateway calls it: calls resume on the new process")
    void nodeServiceRestartsWhileCalled() throws Exception {
        NodeFixture.NodeProcess rob = new NodeFixture.NodeProcess("rob", "service.js", Map.of("NS", ns, "NAME", "rob",
                "HTTP_RPC", "false", "ENCODER", "bson", "GENERATION", "1")).awaitReady();
        open.add(rob);
        jnode.gateway().waitForService("rob", Duration.ofSeconds(10));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Object> last = new AtomicReference<>();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        List<String> outcomes = new CopyOnWriteArrayList<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                try {
                    last.set(jnode.gateway().call("rob", "version"));
                    outcomes.add("ok:" + last.get());
                } catch (ServiceUnavailableException e) {
                    outcomes.add(e.getClass().getSimpleName());
                    try {
                        jnode.gateway().waitForService("rob", Duration.ofSeconds(5)); // no busy loop while it is away
                    } catch (ServiceUnavailableException stillAway) {
                        // next round
                    }
                } catch (CallTimeoutException | TransportFailureException e) {
                    outcomes.add(e.getClass().getSimpleName());
                } catch (Throwable t) {
                    unexpected.add(t);
                }
            }
        });
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(last.get()));
            rob.close(); // SIGTERM: Node DELs its record
            await().atMost(Duration.ofSeconds(20)).until(() -> jnode.gateway().service("rob").isEmpty());
            NodeFixture.NodeProcess rob2 = new NodeFixture.NodeProcess("rob2", "service.js", Map.of("NS", ns,
                    "NAME", "rob", "HTTP_RPC", "false", "ENCODER", "bson", "GENERATION", "2")).awaitReady();
            open.add(rob2);
            await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(last.get()));
        } finally {
            running.set(false);
            caller.join(Duration.ofSeconds(10));
        }
        assertThat(unexpected).isEmpty();
        assertThat(outcomes).contains("ok:1", "ok:2");
        assertThat(jnode.gateway().call("rob", "add", 1, 1)).isEqualTo(2);
    }
}
