package io.iios.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.iios.api.AccessDeniedException;
import io.iios.api.CallTimeoutException;
import io.iios.api.ConfigException;
import io.iios.api.Gateway;
import io.iios.core.internal.security.EnvelopeSigner;
import io.iios.core.internal.security.SecurityOptions;
import io.iios.spi.Encoder;
import io.iios.spi.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("signing: with iios.security.key, nodes sign every envelope and drop unsigned, forged and stale ones")
class SigningTest {
    static final String KEY = "an-example-key-of-at-least-32-bytes!";
    static final String OTHER_KEY = "another-key-that-nobody-configured!!";
    static final String NEW_KEY = "base64:" + java.util.Base64.getEncoder()
            .encodeToString("the-next-key-after-rotation-32-bytes".getBytes(StandardCharsets.UTF_8));

    private Cluster cluster;
    private Transport raw;

    @BeforeEach
    void start() {
        cluster = new Cluster();
        raw = cluster.raw();
    }

    @AfterEach
    void stop() {
        raw.close();
        cluster.close();
    }

    private static double dropped(SimpleMeterRegistry r, String reason) {
        var c = r.find("iios.messages.dropped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private static EnvelopeSigner signer(String key, Encoder encoder) {
        return EnvelopeSigner.create(SecurityOptions.from(Config.of(Map.of("iios.security.key", key))), encoder);
    }

    /** A request to vault.create as 'alice', with a reply channel the test listens to. */
    private Map<String, Object> request(String replyTo, long id) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("v", 1);
        req.put("t", "req");
        req.put("id", id);
        req.put("s", "vault");
        req.put("m", "create");
        req.put("a", List.of());
        req.put("r", replyTo);
        req.put("dl", System.currentTimeMillis() + 10_000);
        req.put("n", "intruder");
        req.put("u", "alice");
        return req;
    }

    @Nested
    @DisplayName("in a cluster where every node has the key")
    class Keyed {
        private Vault vault;
        private IiosNode vaultNode;
        private SimpleMeterRegistry vaultMeters;
        private IiosNode gatewayNode;
        private SimpleMeterRegistry gatewayMeters;
        private Gateway gateway;
        private String inbox;
        private String replyTo;
        private final List<Map<?, ?>> replies = new CopyOnWriteArrayList<>();

        @BeforeEach
        void start() {
            vault = new Vault();
            vaultMeters = new SimpleMeterRegistry();
            gatewayMeters = new SimpleMeterRegistry();
            vaultNode = cluster.start(cluster.builder().service(vault).meterRegistry(vaultMeters)
                    .set("iios.rbac.enabled", "true").set("iios.security.key", KEY));
            gatewayNode = cluster.start(cluster.builder().meterRegistry(gatewayMeters).set("iios.security.key", KEY));
            gateway = gatewayNode.gateway();
            gateway.waitForService("vault", Duration.ofSeconds(5));
            gatewayNode.accessControl().bind("alice", "admin");
            inbox = cluster.namespace + ":_rpc:vault:" + vaultNode.services().get(0).instanceId();
            replyTo = cluster.namespace + ":_reply:intruder";
            raw.pubsub().subscribe(replyTo, (ch, p) -> replies.add((Map<?, ?>) vaultNode.encoder().decode(p)));
        }

        private void stillServes() {
            assertThat(gateway.asUser("alice").call("vault", "create")).isEqualTo("alice|admin|ANY|false");
            assertThatThrownBy(() -> gateway.call("vault", "create")).isInstanceOf(AccessDeniedException.class);
        }

        @Test
        @DisplayName("calls, RBAC, events and discovery work with signatures")
        void everythingWorks() {
            stillServes();
            List<Object> events = new CopyOnWriteArrayList<>();
            gatewayNode.events().on(cluster.namespace + ":vault:event", e -> events.add(e.payload()));
            vaultNode.pushEvent("vault", "opened", Map.of("by", "test", "n", 1.5));
            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
            assertThat(events.get(0)).isEqualTo(Map.of("by", "test", "n", 1.5));
            assertThat(dropped(gatewayMeters, "forged") + dropped(vaultMeters, "forged")).isZero();
        }

