package io.iios.transport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.iios.api.Gateway;
import io.iios.core.IiosNode;
import io.iios.spi.KvStore;
import io.iios.tck.TransportCompatibilityKit;
import io.iios.tck.TransportUnderTest;
import io.iios.testsupport.EndToEndScenario;
import io.iios.testsupport.RecordingListener;
import io.iios.transport.redis.internal.RedisTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/** A 3-master Cluster started by scripts/redis-cluster.sh. */
class RedisClusterTest {
    private static ScriptedRedis cluster;
    private static String seeds;
    private static TransportUnderTest target;

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
    @DisplayName("the end-to-end scenario on a 3-master Cluster")
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
            assertThat(a.watchUsesNotifications()).isTrue();
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

    @Test
    @DisplayName("RPC inboxes and reply inboxes use sharded pub/sub: listed by PUBSUB SHARDCHANNELS, invisible to a classic subscriber")
    void rpcGoesThroughShardedPubSub() {
        try (RedisNodes nodes = new RedisNodes(Map.of("iios.redis.cluster", seeds), null);
                ClassicSpy spy = new ClassicSpy(cluster.basePort, nodes.namespace + ":*")) {
            IiosNode gw = nodes.gateway();
            nodes.bob();
            Gateway g = gw.gateway();
            g.waitForService("bob", Duration.ofSeconds(10));
            for (int i = 0; i < 200; i++) {
                assertThat(g.call("bob", "add", i, 1)).isEqualTo(i + 1);
            }
            String ns = nodes.namespace;
            Set<String> sharded = new HashSet<>();
            Set<String> classic = new HashSet<>();
            long subscribers = 0;
            for (int port = cluster.basePort; port < cluster.basePort + 3; port++) {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    List<String> here = j.pubsubShardChannels(ns + ":*");
                    sharded.addAll(here);
                    classic.addAll(j.pubsubChannels(ns + ":*"));
                    if (!here.isEmpty()) {
                        subscribers += j.pubsubShardNumSub(here.toArray(new String[0])).values().stream()
                                .mapToLong(Long::longValue).sum();
                    }
                }
            }
            assertThat(sharded).as("sharded channels on the masters")
                    .anyMatch(c -> c.startsWith(ns + ":_rpc:bob:"))
                    .anyMatch(c -> c.startsWith(ns + ":_reply:"));
            assertThat(subscribers).isEqualTo(sharded.size());
            assertThat(classic).as("classic channels").contains(ns + ":_discovery")
                    .noneMatch(c -> c.startsWith(ns + ":_rpc:") || c.startsWith(ns + ":_reply:"));
            // the spy does see classic traffic (discovery heartbeats), but never a request or a reply
            await().atMost(Duration.ofSeconds(5)).until(() -> spy.seen.contains(ns + ":_discovery"));
            assertThat(spy.seen).noneMatch(c -> c.startsWith(ns + ":_rpc:") || c.startsWith(ns + ":_reply:"));
        }
    }

    @Test
    @DisplayName("a sharded subscription follows its slot to another master (SETSLOT), and survives the move")
    void shardedSubscriptionFollowsSlotMove() {
        String ns = RedisTestSupport.namespace();
        RecordingListener l = new RecordingListener();
        String channel = ns + ":_rpc:mover:i1";
        int slot = JedisClusterCRC16.getSlot(channel);
        try (RedisTransport sub = RedisTestSupport.transport("redis://127.0.0.1:" + cluster.basePort, ns, l,
                "iios.redis.cluster", seeds, "iios.redis.reconnect-backoff", "20ms");
                RedisTransport pub = RedisTestSupport.transport("redis://127.0.0.1:" + cluster.basePort, ns, l,
                        "iios.redis.cluster", seeds)) {
            List<String> got = new CopyOnWriteArrayList<>();
            sub.pubsub().subscribe(channel, (c, p) -> got.add(new String(p, StandardCharsets.UTF_8)));
            pub.pubsub().publish(channel, "before".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(5)).until(() -> got.contains("before"));

            int from = ownerPort(slot);
            int to = from == cluster.basePort ? cluster.basePort + 1 : cluster.basePort;
            assertThat(shardNumSub(from, channel)).isEqualTo(1);
            moveSlot(slot, from, to);

            // at-most-once while the slot moves: publish until one arrives on the new master
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                pub.pubsub().publish(channel, "after".getBytes(StandardCharsets.UTF_8));
                return got.contains("after");
            });
            assertThat(shardNumSub(to, channel)).isEqualTo(1);
            assertThat(shardNumSub(from, channel)).isZero();
        }
    }

    @Test
    @DisplayName("a sharded subscriber connection killed by its master is re-opened and re-subscribed by itself")
    void shardedSubscriberReconnects() {
        String ns = RedisTestSupport.namespace();
        RecordingListener l = new RecordingListener();
        String channel = ns + ":_reply:n1";
        try (RedisTransport sub = RedisTestSupport.transport("redis://127.0.0.1:" + cluster.basePort, ns, l,
                "iios.redis.cluster", seeds, "iios.redis.reconnect-backoff", "20ms");
                RedisTransport pub = RedisTestSupport.transport("redis://127.0.0.1:" + cluster.basePort, ns, l,
                        "iios.redis.cluster", seeds)) {
            List<String> got = new CopyOnWriteArrayList<>();
            sub.pubsub().subscribe(channel, (c, p) -> got.add(new String(p, StandardCharsets.UTF_8)));
            int owner = ownerPort(JedisClusterCRC16.getSlot(channel));
            long killed;
            try (Jedis j = new Jedis("127.0.0.1", owner)) {
                killed = j.clientList().lines().filter(c -> c.contains(" ssub=1 "))
                        .map(c -> c.substring(3, c.indexOf(' ')))
                        .mapToLong(id -> j.clientKill(ClientKillParams.clientKillParams().id(id))).sum();
            }
            assertThat(killed).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                pub.pubsub().publish(channel, "again".getBytes(StandardCharsets.UTF_8));
                return got.contains("again");
            });
            assertThat(shardNumSub(owner, channel)).isEqualTo(1);
            assertThat(l.errors).anyMatch(e -> e.contains("sharded subscriber connection"));
        }
    }

    private static TransportUnderTest clusterTarget() {
        if (target == null) {
            target = TransportUnderTest.fromProvider(new RedisTransportProvider(), Map.of(
                    "iios.redis.uri", "redis://127.0.0.1:" + cluster.basePort, "iios.redis.cluster", seeds));
        }
        return target;
    }

    @Nested
    @DisplayName("the whole TCK on the Cluster")
    class ClusterCompatibility extends TransportCompatibilityKit {
        @Override
        protected TransportUnderTest transport() {
            return clusterTarget();
        }
    }

    private static int ownerPort(int slot) {
        try (Jedis j = new Jedis("127.0.0.1", cluster.basePort)) {
            for (Object range : j.clusterSlots()) {
                List<?> r = (List<?>) range;
                if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
                    return ((Long) ((List<?>) r.get(2)).get(1)).intValue();
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    private static long shardNumSub(int port, String channel) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            return j.pubsubShardNumSub(channel).getOrDefault(channel, 0L);
        }
    }

    /** Moves an empty slot from one master to another, as redis-cli --cluster reshard does. */
    private static void moveSlot(int slot, int from, int to) {
        try (Jedis src = new Jedis("127.0.0.1", from); Jedis dst = new Jedis("127.0.0.1", to)) {
            String dstId = dst.clusterMyId();
            String srcId = src.clusterMyId();
            dst.clusterSetSlotImporting(slot, srcId);
            src.clusterSetSlotMigrating(slot, dstId);
            assertThat(src.clusterCountKeysInSlot(slot)).isZero();
            dst.clusterSetSlotNode(slot, dstId);
            src.clusterSetSlotNode(slot, dstId);
            for (int port = cluster.basePort; port < cluster.basePort + 3; port++) {
                if (port != from && port != to) {
                    try (Jedis other = new Jedis("127.0.0.1", port)) {
                        other.clusterSetSlotNode(slot, dstId);
                    }
                }
            }
        }
    }

    /** A classic PSUBSCRIBE on one node: sees every classic PUBLISH of the Cluster (the bus broadcasts them). */
    private static final class ClassicSpy implements AutoCloseable {
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final Jedis jedis;
        private final JedisPubSub pubsub = new JedisPubSub() {
            @Override
            public void onPMessage(String pattern, String channel, String message) {
                seen.add(channel);
            }
        };
        private final Thread thread;

        ClassicSpy(int port, String glob) {
            jedis = new Jedis("127.0.0.1", port);
            thread = Thread.ofPlatform().daemon().name("classic-spy").start(() -> {
                try {
                    jedis.psubscribe(pubsub, glob);
                } catch (RuntimeException closed) {
                    // closed by the test
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(pubsub::isSubscribed);
        }

        @Override
        public void close() {
            try {
                pubsub.punsubscribe();
            } catch (RuntimeException ignored) {
                // already gone
            }
            jedis.close();
        }
    }
}
