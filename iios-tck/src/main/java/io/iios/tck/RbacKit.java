package io.iios.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iios.api.AccessDeniedException;
import io.iios.api.Gateway;
import io.iios.api.Possession;
import io.iios.api.StreamHandle;
import io.iios.api.StreamSink;
import io.iios.core.IiosNode;
import io.iios.spi.Encoder;
import io.iios.spi.Transport;
import io.iios.tck.internal.KitScope;
import io.iios.tck.internal.VaultService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RBAC and signed envelopes over the transport (docs/security.md): the seed's verb → action table for
 * admin, user and anonymous, users without binding, {@code own} vs {@code any} in the context, grant
 * changes across nodes within the stated bound, and forged or wrongly signed messages published
 * straight to the broker, after which the node keeps serving; RBAC on binding named streams and signed
 * stream messages. Every node has {@code iios.rbac.enabled}
 * and {@code iios.security.key}.
 */
public abstract class RbacKit {
    private static final String KEY = "rbac-kit-shared-key-of-32-bytes-or-more";
    private static final String WRONG_KEY = "rbac-kit-wrong-key-nobody-configured!!";

    /** The transport under test; called once per test. */
    protected abstract TransportUnderTest transport();

    private KitScope scope;
    private VaultService vault;
    private IiosNode vaultNode;
    private SimpleMeterRegistry vaultMeters;
    private IiosNode gatewayNode;
    private Gateway gateway;

    @BeforeEach
    void openRbacScope() {
        scope = new KitScope(transport());
        vault = new VaultService();
        vaultMeters = new SimpleMeterRegistry();
        vaultNode = scope.start(scope.node().service("vault", vault).meterRegistry(vaultMeters)
                .set("iios.rbac.enabled", "true").set("iios.security.key", KEY));
        gatewayNode = scope.start(scope.node().set("iios.security.key", KEY));
        gateway = gatewayNode.gateway();
        gateway.waitForService("vault", scope.scaled(Duration.ofSeconds(10)));
        gatewayNode.accessControl().bind("alice", "admin");
        gatewayNode.accessControl().bind("bob", "user");
    }

    @AfterEach
    void closeRbacScope() {
        scope.close();
    }

    private Gateway as(String user) {
        return user.equals("-") ? gateway : gateway.asUser(user);
    }

    private double dropped(String reason) {
        var c = vaultMeters.find("iios.messages.dropped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private void keepsServing() {
        assertThat(as("alice").call("vault", "create")).isEqualTo("alice|admin|ANY|false");
        assertThatThrownBy(() -> gateway.call("vault", "create")).isInstanceOf(AccessDeniedException.class);
    }

    @ParameterizedTest(name = "{0} calls {1}: allowed={2}")
    @CsvSource({
        "alice, read, true",  "alice, create, true",  "alice, update, true",  "alice, delete, true",
        "bob,   read, true",  "bob,   create, false", "bob,   update, true",  "bob,   delete, true",
        "-,     read, true",  "-,     create, false", "-,     update, false", "-,     delete, false"})
    @DisplayName("GET=read, PUT=create, POST=update, DELETE=delete for admin, user and anonymous (seed grants)")
    void verbTable(String user, String method, boolean allowed) {
        String role = user.equals("alice") ? "admin" : user.equals("bob") ? "user" : "anonymous";
        if (allowed) {
            assertThat(as(user).call("vault", method))
                    .isEqualTo((user.equals("-") ? "null" : user) + "|" + role + "|ANY|false");
        } else {
            assertThatThrownBy(() -> as(user).call("vault", method)).isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("vault." + method).hasMessageContaining("role " + role)
                    .hasMessageContaining(method + ":any|own");
        }
    }

    @Test
    @DisplayName("no user id is anonymous; a user without binding is anonymous too")
    void anonymousAndUnknownUser() {
        assertThat(gateway.call("vault", "read")).isEqualTo("null|anonymous|ANY|false");
        assertThat(as("nobody").call("vault", "read")).isEqualTo("nobody|anonymous|ANY|false");
        assertThatThrownBy(() -> as("nobody").call("vault", "delete")).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("user 'nobody' (role anonymous)");
    }

    @Test
    @DisplayName("the method's context holds OWN with only action:own, ANY once action:any is granted")
    void ownVersusAny() {
        gatewayNode.accessControl().grant("editor", "vault", "update", Possession.OWN);
        gatewayNode.accessControl().bind("carol", "editor");
        scope.await().ignoreException(AccessDeniedException.class)
                .until(() -> "carol|editor|OWN|false".equals(as("carol").call("vault", "update")));
        gatewayNode.accessControl().grant("editor", "vault", "update", Possession.ANY);
        scope.await().until(() -> "carol|editor|ANY|false".equals(as("carol").call("vault", "update")));
    }

    @Test
    @DisplayName("a grant change made on one node applies on the callee at once (change notice), far within iios.rbac.cache-ttl")
    void grantChangeWithinBound() {
        assertThatThrownBy(() -> as("bob").call("vault", "create")).isInstanceOf(AccessDeniedException.class);
        gatewayNode.accessControl().grant("user", "vault", "create", Possession.ANY);
        // the bound is the notice's delivery; the 10 s cache TTL is the fallback when a notice is lost
        scope.await(Duration.ofSeconds(5)).ignoreException(AccessDeniedException.class)
                .until(() -> "bob|user|ANY|false".equals(as("bob").call("vault", "create")));
        gatewayNode.accessControl().revoke("user", "vault", "create", Possession.ANY);
        scope.await(Duration.ofSeconds(5)).until(() -> {
            try {
                as("bob").call("vault", "create");
                return false;
            } catch (AccessDeniedException e) {
                return true;
            }
        });
    }

    /** A request to vault.create claiming to come from admin 'alice', sent by someone with only broker access. */
    private Map<String, Object> forgedRequest(String replyTo) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("v", 1);
        req.put("t", "req");
        req.put("id", 1);
        req.put("s", "vault");
        req.put("m", "create");
        req.put("a", List.of());
        req.put("r", replyTo);
        req.put("dl", System.currentTimeMillis() + 30_000);
        req.put("n", "intruder");
        req.put("u", "alice");
        return req;
    }

