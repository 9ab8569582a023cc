package io.iios.compat.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.iios.api.AccessDeniedException;
import io.iios.api.CallTimeoutException;
import io.iios.api.EventMeta;
import io.iios.api.MethodInfo;
import io.iios.api.RemoteFailureException;
import io.iios.api.ServiceInfo;
import io.iios.api.ServiceUnavailableException;
import io.iios.api.Verb;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * The interop checklist of the Node 2.x wire reference (§10), one test per point, against real Node
 * IIOS 2.5.3 processes: a Node service {@code bob} (pub/sub, JSON), a Node gateway, and a Java node with
 * {@code iios.protocol=node-v2} hosting {@code jbob}. One namespace per run; processes start once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("node-v2 interop over Redis pub/sub (JSON)")
class NodeInteropTest {
    private String ns;
    private final String acns = "iios";
    private final List<AutoCloseable> open = new ArrayList<>();
    private NodeFixture.NodeProcess bob;
    private NodeGatewayProcess gateway;
    private IiosNode jnode;
    private RedisClient redis;
    private final List<String> javaEvents = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() {
        NodeFixture.require();
        ns = NodeFixture.namespace();
        redis = NodeFixture.redis(0);
        bob = track(new NodeFixture.NodeProcess("bob", "service.js", Map.of("NS", ns, "NAME", "bob",
                "HTTP_RPC", "false"))).awaitReady();
        jnode = track(node().service(new JBob()).start());
        for (String form : List.of("iios:event", "iios:bob:event", "iios:bob:event:tick")) {
            jnode.events().on(form, e -> javaEvents.add(form + " " + e.payload() + " " + e.meta().service()));
        }
        gateway = track(new NodeGatewayProcess(ns, "json"));
        gateway.awaitReady();
    }

    private Iios.Builder node() {
        return Iios.builder().set("iios.protocol", "node-v2").set("iios.namespace", ns)
                .set("iios.transport", "redis").set("iios.redis.uri", NodeFixture.REDIS).set("iios.call.timeout", "3s");
    }

    private <T extends AutoCloseable> T track(T t) {
        open.add(t);
        return t;
    }

    @AfterAll
    void stop() throws Exception {
        NodeFixture.closeAll(open, ns, "none");
        if (redis != null) {
            redis.close();
        }
    }

    // ---------------------------------------------------------------- Java calls Node

    @Test
    @DisplayName("1. discovery reads iios:<ns>:* records; the name is the key suffix")
    void p01_discoveryReadsRecords() {
        ServiceInfo info = jnode.gateway().waitForService("bob", Duration.ofSeconds(10));
        var instance = info.instances().get(0);
        assertThat(instance.methods()).containsKeys("add", "whoami", "create", "remove", "fail", "tick");
        assertThat(instance.methods().get("whoami")).isEqualTo(new MethodInfo("whoami", Verb.GET, true));
        assertThat(instance.methods().get("create").verb()).isEqualTo(Verb.PUT);
        assertThat(instance.methods().get("add").verb()).isEqualTo(Verb.POST);
        assertThat(instance.version()).isEqualTo("1.0.0");
        assertThat(instance.publicOptions()).containsEntry("color", "blue");
        assertThat(instance.httpEndpoint()).as("pubsubRPCEnabled:true means no HTTP").isNull();
    }