        @Test
        @DisplayName("a user id forged in an unsigned request published straight to the broker is dropped")
        void forgedUserIdUnsigned() {
            raw.pubsub().publish(inbox, vaultNode.encoder().encode(request(replyTo, 1)));
            await().atMost(Duration.ofSeconds(5)).until(() -> dropped(vaultMeters, "unsigned") == 1);
            assertThat(vault.runs.get()).isZero();
            assertThat(replies).isEmpty();
            stillServes();
        }

        @Test
        @DisplayName("a request signed with a wrong key is dropped as forged")
        void wrongKey() {
            Map<String, Object> req = signer(OTHER_KEY, vaultNode.encoder()).sign(request(replyTo, 2));
            raw.pubsub().publish(inbox, vaultNode.encoder().encode(req));
            await().atMost(Duration.ofSeconds(5)).until(() -> dropped(vaultMeters, "forged") == 1);
            assertThat(vault.runs.get()).isZero();
            stillServes();
        }

        @Test
        @DisplayName("changing the user id of a correctly signed request breaks its signature")
        void tampered() {
            EnvelopeSigner right = signer(KEY, vaultNode.encoder());
            Map<String, Object> req = right.sign(request(replyTo, 3));
            req.put("u", "mallory");
            raw.pubsub().publish(inbox, vaultNode.encoder().encode(req));
            Map<String, Object> priv = right.sign(request(replyTo, 4));
            priv.put("priv", true);
            raw.pubsub().publish(inbox, vaultNode.encoder().encode(priv));
            await().atMost(Duration.ofSeconds(5)).until(() -> dropped(vaultMeters, "forged") == 2);
            assertThat(vault.runs.get()).isZero();

            // the same request left intact is what a keyed node would send: it runs, and the reply is signed
            raw.pubsub().publish(inbox, vaultNode.encoder().encode(right.sign(request(replyTo, 5))));
            await().atMost(Duration.ofSeconds(5)).until(() -> replies.size() == 1);
            assertThat(replies.get(0).get("res")).isEqualTo("alice|admin|ANY|false");
            assertThat(replies.get(0).get("sig")).isInstanceOf(String.class);
            assertThat(right.verify(replies.get(0))).isEqualTo(EnvelopeSigner.Verdict.OK);
            stillServes();
        }

        @Test
        @DisplayName("a correctly signed request older than iios.security.max-skew is dropped as stale")
        void stale() {
            Map<String, Object> req = request(replyTo, 6);
            req.put("ts", System.currentTimeMillis() - 60_000);
            raw.pubsub().publish(inbox, vaultNode.encoder().encode(signer(KEY, vaultNode.encoder()).sign(req)));
            await().atMost(Duration.ofSeconds(5)).until(() -> dropped(vaultMeters, "stale") == 1);
            assertThat(vault.runs.get()).isZero();
            stillServes();
        }

        @Test
        @DisplayName("unsigned replies, events, discovery notices, records and RBAC notices are dropped too")
        void everyChannelChecked() {
            Encoder enc = gatewayNode.encoder();
            List<Object> events = new CopyOnWriteArrayList<>();
            gatewayNode.events().on(cluster.namespace + ":event", e -> events.add(e.payload()));
            raw.pubsub().publish(cluster.namespace + ":_reply:" + gatewayNode.nodeId(),
                    "{\"v\":1,\"t\":\"res\",\"id\":1,\"ok\":true,\"res\":42}".getBytes(StandardCharsets.UTF_8));
            raw.pubsub().publish(cluster.namespace + ":vault:event:opened", enc.encode(Map.of("v", 1, "t", "evt",
                    "s", "vault", "e", "opened", "p", "fake", "i", "x", "ts", System.currentTimeMillis())));
            raw.pubsub().publish(cluster.namespace + ":_discovery", enc.encode(Map.of("v", 1, "t", "down", "s", "vault",
                    "i", vaultNode.services().get(0).instanceId())));
            raw.pubsub().publish(cluster.namespace + ":_rbac:changed", enc.encode(Map.of("v", 1, "t", "rbac")));
            // the gateway drops reply, event and notice; the vault node (RBAC on) the notice and the RBAC change
            await().atMost(Duration.ofSeconds(5)).until(() -> dropped(gatewayMeters, "unsigned") == 3
                    && dropped(vaultMeters, "unsigned") == 2);
            assertThat(events).isEmpty();
            assertThat(gateway.service("vault")).isPresent();
            stillServes();
        }
    }

