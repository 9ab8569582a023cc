package io.iios.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iios.api.Gateway;
import io.iios.api.InstanceInfo;
import io.iios.api.ServiceInfo;
import io.iios.api.ServiceUnavailableException;
import io.iios.api.Verb;
import io.iios.core.IiosNode;
import io.iios.spi.KvStore;
import io.iios.tck.internal.KitScope;
import io.iios.tck.internal.ProbeService;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Discovery on the transport: instance records with a TTL and heartbeat, notices, a crash that
 * expires within one TTL, a graceful stop that deletes only its own record, namespaces that never
 * meet. Without {@code KV_WATCH} core polls the records; these tests then prove the polling path.
 */
public abstract class DiscoveryKit {

    /** The transport under test; called once per test. */
    protected abstract TransportUnderTest transport();

    private KitScope scope;
    private KvStore kv;

    @BeforeEach
    void openDiscoveryScope() {
        scope = new KitScope(transport());
        kv = scope.raw().kv();
    }

    @AfterEach
    void closeDiscoveryScope() {
        scope.close();
    }

    private String registryPrefix() {
        return scope.namespace() + ":_registry:";
    }

    private static int instances(Gateway gw, String service) {
        return gw.service(service).map(s -> s.instances().size()).orElse(0);
    }

    @Nested
    @DisplayName("registration")
    class Registration {

        @Test
        @DisplayName("waitForService completes when the service starts later, with its record")
        void waitForLateService() {
            Gateway gw = scope.gateway().gateway();
            CompletableFuture<ServiceInfo> waiting = gw.waitForServiceAsync("probe", scope.scaled(Duration.ofSeconds(10)));
            assertThat(waiting).isNotDone();
            IiosNode node = scope.startProbe("probe", new ProbeService());
            ServiceInfo info = waiting.orTimeout(scope.scaled(Duration.ofSeconds(10)).toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS).join();
            assertThat(info.instances()).hasSize(1);
            InstanceInfo instance = info.instances().get(0);
            assertThat(instance.nodeId()).isEqualTo(node.nodeId());
            assertThat(instance.methods()).containsKeys("add", "hello", "nothing");
            assertThat(instance.methods().get("add").verb()).isEqualTo(Verb.GET);
            assertThat(gw.call("probe", "add", 1, 2)).isEqualTo(3);
            assertThat(kv.keys(registryPrefix())).containsExactly(registryPrefix() + "probe:" + instance.instanceId());
        }

        @Test
        @DisplayName("waitForService fails with ServiceUnavailable naming the service when none appears")
        void waitTimesOut() {
            Gateway gw = scope.gateway().gateway();
            assertThatThrownBy(() -> gw.waitForService("ghost", scope.scaled(Duration.ofMillis(300))))
                    .isInstanceOf(ServiceUnavailableException.class).hasMessageContaining("ghost");
        }

        @Test
        @DisplayName("two instances of one name are both visible, in the view and in the KV store")
        void twoInstances() {
            IiosNode a = scope.startProbe("probe", new ProbeService());
            IiosNode b = scope.startProbe("probe", new ProbeService());
            Gateway gw = scope.gateway().gateway();
            scope.await().until(() -> instances(gw, "probe") == 2);
            assertThat(gw.service("probe").orElseThrow().instances()).extracting(InstanceInfo::nodeId)
                    .containsExactlyInAnyOrder(a.nodeId(), b.nodeId());
            assertThat(kv.keys(registryPrefix())).hasSize(2);
        }

        @Test
        @DisplayName("a node started after the services loads them from the KV store")
        void lateNodeLoadsRecords() {
            scope.startProbe("probe", new ProbeService());
            scope.startProbe("other", new ProbeService());
            Gateway late = scope.gateway().gateway();
            scope.await().until(() -> late.services().size() == 2);
            assertThat(late.services()).extracting(ServiceInfo::name).containsExactly("other", "probe");
        }
    }

