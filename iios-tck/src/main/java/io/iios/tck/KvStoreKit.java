package io.iios.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iios.spi.Capability;
import io.iios.spi.KvListener;
import io.iios.spi.KvListener.Change;
import io.iios.spi.KvStore;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import io.iios.spi.UnsupportedCapabilityException;
import io.iios.tck.internal.KitScope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The {@link KvStore} contract: byte-exact values, prefix listing, and the optional capabilities
 * {@link Capability#KV_TTL}, {@link Capability#KV_CAS} and {@link Capability#KV_WATCH} — each checked
 * when declared, and checked to fail at once with {@link UnsupportedCapabilityException} when not.
 */
public abstract class KvStoreKit {

    /** The transport under test; called once per test. */
    protected abstract TransportUnderTest transport();

    private KitScope scope;
    private KvStore kv;
    private String prefix;

    @BeforeEach
    void openKvScope() {
        scope = new KitScope(transport());
        kv = scope.raw().kv();
        prefix = scope.namespace() + ":kv:";
    }

    @AfterEach
    void closeKvScope() {
        scope.close();
    }

    private String key(String... rest) {
        return prefix + String.join(":", rest);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void requireCapability(Capability c) {
        assumeTrue(scope.supports(c), "transport " + scope.target().name() + " does not declare " + c);
    }

    private void requireNoCapability(Capability c) {
        assumeFalse(scope.supports(c), "transport " + scope.target().name() + " declares " + c
                + "; its unsupported path does not apply");
    }

    /** Runs an operation that must fail at once with UnsupportedCapabilityException naming the capability. */
    private void assertUnsupported(Capability c, Runnable op) {
        assertTimeoutPreemptively(scope.scaled(Duration.ofSeconds(5)), () -> assertThatThrownBy(op::run)
                .as("an operation needing the undeclared %s", c)
                .isInstanceOfSatisfying(UnsupportedCapabilityException.class,
                        e -> assertThat(e.capability()).isEqualTo(c)));
    }

    @Nested
    @DisplayName("basic operations")
    class Basics {

        @Test
        @DisplayName("put, get, overwrite and delete")
        void putGetDelete() {
            String k = key("a");
            assertThat(kv.get(k)).isEmpty();
            kv.put(k, utf8("one"));
            assertThat(kv.get(k)).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("one")));
            kv.put(k, utf8("two"));
            assertThat(kv.get(k)).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("two")));
            assertThat(kv.delete(k)).isTrue();
            assertThat(kv.get(k)).isEmpty();
            assertThat(kv.delete(k)).as("deleting an absent key").isFalse();
        }

        @Test
        @DisplayName("a value written by one connection is read by another")
        void sharedAcrossConnections() {
            KvStore other = scope.raw().kv();
            kv.put(key("shared"), utf8("x"));
            assertThat(other.get(key("shared"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("x")));
            assertThat(other.delete(key("shared"))).isTrue();
            assertThat(kv.get(key("shared"))).isEmpty();
        }

        @Test
        @DisplayName("values are byte-exact: all 256 byte values and the empty value")
        void binarySafe() {
            byte[] all = new byte[512];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            kv.put(key("bin"), all);
            kv.put(key("empty"), new byte[0]);
            assertThat(kv.get(key("bin"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(all));
            assertThat(kv.get(key("empty"))).hasValueSatisfying(v -> assertThat(v).isEmpty());
        }

        @Test
        @DisplayName("a 1 MiB value is stored byte-exact")
        void largeValue() {
            byte[] big = new byte[1024 * 1024];
            new Random(7).nextBytes(big);
            kv.put(key("big"), big);
            assertThat(kv.get(key("big"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(big));
        }

        @Test
        @DisplayName("the stored value does not change when the caller's array does")
        void valueIsCopied() {
            byte[] v = utf8("abc");
            kv.put(key("copy"), v);
            v[0] = 'X';
            assertThat(kv.get(key("copy"))).hasValueSatisfying(x -> assertThat(x).isEqualTo(utf8("abc")));
        }

        @Test
        @DisplayName("keys(prefix) lists exactly the keys under the prefix")
        void keysIsolation() {
            kv.put(key("p", "1"), utf8("1"));
            kv.put(key("p", "2"), utf8("2"));
            kv.put(key("p", "sub", "3"), utf8("3"));
            kv.put(key("pq", "4"), utf8("4"));
            kv.put(key("other"), utf8("5"));
            String foreign = scope.otherNamespace() + ":kv:p:1";
            kv.put(foreign, utf8("6"));
            assertThat(kv.keys(key("p") + ":")).containsExactlyInAnyOrder(key("p", "1"), key("p", "2"),
                    key("p", "sub", "3"));
            assertThat(kv.keys(prefix)).hasSize(5).doesNotContain(foreign);
            assertThat(kv.keys(key("none") + ":")).isEmpty();
            kv.delete(key("p", "2"));
            assertThat(kv.keys(key("p") + ":")).containsExactlyInAnyOrder(key("p", "1"), key("p", "sub", "3"));
        }

        @Test
        @DisplayName("keys may contain any character but ':' in a segment")
        void oddKeys() {
            List<String> keys = List.of(key("a.b"), key("a b"), key("a/b"), key("a+b", "#"), key("$x"),
                    key("a*b"), key("50%"), key("ünïcødé", "日本"));
            for (String k : keys) {
                kv.put(k, utf8(k));
            }
            for (String k : keys) {
                assertThat(kv.get(k)).as(k).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8(k)));
            }
            assertThat(kv.keys(prefix)).containsExactlyInAnyOrderElementsOf(keys);
        }
    }

    @Nested
    @DisplayName("time-to-live (KV_TTL)")
    class TimeToLive {

        @Test
        @DisplayName("a key with a TTL expires; a key without one stays")
        void expires() {
            requireCapability(Capability.KV_TTL);
            Duration ttl = scope.scaled(Duration.ofMillis(500));
            kv.put(key("ttl"), utf8("short"), ttl);
            kv.put(key("kept"), utf8("long"));
            assertThat(kv.get(key("ttl"))).as("right after put").isPresent();
            scope.await(ttl.plusSeconds(5)).until(() -> kv.get(key("ttl")).isEmpty());
            assertThat(kv.keys(prefix)).containsExactly(key("kept"));
            assertThat(kv.get(key("kept"))).isPresent();
        }

        @Test
        @DisplayName("rewriting a key with a TTL extends its life (heartbeats rely on it)")
        void refresh() {
            requireCapability(Capability.KV_TTL);
            Duration ttl = scope.scaled(Duration.ofMillis(800));
            kv.put(key("hb"), utf8("1"), ttl);
            kv.put(key("hb"), utf8("2"), ttl);
            assertThat(kv.get(key("hb"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("2")));
            scope.await(ttl.plusSeconds(5)).until(() -> kv.get(key("hb")).isEmpty());
        }

        @Test
        @DisplayName("without KV_TTL, put with a TTL fails at once with UnsupportedCapabilityException and stores nothing")
        void unsupported() {
            requireNoCapability(Capability.KV_TTL);
            assertUnsupported(Capability.KV_TTL, () -> kv.put(key("ttl"), utf8("x"), Duration.ofSeconds(1)));
            assertThat(kv.get(key("ttl"))).isEmpty();
        }
    }

    @Nested
    @DisplayName("compare-and-set (KV_CAS)")
    class CompareAndSet {

        @Test
        @DisplayName("putIfAbsent stores only when the key is absent")
        void putIfAbsent() {
            requireCapability(Capability.KV_CAS);
            assertThat(kv.putIfAbsent(key("cas"), utf8("first"), null)).isTrue();
            assertThat(kv.putIfAbsent(key("cas"), utf8("second"), null)).isFalse();
            assertThat(kv.get(key("cas"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("first")));
            kv.delete(key("cas"));
            assertThat(kv.putIfAbsent(key("cas"), utf8("third"), null)).isTrue();
        }

        @Test
        @DisplayName("8 threads on 8 connections race putIfAbsent: exactly one wins, its value is stored")
        void race() throws Exception {
            requireCapability(Capability.KV_CAS);
            int threads = 8;
            List<KvStore> stores = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                stores.add(scope.raw().kv());
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int round = 0; round < 10; round++) {
                    String k = key("race", String.valueOf(round));
                    CountDownLatch ready = new CountDownLatch(threads);
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Boolean>> results = new ArrayList<>();
                    for (int i = 0; i < threads; i++) {
                        KvStore store = stores.get(i);
                        byte[] value = utf8("thread-" + i);
                        results.add(pool.submit(() -> {
                            ready.countDown();
                            go.await();
                            return store.putIfAbsent(k, value, null);
                        }));
                    }
                    assertThat(ready.await(scope.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS))
                            .isTrue();
                    go.countDown();
                    int winner = -1;
                    int wins = 0;
                    for (int i = 0; i < threads; i++) {
                        if (results.get(i).get(scope.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS)) {
                            wins++;
                            winner = i;
                        }
                    }
                    assertThat(wins).as("winners of round %d", round).isEqualTo(1);
                    byte[] expected = utf8("thread-" + winner);
                    assertThat(kv.get(k)).hasValueSatisfying(v -> assertThat(v).isEqualTo(expected));
                }
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        @DisplayName("putIfAbsent with a TTL expires, then the key can be taken again")
        void withTtl() {
            requireCapability(Capability.KV_CAS);
            requireCapability(Capability.KV_TTL);
            Duration ttl = scope.scaled(Duration.ofMillis(500));
            assertThat(kv.putIfAbsent(key("lease"), utf8("a"), ttl)).isTrue();
            assertThat(kv.putIfAbsent(key("lease"), utf8("b"), ttl)).isFalse();
            scope.await(ttl.plusSeconds(5)).until(() -> kv.get(key("lease")).isEmpty());
            assertThat(kv.putIfAbsent(key("lease"), utf8("c"), ttl)).isTrue();
        }

        @Test
        @DisplayName("without KV_CAS, putIfAbsent fails at once with UnsupportedCapabilityException and stores nothing")
        void unsupported() {
            requireNoCapability(Capability.KV_CAS);
            assertUnsupported(Capability.KV_CAS, () -> kv.putIfAbsent(key("cas"), utf8("x"), null));
            assertThat(kv.get(key("cas"))).isEmpty();
        }
    }

    @Nested
    @DisplayName("watch (KV_WATCH)")
    class Watch {
        private record Seen(String key, Change change, byte @Nullable [] value) {
        }

        private Subscription watch(String watched, List<Seen> into) {
            return kv.watch(watched, (k, c, v) -> into.add(new Seen(k, c, v)));
        }

        @Test
        @DisplayName("a watch sees puts and deletes of another connection, in order, and only under its prefix")
        void putAndDelete() {
            requireCapability(Capability.KV_WATCH);
            List<Seen> seen = new CopyOnWriteArrayList<>();
            watch(key("w") + ":", seen);
            KvStore writer = scope.raw().kv();
            writer.put(key("w", "1"), utf8("v1"));
            writer.put(key("elsewhere"), utf8("no"));
            writer.put(key("w", "1"), utf8("v2"));
            writer.delete(key("w", "1"));
            scope.await().until(() -> seen.size() >= 3);
            assertThat(seen).extracting(Seen::key).containsOnly(key("w", "1"));
            assertThat(seen).extracting(Seen::change).containsExactly(Change.PUT, Change.PUT, Change.DELETE);
            if (seen.get(1).value() != null) {
                assertThat(seen.get(1).value()).isEqualTo(utf8("v2"));
            }
        }

        @Test
        @DisplayName("a watch sees expiries")
        void expiry() {
            requireCapability(Capability.KV_WATCH);
            requireCapability(Capability.KV_TTL);
            List<Seen> seen = new CopyOnWriteArrayList<>();
            watch(key("w") + ":", seen);
            Duration ttl = scope.scaled(Duration.ofMillis(300));
            kv.put(key("w", "e"), utf8("x"), ttl);
            scope.await(ttl.plusSeconds(10)).until(() -> seen.stream().anyMatch(s -> s.change() == Change.EXPIRE));
            assertThat(seen).extracting(Seen::change).containsExactly(Change.PUT, Change.EXPIRE);
        }

        @Test
        @DisplayName("a closed watch reports nothing more; a throwing listener keeps its watch")
        void closeAndThrowingListener() {
            requireCapability(Capability.KV_WATCH);
            List<Seen> closed = new CopyOnWriteArrayList<>();
            Subscription w = watch(key("w") + ":", closed);
            AtomicInteger thrown = new AtomicInteger();
            kv.watch(key("w") + ":", (k, c, v) -> {
                thrown.incrementAndGet();
                throw new IllegalStateException("listener bug (expected by the TCK)");
            });
            kv.put(key("w", "1"), utf8("1"));
            scope.await().until(() -> closed.size() == 1 && thrown.get() == 1);
            w.close();
            w.close();
            kv.put(key("w", "2"), utf8("2"));
            scope.await().until(() -> thrown.get() == 2);
            assertThat(closed).hasSize(1);
        }

        @Test
        @DisplayName("without KV_WATCH, watch fails at once with UnsupportedCapabilityException")
        void unsupported() {
            requireNoCapability(Capability.KV_WATCH);
            AtomicInteger calls = new AtomicInteger();
            KvListener listener = (k, c, v) -> calls.incrementAndGet();
            assertUnsupported(Capability.KV_WATCH, () -> kv.watch(key("w") + ":", listener));
            kv.put(key("w", "1"), utf8("1"));
            assertThat(calls.get()).isZero();
        }
    }

    @Nested
    @DisplayName("connections")
    class Connections {

        @Test
        @DisplayName("keys written by a connection stay after it closes (records outlive a crash until their TTL)")
        void closedConnection() {
            Transport t = scope.raw();
            t.kv().put(key("left"), utf8("x"));
            t.close();
            t.close();
            assertThat(kv.get(key("left"))).isPresent();
        }
    }
}