    @Test
    @DisplayName("key rotation: a previous key is accepted until previous-key-until, then not")
    void rotation() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Vault vault = new Vault();
        IiosNode rotated = cluster.start(cluster.builder().service(vault).meterRegistry(meters)
                .set("iios.security.key", NEW_KEY).set("iios.security.previous-key", KEY)
                .set("iios.security.previous-key-until", Instant.now().plusSeconds(3600).toString()));
        // a node not yet rotated (old key, accepting the new one) and the rotated node talk both ways
        IiosNode old = cluster.start(cluster.builder().set("iios.security.key", KEY)
                .set("iios.security.previous-key", NEW_KEY)
                .set("iios.security.previous-key-until", Instant.now().plusSeconds(3600).toString()));
        old.gateway().waitForService("vault", Duration.ofSeconds(5));
        assertThat(old.gateway().call("vault", "read")).isEqualTo("null|null|null|false");

        // once the grace period is over, the old key is refused
        SimpleMeterRegistry laterMeters = new SimpleMeterRegistry();
        IiosNode later = cluster.start(cluster.builder().service("vault2", new Vault()).meterRegistry(laterMeters)
                .set("iios.security.key", NEW_KEY).set("iios.security.previous-key", KEY)
                .set("iios.security.previous-key-until", Instant.now().minusSeconds(1).toString()));
        String inbox = cluster.namespace + ":_rpc:vault2:" + later.services().get(0).instanceId();
        Map<String, Object> req = request(cluster.namespace + ":_reply:x", 1);
        req.put("s", "vault2");
        raw.pubsub().publish(inbox, later.encoder().encode(signer(KEY, later.encoder()).sign(req)));
        await().atMost(Duration.ofSeconds(5)).until(() -> dropped(laterMeters, "forged") >= 1);
        assertThat(rotated.gateway().call("vault2", "read")).isEqualTo("null|null|null|false");
        assertThat(dropped(meters, "forged")).isZero();
    }

    @Test
    @DisplayName("mixed cluster: a keyed node drops a keyless node's calls; a keyless node accepts signed messages")
    void mixedCluster() {
        SimpleMeterRegistry keyedMeters = new SimpleMeterRegistry();
        IiosNode keyed = cluster.start(cluster.builder().service(new Vault()).meterRegistry(keyedMeters)
                .set("iios.security.key", KEY));
        IiosNode keyless = cluster.start(cluster.builder().set("iios.call.timeout", "500ms"));
        keyless.gateway().waitForService("vault", Duration.ofSeconds(5));
        assertThatThrownBy(() -> keyless.gateway().call("vault", "read")).isInstanceOf(CallTimeoutException.class);
        assertThat(dropped(keyedMeters, "unsigned")).isGreaterThanOrEqualTo(1);

        List<Object> events = new CopyOnWriteArrayList<>();
        keyless.events().on(cluster.namespace + ":vault:event:e", e -> events.add(e.payload()));
        keyed.pushEvent("vault", "e", "signed");
        await().atMost(Duration.ofSeconds(5)).until(() -> events.equals(List.of("signed")));
    }

    @Test
    @DisplayName("keys shorter than 32 bytes, bad base64 and a previous key without end are refused without echoing the key")
    void keyConfiguration() {
        assertThatThrownBy(() -> SecurityOptions.from(Config.of(Map.of("iios.security.key", "short-secret"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("at least 32 bytes")
                .hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> SecurityOptions.from(Config.of(Map.of("iios.security.key", "base64:%%%"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not base64");
        assertThatThrownBy(() -> SecurityOptions.from(Config.of(Map.of("iios.security.key", KEY,
                "iios.security.previous-key", OTHER_KEY)))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("iios.security.previous-key-until");
        assertThat(SecurityOptions.from(Config.of(Map.of("iios.security.key", NEW_KEY))).key())
                .hasSize("the-next-key-after-rotation-32-bytes".length());
        assertThat(SecurityOptions.from(Config.of(Map.of("iios.security.key", KEY))).toString())
                .doesNotContain(KEY);
    }
}
