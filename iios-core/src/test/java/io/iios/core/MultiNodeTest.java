package io.iios.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.iios.api.Gateway;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("a gateway and three instances of bob")
class MultiNodeTest {
    private Cluster cluster;
    private IiosNode[] bobs;
    private Bob[] services;
    private Gateway gateway;

    @BeforeEach
    void start() {
        cluster = new Cluster();
        services = new Bob[] {new Bob(), new Bob(), new Bob()};
        bobs = new IiosNode[] {cluster.bob(services[0]), cluster.bob(services[1]), cluster.bob(services[2])};
        gateway = cluster.gateway().gateway();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.service("bob")
                .map(s -> s.instances().size() == 3).orElse(false));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private Map<String, Integer> spread(int calls) {
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            hits.merge((String) gateway.call("bob", "instance"), 1, Integer::sum);
        }
        return hits;
    }

    @Test
    @DisplayName("calls spread round-robin over all three instances")
    void spreadsCalls() {
        Map<String, Integer> hits = spread(30);
        assertThat(hits).hasSize(3);
        assertThat(hits.values()).containsOnly(10);
    }

    @Test
    @DisplayName("a stopped instance stops receiving calls and its record is gone")
    void stoppedInstance() {
        String stopped = bobs[0].services().get(0).instanceId();
        bobs[0].close();
        await().atMost(Duration.ofSeconds(2)).until(() -> gateway.service("bob").orElseThrow().instances().size() == 2);
        Map<String, Integer> hits = spread(20);
        assertThat(hits).hasSize(2).doesNotContainKey(stopped);
        assertThat(bobs[1].transport().kv().keys(cluster.namespace + ":_registry:bob:"))
                .hasSize(2).noneMatch(k -> k.endsWith(stopped));
    }

    @Test
    @DisplayName("a crashed instance (heartbeat stopped, record left) is dropped within one TTL and calls keep succeeding")
    void crashedInstance() {
        String crashed = bobs[2].services().get(0).instanceId();
        bobs[2].abort();
        // TTL is 1.5 s in the Cluster fixture; the bound adds scheduling slack only
        await().atMost(Duration.ofMillis(1500 + 500)).pollInterval(Duration.ofMillis(20))
                .until(() -> gateway.service("bob").orElseThrow().instances().size() == 2);
        Map<String, Integer> hits = spread(20);
        assertThat(hits).hasSize(2).doesNotContainKey(crashed);
        assertThat(hits.values()).containsOnly(10);
    }

    @Test
    @DisplayName("least-in-flight balancing avoids an instance busy with a slow call")
    void leastInFlight() {
        Gateway lif = cluster.start(cluster.builder().set("iios.call.balance", "least-in-flight")).gateway();
        await().atMost(Duration.ofSeconds(5)).until(() -> lif.service("bob").map(s -> s.instances().size() == 3)
                .orElse(false));
        var slow = lif.callAsync("bob", "slow", 10_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> java.util.Arrays.stream(services)
                .mapToInt(b -> b.slowStarted.get()).sum() == 1);
        int busy = services[0].slowStarted.get() == 1 ? 0 : services[1].slowStarted.get() == 1 ? 1 : 2;
        String busyId = bobs[busy].services().get(0).instanceId();
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            hits.merge((String) lif.call("bob", "instance"), 1, Integer::sum);
        }
        assertThat(hits).doesNotContainKey(busyId);
        assertThat(hits.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
        for (Bob b : services) {
            b.release.countDown();
        }
        assertThat(slow).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(10_000);
    }

    @Test
    @DisplayName("a graceful stop lets an accepted call finish and reply")
    void gracefulStopKeepsAcceptedWork() throws InterruptedException {
        var slow = gateway.callAsync("bob", "slow", 10_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> java.util.Arrays.stream(services)
                .mapToInt(b -> b.slowStarted.get()).sum() == 1);
        int busy = services[0].slowStarted.get() == 1 ? 0 : services[1].slowStarted.get() == 1 ? 1 : 2;
        Thread closing = Thread.ofVirtual().start(bobs[busy]::close);
        await().atMost(Duration.ofSeconds(2)).until(() -> gateway.service("bob").orElseThrow().instances().size() == 2);
        assertThat(slow).isNotDone();
        services[busy].release.countDown();
        assertThat(slow).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(10_000);
        closing.join(Duration.ofSeconds(5));
        assertThat(closing.isAlive()).isFalse();
    }
}