    @Test
    @DisplayName("2. live discovery: set -> newer record replaces, older ignored; del -> unavailable")
    void p02_liveDiscoveryByKeyspaceNotifications() {
        String key = "iios:" + ns + ":carol";
        redis.set(key, record("carol", 2000, "m1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> jnode.gateway().service("carol").isPresent());
        redis.set(key, record("carol", 1000, "older"));
        redis.set(key, record("carol", 3000, "m3"));
        await().atMost(Duration.ofSeconds(10)).until(() -> jnode.gateway().service("carol")
                .map(s -> s.instances().get(0).methods().containsKey("m3")).orElse(false));
        assertThat(jnode.gateway().service("carol").orElseThrow().instances().get(0).methods()).doesNotContainKey("older");
        redis.del(key);
        await().atMost(Duration.ofSeconds(10)).until(() -> jnode.gateway().service("carol").isEmpty());
        assertThatThrownBy(() -> jnode.gateway().call("carol", "m3")).isInstanceOf(ServiceUnavailableException.class);
    }

    private static String record(String name, long created, String method) {
        return "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"iiosLibVersion\":\"2.5.3\",\"lang\":\"js\","
                + "\"pubsubRPCEnabled\":true,\"creationTimestamp\":" + created + ",\"methods\":[\"" + method + "\"],"
                + "\"httpMethods\":{\"get\":[],\"post\":[\"" + method + "\"],\"put\":[],\"delete\":[]},\"options\":{}}";
    }

    @Test
    @DisplayName("3. pub/sub iff pubsubRPCEnabled === true, else HTTP; no fallback")
    void p03_transportFromPubsubRpcEnabled() {
        String key = "iios:" + ns + ":httponly";
        redis.set(key, record("httponly", 5000, "m").replace("\"pubsubRPCEnabled\":true", "\"pubsubRPCEnabled\":false"));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> jnode.gateway().service("httponly").isPresent());
            // no httpServer in the record: not callable, and no attempt on the method channel either
            assertThatThrownBy(() -> jnode.gateway().call("httponly", "m"))
                    .isInstanceOf(ServiceUnavailableException.class).hasMessageContaining("pubsubRPCEnabled=false");
            assertThat(jnode.gateway().service("bob").orElseThrow().instances().get(0).httpEndpoint()).isNull();
        } finally {
            redis.del(key);
        }
    }

    @Test
    @DisplayName("4. pub/sub call: per-call token, reply channel subscribed before the request")
    void p04_pubsubCallWithToken() {
        jnode.gateway().waitForService("bob", Duration.ofSeconds(10));
        assertThat(jnode.gateway().call("bob", "add", 2, 3)).isEqualTo(5);
        assertThat(jnode.gateway().call("bob", "echo", Map.of("a", List.of(1, "x")))).isEqualTo(Map.of("a", List.of(1, "x")));
        // nothing left subscribed on reply channels
        assertThat(NodeFixture.channels(redis, "iios:" + ns + ":bob:add:*")).isEmpty();
    }

