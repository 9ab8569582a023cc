package io.iios.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.iios.api.AccessDeniedException;
import io.iios.api.Gateway;
import io.iios.api.Possession;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("RBAC: the callee checks every call against roles and bindings in the KV store")
class RbacTest {
    private Cluster cluster;
    private Vault vault;
    private IiosNode vaultNode;
    private IiosNode gatewayNode;
    private Gateway gateway;
    private SimpleMeterRegistry vaultMeters;

    @BeforeEach
    void start() {
        cluster = new Cluster();
        vault = new Vault();
        vaultMeters = new SimpleMeterRegistry();
        vaultNode = cluster.start(cluster.builder().service(vault).meterRegistry(vaultMeters)
                .set("iios.rbac.enabled", "true"));
        gatewayNode = cluster.gateway();
        gateway = gatewayNode.gateway();
        gateway.waitForService("vault", Duration.ofSeconds(5));
        AccessControl acl = gatewayNode.accessControl();
        acl.bind("alice", "admin");
        acl.bind("bob", "user");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private Gateway as(String user) {
        return user.equals("-") ? gateway : gateway.asUser(user);
    }

    @ParameterizedTest(name = "{0} calls {1} ({2}): allowed={3}")
    @CsvSource({
        "alice, read,   GET,    true",  "alice, create, PUT,    true",
        "alice, update, POST,   true",  "alice, delete, DELETE, true",
        "bob,   read,   GET,    true",  "bob,   create, PUT,    false",
        "bob,   update, POST,   true",  "bob,   delete, DELETE, true",
        "-,     read,   GET,    true",  "-,     create, PUT,    false",
        "-,     update, POST,   false", "-,     delete, DELETE, false"})
    @DisplayName("verb → action for admin, user and anonymous with the seed's default grants")
    void verbTable(String user, String method, String verb, boolean allowed) {
        String role = switch (user) {
            case "alice" -> "admin";
            case "bob" -> "user";
            default -> "anonymous";
        };
        String userId = user.equals("-") ? "null" : user;
        if (allowed) {
            assertThat(as(user).call("vault", method)).isEqualTo(userId + "|" + role + "|ANY|false");
        } else {
            String action = io.iios.api.Verb.valueOf(verb).action();
            assertThatThrownBy(() -> as(user).call("vault", method))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("vault." + method)
                    .hasMessageContaining(user.equals("-") ? "anonymous caller" : "user '" + user + "'")
                    .hasMessageContaining("role " + role)
                    .hasMessageContaining(action + ":any|own");
        }
    }

    @Test
    @DisplayName("an unannotated method is POST: action update")
    void unannotatedIsUpdate() {
        assertThat(as("bob").call("vault", "touch")).isEqualTo("bob|user|ANY|false");
        assertThatThrownBy(() -> gateway.call("vault", "touch")).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("update:any|own");
    }

    @Test
    @DisplayName("a user without binding is anonymous")
    void unknownUser() {
        assertThat(as("mallory").call("vault", "read")).isEqualTo("mallory|anonymous|ANY|false");
        assertThatThrownBy(() -> as("mallory").call("vault", "delete")).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("user 'mallory' (role anonymous)");
    }

    @Test
    @DisplayName("a denied method never runs, and the denial is counted per service and method")
    void denialCounted() {
        int before = vault.runs.get();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> gateway.call("vault", "create")).isInstanceOf(AccessDeniedException.class);
        }
        assertThat(vault.runs.get()).isEqualTo(before);
        assertThat(vaultMeters.get("iios.rbac.denied").tag("service", "vault").tag("method", "create").counter()
                .count()).isEqualTo(3);
        assertThat(vaultMeters.get("iios.server.calls").tag("outcome", "access_denied").timer().count()).isEqualTo(3);
    }

    @Test
    @DisplayName("the method sees OWN when the role holds only action:own, ANY when it holds both")
    void ownVersusAny() {
        AccessControl acl = gatewayNode.accessControl();
        acl.grant("editor", "vault", "update", Possession.OWN, "title", "body");
        acl.bind("carol", "editor");
        assertThat(as("carol").call("vault", "update")).isEqualTo("carol|editor|OWN|false");
        assertThat(acl.check("carol", "vault", "update").attributes()).containsExactly("title", "body");

        acl.grant("editor", "*", "update", Possession.ANY);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "carol|editor|ANY|false".equals(as("carol").call("vault", "update")));
        assertThatThrownBy(() -> as("carol").call("vault", "read")).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    @DisplayName("a change through the admin API applies at once on another node (change notice)")
    void changeAppliesPromptly() {
        assertThatThrownBy(() -> as("bob").call("vault", "create")).isInstanceOf(AccessDeniedException.class);
        gatewayNode.accessControl().grant("user", "vault", "create", Possession.OWN);
        // the notice is asynchronous; the bound is its delivery, far below the 10 s cache TTL
        await().atMost(Duration.ofSeconds(2)).ignoreException(AccessDeniedException.class)
                .until(() -> "bob|user|OWN|false".equals(as("bob").call("vault", "create")));

        gatewayNode.accessControl().unbind("bob");
        await().atMost(Duration.ofSeconds(2))
                .until(() -> "bob|anonymous|ANY|false".equals(as("bob").call("vault", "read")));
    }

    @Test
    @DisplayName("without a change notice (value written straight to the KV store), a change applies within iios.rbac.cache-ttl")
    void changeAppliesWithinTtlWithoutNotice() {
        IiosNode shortTtl = cluster.start(cluster.builder().service("vault2", new Vault())
                .set("iios.rbac.enabled", "true").set("iios.rbac.cache-ttl", "500ms"));
        gateway.waitForService("vault2", Duration.ofSeconds(5));
        assertThatThrownBy(() -> as("dave").call("vault2", "create")).isInstanceOf(AccessDeniedException.class);
        try (var raw = cluster.raw()) {
            raw.kv().put(cluster.namespace + ":_rbac:user:dave", "admin".getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofSeconds(5)).ignoreException(AccessDeniedException.class)
                .until(() -> "dave|admin|ANY|false".equals(as("dave").call("vault2", "create")));
        assertThat(shortTtl.accessControl().roleOf("dave")).contains("admin");
    }

    @Test
    @DisplayName("a service's own privileged call skips RBAC and says so in the context")
    void privilegedCall() {
        assertThatThrownBy(() -> gateway.call("vault", "create")).isInstanceOf(AccessDeniedException.class);
        assertThat(gateway.call("vault", "createOnOwnBehalf")).isEqualTo("null|null|null|true");
    }

    @Test
    @DisplayName("default grants are written for roles that lack the service, never over an operator's definition")
    void defaultGrants() {
        AccessControl acl = gatewayNode.accessControl();
        assertThat(acl.roles()).contains("admin", "user", "anonymous");
        assertThat(acl.role("anonymous").orElseThrow().get("vault")).isEqualTo(Map.of("read:any", List.of("*")));

        acl.defineRole("anonymous", Map.of("safe", Map.of("read:any", List.of("*"))));
        acl.grant("anonymous", "safe", "update", Possession.ANY);
        cluster.start(cluster.builder().service("safe", new Vault()).set("iios.rbac.enabled", "true"));
        gateway.waitForService("safe", Duration.ofSeconds(5));
        assertThat(acl.role("anonymous").orElseThrow().get("safe")).containsOnlyKeys("read:any", "update:any");
        assertThat(acl.role("admin").orElseThrow()).containsKeys("vault", "safe");
    }

    @Test
    @DisplayName("the admin check says what a call would get, from the method's verb in discovery")
    void adminCheck() {
        AccessControl acl = gatewayNode.accessControl();
        AccessDecision d = acl.check("alice", "vault", "create");
        assertThat(d.allowed()).isTrue();
        assertThat(d.role()).isEqualTo("admin");
        assertThat(d.possession()).isEqualTo(Possession.ANY);
        assertThat(acl.check(null, "vault", "delete").explain())
                .isEqualTo("denied: anonymous caller (role anonymous) lacks delete:any|own for vault.delete");
        assertThat(acl.check("bob", "vault", "touch").action()).isEqualTo("update");
        assertThat(acl.revoke("user", "vault", "update", Possession.ANY)).isTrue();
        assertThat(acl.check("bob", "vault", "touch").allowed()).isFalse();
        assertThatThrownBy(() -> acl.check("bob", "vault", "nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no method 'nope'");
    }

    @Test
    @DisplayName("with RBAC off (the default), every call runs and the context carries no role")
    void offByDefault() {
        cluster.start(cluster.builder().service("open", new Vault()));
        gateway.waitForService("open", Duration.ofSeconds(5));
        assertThat(gateway.call("open", "delete")).isEqualTo("null|null|null|false");
        assertThat(as("mallory").call("open", "create")).isEqualTo("mallory|null|null|false");
    }
}