    @Nested
    @DisplayName("leaving")
    class Leaving {

        @Test
        @DisplayName("a crashed instance (no goodbye) disappears within one TTL, from the view and the KV store")
        void crash() {
            IiosNode crashing = scope.startProbe("probe", new ProbeService());
            Gateway gw = scope.gateway().gateway();
            gw.waitForService("probe", scope.scaled(Duration.ofSeconds(10)));
            crashing.abort();
            // one TTL, plus one heartbeat of the observer and scheduling slack
            Duration bound = scope.ttl().plus(scope.scaled(KitScope.HEARTBEAT)).plus(scope.scaled(Duration.ofMillis(700)));
            scope.awaitWithin(bound).until(() -> gw.service("probe").isEmpty());
            scope.awaitWithin(bound).until(() -> kv.keys(registryPrefix()).isEmpty());
            assertThatThrownBy(() -> gw.call("probe", "add", 1, 2)).isInstanceOf(ServiceUnavailableException.class);
        }

        @Test
        @DisplayName("a graceful stop removes its own instance at once and leaves the other's record")
        void gracefulStop() {
            IiosNode first = scope.startProbe("probe", new ProbeService());
            IiosNode second = scope.startProbe("probe", new ProbeService());
            Gateway gw = scope.gateway().gateway();
            scope.await().until(() -> instances(gw, "probe") == 2);
            String secondId = second.services().get(0).instanceId();
            first.close();
            assertThat(kv.keys(registryPrefix())).containsExactly(registryPrefix() + "probe:" + secondId);
            scope.awaitWithin(scope.ttl()).until(() -> instances(gw, "probe") == 1);
            assertThat(gw.service("probe").orElseThrow().instances().get(0).instanceId()).isEqualTo(secondId);
            for (int i = 0; i < 5; i++) {
                assertThat(gw.call("probe", "instance")).isEqualTo(secondId);
            }
        }

        @Test
        @DisplayName("a live instance stays visible over several TTLs (heartbeats refresh it)")
        void heartbeatsKeepAlive() {
            scope.startProbe("probe", new ProbeService());
            Gateway gw = scope.gateway().gateway();
            gw.waitForService("probe", scope.scaled(Duration.ofSeconds(10)));
            scope.awaitWithin(scope.ttl().multipliedBy(4)).during(scope.ttl().multipliedBy(3))
                    .pollInterval(Duration.ofMillis(50)).until(() -> gw.service("probe").isPresent());
            assertThat(gw.call("probe", "add", 2, 3)).isEqualTo(5);
        }
    }

    @Nested
    @DisplayName("namespaces")
    class Namespaces {

        @Test
        @DisplayName("two namespaces on one broker never see each other's services or records")
        void isolated() {
            scope.startProbe("probe", new ProbeService());
            String otherNs = scope.otherNamespace();
            IiosNode foreign = scope.start(scope.node().set("iios.namespace", otherNs).service("probe",
                    new ProbeService()));
            Gateway local = scope.gateway().gateway();
            scope.await().until(() -> instances(local, "probe") == 1);
            IiosNode foreignGateway = scope.start(scope.node().set("iios.namespace", otherNs));
            scope.await().until(() -> instances(foreignGateway.gateway(), "probe") == 1);
            assertThat(local.service("probe").orElseThrow().instances().get(0).nodeId()).isNotEqualTo(foreign.nodeId());
            assertThat(foreignGateway.gateway().service("probe").orElseThrow().instances().get(0).nodeId())
                    .isEqualTo(foreign.nodeId());
            assertThat(kv.keys(registryPrefix())).hasSize(1);
            IiosNode empty = scope.start(scope.node().set("iios.namespace", scope.otherNamespace()));
            assertThatThrownBy(() -> empty.gateway().waitForService("probe", scope.scaled(Duration.ofMillis(500))))
                    .isInstanceOf(ServiceUnavailableException.class);
        }
    }
}
