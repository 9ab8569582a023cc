package io.iios.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.iios.api.BadMessageException;
import io.iios.api.Gateway;
import io.iios.spi.Encoder;
import io.iios.spi.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("bad input never kills a node: it is answered or dropped, and counted")
class BadInputTest {
    private Cluster cluster;
    private Bob bob;
    private IiosNode bobNode;
    private IiosNode gatewayNode;
    private Gateway gateway;
    private SimpleMeterRegistry bobMeters;
    private SimpleMeterRegistry gwMeters;
    private Transport raw;
    private String inbox;

    @BeforeEach
    void start() {
        cluster = new Cluster();
        bob = new Bob();
        bobMeters = new SimpleMeterRegistry();
        gwMeters = new SimpleMeterRegistry();
        bobNode = cluster.start(cluster.builder().service(bob).meterRegistry(bobMeters)
                .set("iios.message.max-bytes", "64KiB"));
        gatewayNode = cluster.start(cluster.builder().meterRegistry(gwMeters));
        gateway = gatewayNode.gateway();
        gateway.waitForService("bob", Duration.ofSeconds(5));
        raw = cluster.raw();
        inbox = cluster.namespace + ":_rpc:bob:" + bobNode.services().get(0).instanceId();
    }

    @AfterEach
    void stop() {
        raw.close();
        cluster.close();
    }

