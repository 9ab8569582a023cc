package io.iios.compat.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iios.api.AccessDeniedException;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
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

/**
 * RBAC shared with Node IIOS 2.5.3: roles and users in Redis DB 1 ({@code __role:ACNS:R},
 * {@code __user:ACNS:U}), the seed's verb mapping, {@code __privileged__}, and Node's exact denial text,
 * both ways. The grants are the wire reference's example (§6.1) for a Node service {@code nbob} and a
 * Java service {@code jvault}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("node-v2 interop: access control in Redis DB 1")
class NodeRbacInteropTest {
    private String ns;
    private String acns;
    private final List<AutoCloseable> open = new ArrayList<>();
    private NodeGatewayProcess gateway;
    private IiosNode jnode;

    @BeforeAll
    void start() {
        NodeFixture.require();
        ns = NodeFixture.namespace();
        acns = "ac" + ns;
        try (RedisClient db1 = NodeFixture.redis(1)) {
            String all = "{\"create:any\":[\"*\"],\"read:any\":[\"*\"],\"update:any\":[\"*\"],\"delete:any\":[\"*\"]}";
            String user = "{\"read:any\":[\"*\"],\"update:own\":[\"*\"]}";
            String anon = "{\"read:any\":[\"*\"]}";
            String priv = "{\"read:any\":[\"*\"],\"update:any\":[\"*\"]}";
            db1.set("__role:" + acns + ":admin", both(all));
            db1.set("__role:" + acns + ":user", both(user));
            db1.set("__role:" + acns + ":anonymous", both(anon));
            db1.set("__role:" + acns + ":__privileged__", both(priv));
            db1.set("__user:" + acns + ":alice", "\"admin\"");
            db1.set("__user:" + acns + ":ursula", "\"user\"");
        }
        open.add(new NodeFixture.NodeProcess("nbob", "service.js", Map.of("NS", ns, "NAME", "nbob",
                "HTTP_RPC", "false", "ACNS", acns)).awaitReady());
        jnode = Iios.builder().set("iios.protocol", "node-v2").set("iios.namespace", ns)
                .set("iios.transport", "redis").set("iios.redis.uri", NodeFixture.REDIS)
                .set("iios.rbac.enabled", "true").set("iios.node-v2.ac-namespace", acns)
                .service("jvault", new JBob()).start();
        open.add(jnode);
        gateway = new NodeGatewayProcess(ns, "json");
        open.add(gateway.awaitReady());
        jnode.gateway().waitForService("nbob", Duration.ofSeconds(10));
        assertThat(gateway.waitFor("jvault").ok()).isTrue();
    }

    private static String both(String grants) {
        return "{\"nbob\":" + grants + ",\"jvault\":" + grants + "}";
    }

    @AfterAll
    void stop() {
        NodeFixture.closeAll(open, ns, acns);
    }

    @Test
    @DisplayName("11. a Node denial reaches the Java caller with its exact text")
    void p11_denialSurfacedUnchanged() {
        assertThatThrownBy(() -> jnode.gateway().asUser("ursula").call("nbob", "create", Map.of("k", 1)))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("access not granted: service [nbob], method [create], user [ursula], privileged [undefined]");
        assertThat(jnode.gateway().asUser("alice").call("nbob", "create", Map.of("k", 1)))
                .isEqualTo(Map.of("created", Map.of("k", 1)));
        assertThat(jnode.gateway().asUser("ursula").call("nbob", "add", 1, 2)).as("POST = update:own").isEqualTo(3);
    }

    @Test
    @DisplayName("19. a Java service enforces the same RBAC: DB 1 keys, verb mapping, __privileged__, exact text")
    void p19_javaServiceEnforcesNodeRbac() {
        // alice (admin): everything
        assertThat(gateway.call("jvault", "create", List.of(Map.of("k", 1)), "alice", false).ok()).isTrue();
        assertThat(gateway.call("jvault", "remove", List.of("x"), "alice", false).ok()).isTrue();
        // ursula (user): GET and POST, not PUT or DELETE
        assertThat(gateway.call("jvault", "whoami", List.of(), "ursula", false).result().asText()).isEqualTo("ursula");
        assertThat(gateway.call("jvault", "add", List.of(1, 2), "ursula", false).result().asInt()).isEqualTo(3);
        NodeGatewayProcess.Answer put = gateway.call("jvault", "create", List.of(Map.of("k", 1)), "ursula", false);
        assertThat(put.ok()).isFalse();
        assertThat(put.err()).isEqualTo(
                "access not granted: service [jvault], method [create], user [ursula], privileged [undefined]");
        assertThat(gateway.call("jvault", "remove", List.of("x"), "ursula", false).err()).isEqualTo(
                "access not granted: service [jvault], method [remove], user [ursula], privileged [undefined]");
        // unknown user: anonymous, GET only
        assertThat(gateway.call("jvault", "whoami", List.of(), "nobody", false).ok()).isTrue();
        assertThat(gateway.call("jvault", "add", List.of(1, 2), "nobody", false).err()).isEqualTo(
                "access not granted: service [jvault], method [add], user [nobody], privileged [undefined]");
        // privileged: role __privileged__ whatever the user: GET/POST yes, PUT no
        assertThat(gateway.call("jvault", "add", List.of(1, 2), "nobody", true).result().asInt()).isEqualTo(3);
        assertThat(gateway.call("jvault", "create", List.of(Map.of("k", 1)), "nobody", true).err()).isEqualTo(
                "access not granted: service [jvault], method [create], user [nobody], privileged [true]");
        // the same decisions as the Node service makes
        assertThat(gateway.call("nbob", "create", List.of(Map.of("k", 1)), "nobody", true).err()).isEqualTo(
                "access not granted: service [nbob], method [create], user [nobody], privileged [true]");
    }

    @Test
    @DisplayName("iios.node-v2.trust-caller-identity=false: a claimed user id is ignored (anonymous)")
    void callerClaimedIdentityCanBeTurnedOff() {
        try (IiosNode strict = Iios.builder().set("iios.protocol", "node-v2").set("iios.namespace", ns)
                .set("iios.transport", "redis").set("iios.redis.uri", NodeFixture.REDIS)
                .set("iios.rbac.enabled", "true").set("iios.node-v2.ac-namespace", acns)
                .set("iios.node-v2.trust-caller-identity", "false").service("jstrict", new JBob()).start()) {
            assertThat(gateway.waitFor("jstrict").ok()).isTrue();
            NodeGatewayProcess.Answer a = gateway.call("jstrict", "add", List.of(1, 2), "alice", false);
            assertThat(a.err()).isEqualTo(
                    "access not granted: service [jstrict], method [add], user [undefined], privileged [undefined]");
        }
    }
}