    @Test
    @DisplayName("a forged user id in an unsigned request published straight to the broker is dropped; the node keeps serving")
    void forgedUserIdRejected() {
        Transport raw = scope.raw();
        Encoder enc = vaultNode.encoder();
        String replyTo = scope.namespace() + ":_reply:intruder";
        List<byte[]> replies = new CopyOnWriteArrayList<>();
        raw.pubsub().subscribe(replyTo, (ch, p) -> replies.add(p));
        raw.pubsub().publish(scope.namespace() + ":_rpc:vault:" + vaultNode.services().get(0).instanceId(),
                enc.encode(forgedRequest(replyTo)));
        scope.await().until(() -> dropped("unsigned") == 1);
        assertThat(vault.runs.get()).isZero();
        assertThat(replies).isEmpty();
        keepsServing();
    }

    @Test
    @DisplayName("a request signed with a wrong key is dropped as forged; the node keeps serving")
    void wrongKeyRejected() throws GeneralSecurityException {
        Transport raw = scope.raw();
        Encoder enc = vaultNode.encoder();
        Map<String, Object> req = forgedRequest(scope.namespace() + ":_reply:intruder");
        req.put("ts", System.currentTimeMillis());
        req.put("kid", "0000000000000000");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WRONG_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        req.put("sig", Base64.getUrlEncoder().withoutPadding().encodeToString(
                mac.doFinal(enc.encode(req))));
        raw.pubsub().publish(scope.namespace() + ":_rpc:vault:" + vaultNode.services().get(0).instanceId(),
                enc.encode(req));
        scope.await().until(() -> dropped("forged") == 1);
        assertThat(vault.runs.get()).isZero();
        keepsServing();
    }
    @Test
    @DisplayName("binding a named stream needs read on the service that opened it (a denied binder does not take "
            + "the stream); unsigned stream messages are dropped and the stream completes")
    void namedStreams() throws Exception {
        gatewayNode.accessControl().grant("scribe", "vault", "create", Possession.ANY);
        gatewayNode.accessControl().bind("carol", "scribe");
        String name = "report" + KitScope.random(6);
        StreamSink sink = vaultNode.services().get(0).streams().open(name);
        Duration wait = scope.scaled(Duration.ofSeconds(10));
        // carol's role and binding were never read on the vault node: its first check reads them fresh
        assertThatThrownBy(() -> gateway.asUser("carol").streams().bind(name, wait))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("access denied to stream '" + name + "' of service vault for user 'carol' (role scribe): "
                        + "missing grant read:any|own on service vault");
        StreamHandle h = gateway.asUser("bob").streams().bind(name, wait);
        Transport raw = scope.raw();
        Encoder encoder = vaultNode.encoder();
        Map<String, Object> cancel = new LinkedHashMap<>();
        cancel.put("v", 1);
        cancel.put("t", "sx");
        cancel.put("r", "intruder");
        raw.pubsub().publish(scope.namespace() + ":_stream:" + h.id() + ":c", encoder.encode(cancel));
        scope.await().until(() -> dropped("unsigned") == 1);
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream out = sink.asOutputStream()) {
                out.write(new byte[200_000]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try (InputStream in = h.asInputStream()) {
            assertThat(in.readAllBytes()).hasSize(200_000);
        }
        writer.join(wait.toMillis());
        raw.close();
    }
}
