package io.iios.transport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.iios.spi.KvStore;
import io.iios.testsupport.EndToEndScenario;
import io.iios.transport.redis.internal.RedisTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A 3-master Cluster started by scripts/redis-cluster.sh. */
class RedisClusterTest {
    private static ScriptedRedis cluster;
    private static String seeds;

    @BeforeAll
    static void startCluster() {
        cluster = ScriptedRedis.start("redis-cluster.sh", 3);
        int b = cluster.basePort;
        seeds = "127.0.0.1:" + b + ",127.0.0.1:" + (b + 1) + ",127.0.0.1:" + (b + 2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @DisplayName("the end-to-end scenario on a 3-master Cluster (watch polls: notifications are per node)")
    void endToEnd() {
        try (RedisNodes nodes = new RedisNodes(Map.of("iios.redis.cluster", seeds,
                "iios.redis.watch-poll-interval", "200ms"), null)) {
            EndToEndScenario.run(nodes);
        }
    }

    @Test
    @DisplayName("KV keys spread over every master are all listed; patterns work across the Cluster")
    void kvAndPatternsAcrossNodes() {
        String ns = RedisTestSupport.namespace();
        RecordingListener l = new RecordingListener();
        try (RedisTransport a = RedisTestSupport.transport("redis://127.0.0.1:" + cluster.basePort, ns, l,
                "iios.redis.cluster", seeds);
                RedisTransport b = RedisTestSupport.transport("redis://127.0.0.1:" + cluster.basePort, ns, l,
                        "iios.redis.cluster", seeds)) {
            assertThat(a.watchUsesNotifications()).isFalse();
            KvStore kv = a.kv();
            for (int i = 0; i < 50; i++) {
                kv.put(ns + ":k:" + i, new byte[] {(byte) i});
            }
            assertThat(kv.keys(ns + ":k:")).hasSize(50);
            assertThat(kv.putIfAbsent(ns + ":k:1", new byte[0], null)).isFalse();
            List<String> got = new CopyOnWriteArrayList<>();
            b.pubsub().subscribe(ns + ":*:event:*", (c, p) -> got.add(c));
            for (int i = 0; i < 30; i++) {
                a.pubsub().publish(ns + ":s" + i + ":event:e", new byte[] {1});
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 30);
            for (int i = 0; i < 50; i++) {
                assertThat(kv.delete(ns + ":k:" + i)).isTrue();
            }
        }
    }
}
