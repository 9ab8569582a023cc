package io.iios.transport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.iios.spi.KvListener;
import io.iios.spi.KvStore;
import io.iios.spi.Subscription;
import io.iios.testsupport.RecordingListener;
import io.iios.transport.redis.internal.RedisTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

class RedisKvTest {
    private String uri;
    private String ns;
    private RedisTransport transport;
    private KvStore kv;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void connect() {
        uri = RedisTestSupport.requireRedis();
        ns = RedisTestSupport.namespace();
        transport = RedisTestSupport.transport(uri, ns, listener);
        kv = transport.kv();
    }

    @AfterEach
    void close() {
        if (transport != null) {
            transport.close();
            RedisTestSupport.deleteNamespace(uri, ns);
        }
    }

    @Test
    @DisplayName("put, get, overwrite and delete")
    void basics() {
        String key = ns + ":a:b";
        assertThat(kv.get(key)).isEmpty();
        kv.put(key, new byte[] {1, 2, 3});
        assertThat(kv.get(key)).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2, 3));
        kv.put(key, new byte[] {4});
        assertThat(kv.get(key)).hasValueSatisfying(v -> assertThat(v).containsExactly(4));
        assertThat(kv.delete(key)).isTrue();
        assertThat(kv.delete(key)).isFalse();
        assertThat(kv.get(key)).isEmpty();
    }

    @Test
    @DisplayName("values are byte-exact: every byte value, empty, and 1 MiB")
    void binaryValues() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        byte[] big = new byte[1024 * 1024];
        new Random(42).nextBytes(big);
        kv.put(ns + ":all", all);
        kv.put(ns + ":empty", new byte[0]);
        kv.put(ns + ":big", big);
        assertThat(kv.get(ns + ":all")).hasValueSatisfying(v -> assertThat(v).isEqualTo(all));
        assertThat(kv.get(ns + ":empty")).hasValueSatisfying(v -> assertThat(v).isEmpty());
        assertThat(kv.get(ns + ":big")).hasValueSatisfying(v -> assertThat(v).isEqualTo(big));
    }

    @Test
    @DisplayName("a TTL makes the key disappear; SET uses PX")
    void ttl() {
        String key = ns + ":ttl";
        kv.put(key, new byte[] {1}, Duration.ofMillis(300));
        try (RedisClient raw = RedisClient.builder().fromURI(uri).build()) {
            assertThat(raw.pttl(key)).isBetween(1L, 300L);
        }
        assertThat(kv.get(key)).isPresent();
        await().atMost(Duration.ofSeconds(3)).until(() -> kv.get(key).isEmpty());
    }

    @Test
    @DisplayName("putIfAbsent: exactly one of 8 racing threads wins, repeatedly")
    void casRace() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                String key = ns + ":cas:" + round;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    byte[] mine = {(byte) t};
                    results.add(pool.submit(() -> {
                        go.await();
                        return kv.putIfAbsent(key, mine, Duration.ofSeconds(30));
                    }));
                }
                go.countDown();
                int winners = 0;
                int winner = -1;
                for (int t = 0; t < 8; t++) {
                    if (results.get(t).get()) {
                        winners++;
                        winner = t;
                    }
                }
                assertThat(winners).isEqualTo(1);
                int w = winner;
                assertThat(kv.get(key)).hasValueSatisfying(v -> assertThat(v).containsExactly(w));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("keys(prefix) lists by prefix with SCAN, including segments with glob characters")
    void keysByPrefix() {
        kv.put(ns + ":reg:bob:1", new byte[] {1});
        kv.put(ns + ":reg:bob:2", new byte[] {1});
        kv.put(ns + ":reg:bobby:1", new byte[] {1});
        kv.put(ns + ":reg:a*b?[c]\\%:1", new byte[] {1});
        kv.put(ns + ":other:1", new byte[] {1});
        assertThat(kv.keys(ns + ":reg:bob:")).containsExactlyInAnyOrder(ns + ":reg:bob:1", ns + ":reg:bob:2");
        assertThat(kv.keys(ns + ":reg:")).hasSize(4).contains(ns + ":reg:a*b?[c]\\%:1");
        assertThat(kv.keys(ns + ":reg:a*")).containsExactly(ns + ":reg:a*b?[c]\\%:1");
        assertThat(kv.keys(ns + ":reg:a")).containsExactly(ns + ":reg:a*b?[c]\\%:1");
        assertThat(kv.get(ns + ":reg:a*b?[c]\\%:1")).isPresent();
        assertThat(kv.keys(ns + ":nothing:")).isEmpty();
    }

    @Test
    @DisplayName("a bad key is refused before reaching Redis")
    void badKey() {
        assertThatThrownBy(() -> kv.put(ns + "::x", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kv.get(ns + ":*")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("watch (keyspace notifications) reports puts with their value, deletes and expiries, only under its prefix")
    void watchNotifications() {
        assertThat(transport.watchUsesNotifications()).isTrue();
        watchScenario(kv, true);
    }

    @Test
    @DisplayName("watch falls back to polling with iios.redis.watch=poll")
    void watchPolling() {
        try (RedisTransport polling = RedisTestSupport.transport(uri, ns, listener,
                "iios.redis.watch", "poll", "iios.redis.watch-poll-interval", "50ms")) {
            assertThat(polling.watchUsesNotifications()).isFalse();
            watchScenario(polling.kv(), false);
        }
    }

    private void watchScenario(KvStore store, boolean distinguishesExpiry) {
        record Seen(String key, KvListener.Change change, String value) {
        }
        List<Seen> seen = new CopyOnWriteArrayList<>();
        kv.put(ns + ":w:before", new byte[] {9});
        try (Subscription w = store.watch(ns + ":w:", (k, c, v) -> seen.add(new Seen(k, c, v == null ? null : new String(v))))) {
            kv.put(ns + ":w:x*y", "one".getBytes());
            kv.put(ns + ":elsewhere", "no".getBytes());
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
            kv.delete(ns + ":w:x*y");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
            kv.put(ns + ":w:ttl", "t".getBytes(), Duration.ofMillis(200));
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 4
                    || (seen.size() == 3 && !distinguishesExpiry && store.get(ns + ":w:ttl").isEmpty()));
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 4);
        }
        assertThat(seen.get(0)).isEqualTo(new Seen(ns + ":w:x*y", KvListener.Change.PUT, "one"));
        assertThat(seen.get(1)).isEqualTo(new Seen(ns + ":w:x*y", KvListener.Change.DELETE, null));
        assertThat(seen.get(2)).isEqualTo(new Seen(ns + ":w:ttl", KvListener.Change.PUT, "t"));
        assertThat(seen.get(3).key()).isEqualTo(ns + ":w:ttl");
        assertThat(seen.get(3).change()).isEqualTo(distinguishesExpiry ? KvListener.Change.EXPIRE
                : KvListener.Change.DELETE);
    }
}