    private double dropped(SimpleMeterRegistry r, String reason) {
        var c = r.find("iios.messages.dropped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private void stillServes() {
        assertThat(gateway.call("bob", "add", 20, 22)).isEqualTo(42);
        assertThat(gateway.call("bob", "hello", "again")).isEqualTo("hello again");
    }

    @Test
    @DisplayName("garbage bytes on a service inbox are dropped and counted")
    void garbageOnInbox() {
        byte[] garbage = new byte[512];
        new Random(42).nextBytes(garbage);
        raw.pubsub().publish(inbox, garbage);
        raw.pubsub().publish(inbox, "{not json".getBytes(StandardCharsets.UTF_8));
        raw.pubsub().publish(inbox, "null".getBytes(StandardCharsets.UTF_8));
        raw.pubsub().publish(inbox, "[1,2,3]".getBytes(StandardCharsets.UTF_8));
        raw.pubsub().publish(inbox, new byte[0]);
        await().atMost(Duration.ofSeconds(5)).until(() -> dropped(bobMeters, "malformed") == 5);
        stillServes();
    }

    @Test
    @DisplayName("a malformed envelope with a reply address is answered with BadMessage")
    void malformedEnvelopeWithReplyAddress() {
        Encoder json = bobNode.encoder();
        String replyTo = cluster.namespace + ":_reply:attacker";
        List<Map<?, ?>> replies = new CopyOnWriteArrayList<>();
        raw.pubsub().subscribe(replyTo, (ch, p) -> replies.add((Map<?, ?>) json.decode(p)));
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("v", 1);
        req.put("t", "req");
        req.put("id", 7);
        req.put("r", replyTo);
        req.put("m", 12); // method must be a string
        raw.pubsub().publish(inbox, json.encode(req));
        await().atMost(Duration.ofSeconds(5)).until(() -> replies.size() == 1);
        assertThat(replies.get(0).get("ok")).isEqualTo(false);
        assertThat(replies.get(0).get("id")).isEqualTo(7);
        assertThat(((Map<?, ?>) replies.get(0).get("err")).get("code")).isEqualTo("BAD_MESSAGE");
        stillServes();
    }

    @Test
    @DisplayName("a reply channel outside the namespace's reply inboxes is never written to")
    void foreignReplyChannel() {
        Encoder json = bobNode.encoder();
        List<byte[]> hijacked = new CopyOnWriteArrayList<>();
        String victim = cluster.namespace + ":bob:event:coucou";
        raw.pubsub().subscribe(victim, (ch, p) -> hijacked.add(p));
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("v", 1);
        req.put("t", "req");
        req.put("id", 1);
        req.put("s", "bob");
        req.put("m", "add");
        req.put("a", List.of(1, 2));
        req.put("r", victim);
        req.put("dl", System.currentTimeMillis() + 10_000);
        req.put("n", "attacker");
        raw.pubsub().publish(inbox, json.encode(req));
        await().atMost(Duration.ofSeconds(5)).until(() -> dropped(bobMeters, "malformed") == 1);
        assertThat(hijacked).isEmpty();
        assertThat(bob.calls.get()).isZero();
        stillServes();
    }

    @Test
    @DisplayName("an oversized message is dropped and counted")
    void oversized() {
        raw.pubsub().publish(inbox, new byte[100 * 1024]);
        await().atMost(Duration.ofSeconds(5)).until(() -> dropped(bobMeters, "oversized") == 1);
        stillServes();
    }

    @Test
    @DisplayName("an expired request is not executed")
    void expiredDeadline() {
        Encoder json = bobNode.encoder();
        String replyTo = cluster.namespace + ":_reply:late";
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("v", 1);
        req.put("t", "req");
        req.put("id", 1);
        req.put("s", "bob");
        req.put("m", "add");
        req.put("a", List.of(1, 2));
        req.put("r", replyTo);
        req.put("dl", System.currentTimeMillis() - 1);
        req.put("n", "late");
        raw.pubsub().publish(inbox, json.encode(req));
        await().atMost(Duration.ofSeconds(5)).until(() -> dropped(bobMeters, "expired") == 1);
        assertThat(bob.calls.get()).isZero();
        stillServes();
    }

    @Test
    @DisplayName("garbage on the reply inbox, discovery channel and event channels is dropped and counted")
    void garbageEverywhere() {
        byte[] garbage = "\u0000\u0001garbage".getBytes(StandardCharsets.UTF_8);
        List<Object> events = new CopyOnWriteArrayList<>();
        gatewayNode.events().on(cluster.namespace + ":event", events::add);
        raw.pubsub().publish(cluster.namespace + ":_reply:" + gatewayNode.nodeId(), garbage);
        raw.pubsub().publish(cluster.namespace + ":_reply:" + gatewayNode.nodeId(),
                "{\"v\":1,\"t\":\"res\",\"id\":999999,\"ok\":true}".getBytes(StandardCharsets.UTF_8));
        raw.pubsub().publish(cluster.namespace + ":_discovery", garbage);
        raw.pubsub().publish(cluster.namespace + ":_discovery", "{\"v\":1,\"t\":\"up\"}".getBytes(StandardCharsets.UTF_8));
        raw.pubsub().publish(cluster.namespace + ":bob:event:coucou", garbage);
        raw.pubsub().publish(cluster.namespace + ":bob:event:coucou", "null".getBytes(StandardCharsets.UTF_8));
        raw.kv().put(cluster.namespace + ":_registry:bob:forged", garbage);
        await().atMost(Duration.ofSeconds(5)).until(() -> dropped(gwMeters, "malformed-reply") == 1
                && dropped(gwMeters, "late-reply") == 1
                && dropped(gwMeters, "malformed-notice") == 2
                && dropped(gwMeters, "malformed-event") == 2
                && dropped(gwMeters, "malformed-record") >= 1);
        assertThat(events).isEmpty();
        assertThat(gateway.service("bob").orElseThrow().instances()).hasSize(1);
        stillServes();
        bobNode.pushEvent("bob", "coucou", "ok");
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
    }

    @Test
    @DisplayName("wrong arguments are answered with BadMessage and counted at the callee")
    void wrongArgumentsCounted() {
        for (int i = 0; i < 3; i++) {
            try {
                gateway.call("bob", "add", "a", "b");
            } catch (BadMessageException expected) {
                // counted below
            }
        }
        assertThat(dropped(bobMeters, "bad-arguments")).isEqualTo(3);
        stillServes();
    }
}
