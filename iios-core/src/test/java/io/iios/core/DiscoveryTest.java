package io.iios.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.iios.api.Gateway;
import io.iios.api.InstanceInfo;
import io.iios.api.MethodInfo;
import io.iios.api.ServiceInfo;
import io.iios.api.ServiceUnavailableException;
import io.iios.api.Verb;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
    private Cluster cluster;

    @BeforeEach
    void start() {
        cluster = new Cluster();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    @DisplayName("waitForService completes when the service starts later")
    void waitForLateService() {
        Gateway gw = cluster.gateway().gateway();
        CompletableFuture<ServiceInfo> waiting = gw.waitForServiceAsync("bob", Duration.ofSeconds(5));
        assertThat(waiting).isNotDone();
        cluster.bob(new Bob());
        assertThat(waiting).succeedsWithin(Duration.ofSeconds(5))
                .satisfies(s -> assertThat(s.instances()).hasSize(1));
        assertThat(gw.call("bob", "add", 1, 2)).isEqualTo(3);
    }

    @Test
    void waitForServiceTimesOut() {
        Gateway gw = cluster.gateway().gateway();
        assertThatThrownBy(() -> gw.waitForService("ghost", Duration.ofMillis(200)))
                .isInstanceOf(ServiceUnavailableException.class).hasMessageContaining("ghost");
    }

    @Test
    @DisplayName("the record publishes methods, verbs, public-HTTP flags, node and version")
    void recordContents() {
        IiosNode bobNode = cluster.bob(new Bob());
        Gateway gw = cluster.gateway().gateway();
        InstanceInfo info = gw.waitForService("bob", Duration.ofSeconds(5)).instances().get(0);
        assertThat(info.nodeId()).isEqualTo(bobNode.nodeId());
        assertThat(info.version()).isEqualTo("1.0.0");
        assertThat(info.methods().get("add")).isEqualTo(new MethodInfo("add", Verb.GET, true));
        assertThat(info.methods().get("move")).isEqualTo(new MethodInfo("move", Verb.PUT, true));
        assertThat(info.methods().get("fail")).isEqualTo(new MethodInfo("fail", Verb.DELETE, true));
        assertThat(info.methods().get("nothing")).isEqualTo(new MethodInfo("nothing", Verb.POST, false));
        assertThat(info.methods()).doesNotContainKeys("_hidden", "onStart", "onStop", "toString", "hashCode");
        assertThat(gw.services()).extracting(ServiceInfo::name).containsExactly("bob");
    }

    @Test
    @DisplayName("two instances of one name are both visible; a graceful stop removes only its own")
    void twoInstancesAndGracefulStop() {
        IiosNode first = cluster.bob(new Bob());
        IiosNode second = cluster.bob(new Bob());
        Gateway gw = cluster.gateway().gateway();
        await().atMost(Duration.ofSeconds(5)).until(() -> gw.service("bob").map(s -> s.instances().size())
                .orElse(0) == 2);
        String secondId = second.services().get(0).instanceId();
        first.close();
        await().atMost(Duration.ofSeconds(2)).until(() -> gw.service("bob").map(s -> s.instances().size())
                .orElse(0) == 1);
        assertThat(gw.service("bob").orElseThrow().instances().get(0).instanceId()).isEqualTo(secondId);
        assertThat(cluster.raw().kv().keys(cluster.namespace + ":_registry:"))
                .containsExactly(cluster.namespace + ":_registry:bob:" + secondId);
    }

    @Test
    @DisplayName("a crashed instance disappears within one TTL")
    void crashGoneWithinTtl() {
        IiosNode crashing = cluster.bob(new Bob());
        Gateway gw = cluster.gateway().gateway();
        gw.waitForService("bob", Duration.ofSeconds(5));
        crashing.abort();
        await().atMost(Duration.ofMillis(1500 + 500)).until(() -> gw.service("bob").isEmpty());
        assertThat(cluster.raw().kv().keys(cluster.namespace + ":_registry:")).isEmpty();
        assertThatThrownBy(() -> gw.call("bob", "add", 1, 2)).isInstanceOf(ServiceUnavailableException.class);
    }

    @Test
    @DisplayName("two namespaces on one broker never see each other")
    void namespacesIsolated() {
        cluster.bob(new Bob());
        IiosNode other = cluster.start(cluster.builder().set("iios.namespace", cluster.namespace + "x"));
        IiosNode same = cluster.gateway();
        same.gateway().waitForService("bob", Duration.ofSeconds(5));
        assertThatThrownBy(() -> other.gateway().waitForService("bob", Duration.ofMillis(500)))
                .isInstanceOf(ServiceUnavailableException.class);
        assertThat(other.gateway().services()).isEmpty();
    }

    @Test
    @DisplayName("a node started after the service loads it from the KV store")
    void lateGatewayLoadsExistingRecords() {
        cluster.bob(new Bob());
        cluster.bob(new Bob());
        Gateway late = cluster.gateway().gateway();
        assertThat(late.service("bob")).hasValueSatisfying(s -> assertThat(s.instances()).hasSize(2));
    }
}