    @Test
    @DisplayName("5. request encoded with the namespace encoder; req is always an array")
    void p05_requestEnvelope() throws Exception {
        jnode.gateway().waitForService("bob", Duration.ofSeconds(10));
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Spy spy = new Spy("iios:" + ns + ":bob:whoami*", seen)) {
            assertThat(jnode.gateway().asUser("alice").call("bob", "whoami")).isEqualTo("alice");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 2);
        }
        JsonNode req = NodeGatewayProcess.JSON.readTree(seen.get(0).substring(seen.get(0).indexOf(' ') + 1));
        assertThat(req.path("req").isArray()).isTrue();
        assertThat(req.path("req")).isEmpty();
        assertThat(req.path("meta").path("token").asText()).matches("[0-9a-z]{12}");
        assertThat(req.path("meta").path("userId").asText()).isEqualTo("alice");
        assertThat(req.path("meta").has("origin")).isTrue();
        assertThat(seen.get(1)).startsWith("iios:" + ns + ":bob:whoami:" + req.path("meta").path("token").asText() + " ");
    }

    @Test
    @DisplayName("6. reply: token must match, err is a remote failure, response is the result")
    void p06_replyAcceptance() {
        jnode.gateway().waitForService("bob", Duration.ofSeconds(10));
        assertThatThrownBy(() -> jnode.gateway().call("bob", "fail", "x"))
                .isInstanceOfSatisfying(RemoteFailureException.class, e -> {
                    assertThat(e.remoteType()).isEqualTo("Error");
                    assertThat(e.remoteMessage()).isEqualTo("bob failed on purpose: x");
                });
        assertThat(jnode.gateway().call("bob", "whoami")).as("absent response / null userId").isNull();
    }

    @Test
    @DisplayName("7. no reply in time: 'timeout: <svc>:<method> call', reply channel unsubscribed")
    void p07_timeout() {
        String key = "iios:" + ns + ":ghost";
        redis.set(key, record("ghost", 5000, "m"));
        try {
            try (IiosNode quick = node().set("iios.call.timeout", "300ms").start()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> quick.gateway().service("ghost").isPresent());
                assertThatThrownBy(() -> quick.gateway().call("ghost", "m"))
                        .isInstanceOf(CallTimeoutException.class).hasMessage("timeout: ghost:m call");
            }
            assertThat(NodeFixture.channels(redis, "iios:" + ns + ":ghost:m:*")).isEmpty();
        } finally {
            redis.del(key);
        }
    }

    // ---------------------------------------------------------------- Node calls Java

    @Test
    @DisplayName("12. Java registers SET iios:<ns>:<name> <JSON> without TTL")
    void p12_registrationRecord() throws Exception {
        String key = "iios:" + ns + ":jbob";
        assertThat(redis.ttl(key)).isEqualTo(-1);
        JsonNode rec = NodeGatewayProcess.JSON.readTree(redis.get(key));
        assertThat(rec.path("name").asText()).isEqualTo("jbob");
        assertThat(rec.path("pubsubRPCEnabled").asBoolean()).isTrue();
        assertThat(rec.path("creationTimestamp").isIntegralNumber()).isTrue();
        assertThat(rec.path("iiosLibVersion").asText()).isEqualTo("2.5.3");
        List<String> methods = new ArrayList<>();
        rec.path("methods").forEach(m -> methods.add(m.asText()));
        assertThat(methods).contains("add", "whoami", "create", "remove", "fail");
        assertThat(rec.path("httpMethods").path("get").toString()).contains("whoami");
        assertThat(rec.path("httpMethods").path("put").toString()).contains("create");
        assertThat(rec.path("httpMethods").path("delete").toString()).contains("remove");
        assertThat(rec.path("httpMethods").path("post").toString()).contains("add");
        NodeGatewayProcess.Answer seen = gateway.waitFor("jbob");
        assertThat(seen.ok()).as(seen.err()).isTrue();
        assertThat(seen.result().path("name").asText()).isEqualTo("jbob");
    }

    @Test
    @DisplayName("13. registration comes after the method subscriptions: a Node gateway can call at once")
    void p13_registerAfterSubscriptions() {
        try (IiosNode late = node().service("jlate", new JBob()).start()) {
            NodeGatewayProcess.Answer w = gateway.waitFor("jlate");
            assertThat(w.ok()).as(w.err()).isTrue();
            NodeGatewayProcess.Answer a = gateway.call("jlate", "add", List.of(40, 2));
            assertThat(a.ok()).as(a.err()).isTrue();
            assertThat(a.result().asInt()).isEqualTo(42);
        }
        assertThat(redis.exists("iios:" + ns + ":jlate")).as("DEL on orderly shutdown").isFalse();
    }

    @Test
    @DisplayName("14. Node gateway -> Java service over pub/sub: one reply per request")
    void p14_nodeGatewayCallsJava() {
        assertThat(gateway.waitFor("jbob").ok()).isTrue();
        NodeGatewayProcess.Answer a = gateway.call("jbob", "add", List.of(2, 3));
        assertThat(a.ok()).as(a.err()).isTrue();
        assertThat(a.result().asInt()).isEqualTo(5);
        NodeGatewayProcess.Answer c = gateway.call("jbob", "create", List.of(Map.of("k", 1)));
        assertThat(c.result().path("created").path("k").asInt()).isEqualTo(1);
    }

    @Test
    @DisplayName("15. reply shapes: response / err '<Type>: <message>', never meta.req")
    void p15_replyShapes() throws Exception {
        assertThat(gateway.waitFor("jbob").ok()).isTrue();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Spy spy = new Spy("iios:" + ns + ":jbob:fail*", seen)) {
            NodeGatewayProcess.Answer f = gateway.call("jbob", "fail", List.of("x"));
            assertThat(f.ok()).isFalse();
            assertThat(f.err()).isEqualTo("IllegalStateException: jbob failed on purpose: x");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 2);
        }
        JsonNode reply = NodeGatewayProcess.JSON.readTree(seen.get(1).substring(seen.get(1).indexOf(' ') + 1));
        assertThat(reply.path("meta").has("req")).isFalse();
        assertThat(reply.path("meta").path("token").asText()).isNotEmpty();
        assertThat(reply.path("err").asText()).isEqualTo("IllegalStateException: jbob failed on purpose: x");
        NodeGatewayProcess.Answer empty = gateway.call("jbob", "nothing", List.of());
        assertThat(empty.ok()).isTrue();
        assertThat(empty.result().isArray()).isTrue();
    }

    @Test
    @DisplayName("16. undecodable or meta-less requests are dropped and counted, the service keeps answering")
    void p16_garbageRequestsDropped() {
        assertThat(gateway.waitFor("jbob").ok()).isTrue();
        double before = dropped(jnode, "malformed");
        String channel = "iios:" + ns + ":jbob:add";
        for (String garbage : List.of("not json", "{}", "null", "{\"meta\":{}}", "[1,2]", "{\"meta\":{\"token\":\"t1\"},\"req\":5}")) {
            redis.publish(channel, garbage);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> dropped(jnode, "malformed") - before >= 6);
        NodeGatewayProcess.Answer a = gateway.call("jbob", "add", List.of(1, 1));
        assertThat(a.result().asInt()).isEqualTo(2);
    }

    @Test
    @DisplayName("18. arguments positional; the context ($userId) reaches the Java method")
    void p18_contextUserId() {
        assertThat(gateway.waitFor("jbob").ok()).isTrue();
        NodeGatewayProcess.Answer a = gateway.call("jbob", "whoami", List.of(), "alice", false);
        assertThat(a.ok()).as(a.err()).isTrue();
        assertThat(a.result().asText()).isEqualTo("alice");
        NodeGatewayProcess.Answer anon = gateway.call("jbob", "whoami", List.of());
        assertThat(anon.result().isNull()).isTrue();
    }

    // ---------------------------------------------------------------- events

    @Test
    @DisplayName("20. events both ways on iios:<ns>__event with the three seed forms")
    void p20_eventsBothWays() {
        jnode.gateway().waitForService("bob", Duration.ofSeconds(10));
        javaEvents.clear();
        assertThat(jnode.gateway().call("bob", "tick", 7)).isEqualTo(7);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(javaEvents).contains(
                "iios:event {n=7} bob", "iios:bob:event {n=7} bob", "iios:bob:event:tick {n=7} bob"));
        jnode.pushEvent("jbob", "tock", Map.of("m", 1));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode seen = NodeGatewayProcess.JSON.valueToTree(jnode.gateway().call("bob", "seen"));
            List<String> forms = new ArrayList<>();
            seen.forEach(s -> forms.add(s.path("form").asText() + " " + (s.path("data").has("payload")
                    ? s.path("data").path("payload") : s.path("data"))));
            assertThat(forms).contains("iios:event {\"m\":1}", "iios:jbob:event {\"m\":1}", "iios:jbob:event:tock {\"m\":1}");
        });
    }

    @Test
    @DisplayName("21. heartbeats on iios:iios:<ns>__heartbeat with meta{origin,service,namespace,timestamp,status}")
    void p21_heartbeats() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Spy spy = new Spy("iios:iios:" + ns + "__heartbeat", seen);
                IiosNode beating = node().set("iios.node-v2.heartbeat", "100ms").service("jbeat", new JBob()).start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream().anyMatch(s -> s.contains("\"alive\"")));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                JsonNode hb = gateway.heartbeats().result();
                List<String> statuses = new ArrayList<>();
                hb.forEach(m -> {
                    if ("jbeat".equals(m.path("meta").path("service").asText())) {
                        statuses.add(m.path("meta").path("status").asText());
                    }
                });
                assertThat(statuses).contains("starting", "alive");
            });
        }
        JsonNode first = NodeGatewayProcess.JSON.readTree(seen.get(0).substring(seen.get(0).indexOf(' ') + 1));
        assertThat(first.path("meta").path("namespace").asText()).isEqualTo("iios:" + ns);
        assertThat(first.path("meta").path("service").asText()).isEqualTo("jbeat");
        assertThat(first.path("meta").path("timestamp").isIntegralNumber()).isTrue();
        assertThat(first.path("meta").path("origin").asText()).isNotEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream().anyMatch(s -> s.contains("\"stopping\"")));
    }

    @Test
    @DisplayName("21. raw streams on iios:iios:<ns>__stream:<name>, ended by one zero byte, both ways")
    void p21_rawStreams() throws Exception {
        jnode.gateway().waitForService("bob", Duration.ofSeconds(10));
        // Node writes, Java reads
        try (var in = jnode.streams().bind("n2j", Duration.ofSeconds(1))) {
            assertThat(jnode.gateway().call("bob", "streamOut", "n2j", List.of("hello ", "world", "AB"))).isEqualTo(3);
            assertThat(new String(in.asInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("hello worldAB");
        }
        // Java writes, Node reads
        assertThat(jnode.gateway().call("bob", "streamIn", "j2n")).isEqualTo(true);
        String channel = "iios:iios:" + ns + "__stream:j2n";
        await().atMost(Duration.ofSeconds(5)).until(() -> numsub(channel) > 0);
        try (var sink = jnode.streams().open("j2n"); var out = sink.asOutputStream()) {
            out.write("from ".getBytes());
            out.write("java".getBytes());
        }
        assertThat(jnode.gateway().call("bob", "streamResult", "j2n")).isEqualTo("from java");
    }

    @SuppressWarnings("unchecked")
    private long numsub(String channel) {
        List<Object> r = (List<Object>) redis.sendCommand(Protocol.Command.PUBSUB, "NUMSUB", channel);
        return ((Number) r.get(1)).longValue();
    }

    @Test
    @DisplayName("22. no reliance on CONFIG SET: a Java node that polls still discovers live")
    void p22_noConfigSetNeeded() {
        try (IiosNode poller = node().set("iios.redis.watch", "poll").set("iios.redis.watch-poll-interval", "100ms")
                .start()) {
            poller.gateway().waitForService("bob", Duration.ofSeconds(10));
            assertThat(poller.gateway().call("bob", "add", 1, 2)).isEqualTo(3);
            String key = "iios:" + ns + ":dora";
            redis.set(key, record("dora", 9000, "m"));
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> poller.gateway().service("dora").isPresent());
            } finally {
                redis.del(key);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> poller.gateway().service("dora").isEmpty());
        }
    }

    static double dropped(IiosNode node, String reason) {
        var c = node.meterRegistry().find("iios.messages.dropped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    /** Records every message on a Redis glob as "channel payload". */
    static final class Spy implements AutoCloseable {
        private final redis.clients.jedis.JedisPubSub sub;
        private final Thread thread;

        Spy(String glob, List<String> seen) {
            java.util.concurrent.CountDownLatch subscribed = new java.util.concurrent.CountDownLatch(1);
            sub = new redis.clients.jedis.JedisPubSub() {
                @Override
                public void onPMessage(String pattern, String channel, String message) {
                    seen.add(channel + " " + message);
                }

                @Override
                public void onPSubscribe(String pattern, int count) {
                    subscribed.countDown();
                }
            };
            thread = Thread.ofVirtual().start(() -> {
                try (RedisClient c = NodeFixture.redis(0)) {
                    c.psubscribe(sub, glob);
                }
            });
            try {
                if (!subscribed.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException("spy not subscribed to " + glob);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            sub.punsubscribe();
            thread.join(5000);
        }
    }
}
