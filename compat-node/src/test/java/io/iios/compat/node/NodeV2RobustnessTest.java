package io.iios.compat.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.iios.core.Iios;
import io.iios.core.IiosNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * What kills Node IIOS 2.5.3 processes (W1, W9 of the reference) is dropped and counted by Java nodes.
 * Only Java nodes live in this namespace: a Node process here would exit on this input.
 */
@DisplayName("node-v2: malformed records, null events and garbage never crash a Java node")
class NodeV2RobustnessTest {
    private String ns;
    private IiosNode a;
    private IiosNode b;
    private RedisClient redis;

    @BeforeEach
    void start() {
        NodeFixture.require();
        ns = NodeFixture.namespace();
        redis = NodeFixture.redis(0);
        a = node().service(new JBob()).start();
        b = node().start();
        b.gateway().waitForService("jbob", Duration.ofSeconds(10));
    }

    private Iios.Builder node() {
        return Iios.builder().set("iios.protocol", "node-v2").set("iios.namespace", ns)
                .set("iios.transport", "redis").set("iios.redis.uri", NodeFixture.REDIS);
    }

    @AfterEach
    void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        if (redis != null) {
            redis.close();
        }
        NodeFixture.deleteKeys(ns, "none");
    }

    @Test
    @DisplayName("2. non-JSON, null and shapeless registry values are dropped and counted (Node exits: W9)")
    void p02_malformedRecordsTolerated() {
        double before = NodeInteropTest.dropped(b, "malformed-record");
        redis.set("iios:" + ns + ":junk", "notjson");
        redis.set("iios:" + ns + ":nil", "null");
        redis.set("iios:" + ns + ":shapeless", "{\"name\":\"shapeless\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> NodeInteropTest.dropped(b, "malformed-record") - before >= 3);
        assertThat(b.gateway().service("junk")).isEmpty();
        assertThat(b.gateway().call("jbob", "add", 1, 2)).isEqualTo(3);
        // a late joiner reading them all at start survives too
        try (IiosNode late = node().start()) {
            late.gateway().waitForService("jbob", Duration.ofSeconds(10));
            assertThat(NodeInteropTest.dropped(late, "malformed-record")).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    @DisplayName("20. null and malformed events are dropped and counted; listeners keep receiving (Node exits: W1)")
    void p20_nullEventsTolerated() {
        List<Object> got = new CopyOnWriteArrayList<>();
        b.events().on("iios:event", e -> got.add(e.payload()));
        String channel = "iios:" + ns + "__event";
        double before = NodeInteropTest.dropped(b, "malformed-event");
        for (String garbage : List.of("null", "not json", "{}", "{\"meta\":{}}", "[1]")) {
            redis.publish(channel, garbage);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> NodeInteropTest.dropped(b, "malformed-event") - before >= 5);
        a.pushEvent("jbob", "ok", 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> got.contains(1));
    }

    @Test
    @DisplayName("6. replies without the call's token or with meta.req are ignored; the real reply wins")
    void p06_foreignRepliesIgnored() throws Exception {
        // an ordinary call, watched on the wire
        List<String> seen = new CopyOnWriteArrayList<>();
        try (NodeInteropTest.Spy spy = new NodeInteropTest.Spy("iios:" + ns + ":jbob:add", seen)) {
            var f = b.gateway().callAsync("jbob", "add", 20, 22);
            await().atMost(Duration.ofSeconds(5)).until(() -> !seen.isEmpty());
            assertThat(f.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(42);
        }
        double before = NodeInteropTest.dropped(b, "malformed-reply");
        // forge replies to a call in flight: 'mute' has a record but no process, so only forged replies come
        redis.set("iios:" + ns + ":mute", "{\"name\":\"mute\",\"pubsubRPCEnabled\":true,\"creationTimestamp\":1,"
                + "\"methods\":[\"m\"],\"httpMethods\":{\"get\":[],\"post\":[\"m\"],\"put\":[],\"delete\":[]}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> b.gateway().service("mute").isPresent());
        List<String> requests = new CopyOnWriteArrayList<>();
        try (NodeInteropTest.Spy spy = new NodeInteropTest.Spy("iios:" + ns + ":mute:m", requests)) {
            var f = b.gateway().callAsync("mute", "m");
            await().atMost(Duration.ofSeconds(5)).until(() -> !requests.isEmpty());
            String req = requests.get(0).substring(requests.get(0).indexOf(' ') + 1);
            String token = NodeGatewayProcess.JSON.readTree(req).path("meta").path("token").asText();
            String reply = "iios:" + ns + ":mute:m:" + token;
            redis.publish(reply, "{\"meta\":{\"token\":\"other\"},\"response\":1}");
            redis.publish(reply, "{\"meta\":{\"token\":\"" + token + "\",\"req\":true},\"response\":2}");
            redis.publish(reply, "garbage");
            redis.publish(reply, "{\"meta\":{\"token\":\"" + token + "\"},\"response\":3}");
            redis.publish(reply, "{\"meta\":{\"token\":\"" + token + "\"},\"response\":4}");
            assertThat(f.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(3);
        }
        assertThat(NodeInteropTest.dropped(b, "malformed-reply") - before).isGreaterThanOrEqualTo(3);
    }
}
