package io.iios.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iios.spi.Capability;
import io.iios.spi.MessageTooLargeException;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import io.iios.spi.TransportListener;
import io.iios.spi.UnsupportedCapabilityException;
import io.iios.tck.internal.KitScope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link PubSub} contract: the portable channel grammar (exact, {@code *}, {@code >}) mapped
 * without cross-talk, segments with characters brokers forbid, per-publisher order, no loss on a
 * healthy broker, queue groups ({@link Capability#QUEUE_GROUPS}), unsubscribe, and handlers that throw
 * or block.
 */
public abstract class PubSubKit {

    /** The transport under test; called once per test. */
    protected abstract TransportUnderTest transport();

    private KitScope scope;
    private PubSub publisher;
    private PubSub subscriber;
    private String base;

    @BeforeEach
    void openPubSubScope() {
        scope = new KitScope(transport());
        publisher = scope.raw().pubsub();
        subscriber = scope.raw().pubsub();
        base = scope.namespace() + ":ps";
    }

    @AfterEach
    void closePubSubScope() {
        scope.close();
    }

    private String ch(String... rest) {
        return base + ":" + String.join(":", rest);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Collects the channels a subscription received. */
    private static final class Received {
        final List<String> channels = new CopyOnWriteArrayList<>();
        final List<String> payloads = new CopyOnWriteArrayList<>();

        void add(String channel, byte[] payload) {
            channels.add(channel);
            payloads.add(text(payload));
        }
    }

    private Received subscribe(String pattern) {
        Received r = new Received();
        subscriber.subscribe(pattern, r::add);
        return r;
    }

    @Nested
    @DisplayName("channel grammar")
    class Grammar {

        @Test
        @DisplayName("exact, '*' and '>' subscriptions each get exactly their channels")
        void patternsWithoutCrossTalk() {
            Received exact = subscribe(ch("a", "b"));
            Received one = subscribe(ch("a", "*"));
            Received tail = subscribe(ch("a", ">"));
            Received middle = subscribe(ch("*", "b"));
            Received other = subscribe(ch("x", ">"));
            // the channels no subscription above should get go first
            publisher.publish(ch("a"), utf8("bare"));
            publisher.publish(base, utf8("base"));
            publisher.publish(ch("ab"), utf8("ab"));
            publisher.publish(ch("x"), utf8("x-bare"));
            publisher.publish(ch("a", "b"), utf8("ab2"));
            publisher.publish(ch("a", "c"), utf8("ac"));
            publisher.publish(ch("a", "b", "c"), utf8("abc"));
            publisher.publish(ch("x", "b"), utf8("xb"));
            scope.await().untilAsserted(() -> {
                assertThat(exact.channels).containsExactly(ch("a", "b"));
                assertThat(one.channels).containsExactlyInAnyOrder(ch("a", "b"), ch("a", "c"));
                assertThat(tail.channels).containsExactlyInAnyOrder(ch("a", "b"), ch("a", "c"), ch("a", "b", "c"));
                assertThat(middle.channels).containsExactlyInAnyOrder(ch("a", "b"), ch("x", "b"));
                assertThat(other.channels).containsExactly(ch("x", "b"));
            });
        }

        @ParameterizedTest(name = "segment \"{0}\"")
        @ValueSource(strings = {"a.b", "a b", "a/b", "a+b", "a#b", "#", "+", "$sys", "a$", "a*b", "*a", "a>b", ">a",
            "50%", "%2E", "a%3Ab", "ünïcødé", "日本語", "emoji\uD83D\uDE00", "a\\b", "a\"b", "a'b", "a,b", "a=b",
            "a|b", "a?b", "a[b]", "a{b}", "~a", "a\tb"})
        @DisplayName("a segment with characters brokers forbid round-trips through exact and wildcard subscriptions")
        void forbiddenCharacters(String segment) {
            String channel = ch("seg", segment, "end");
            Received exact = subscribe(channel);
            Received one = subscribe(ch("seg", "*", "end"));
            Received tail = subscribe(ch("seg", ">"));
            publisher.publish(channel, utf8(segment));
            scope.await().untilAsserted(() -> {
                assertThat(exact.channels).containsExactly(channel);
                assertThat(one.channels).containsExactly(channel);
                assertThat(tail.channels).containsExactly(channel);
                assertThat(exact.payloads).containsExactly(segment);
            });
        }

        @Test
        @DisplayName("escaping is injective: 'a.b', 'a%2Eb', 'a/b' and 'a' + 'b' are four different channels")
        void escapingIsInjective() {
            List<String> channels = List.of(ch("inj", "a.b"), ch("inj", "a%2Eb"), ch("inj", "a%2eb"), ch("inj", "a/b"),
                    ch("inj", "a%2Fb"), ch("inj", "a", "b"), ch("inj", "a b"), ch("inj", "a+b"));
            List<Received> subs = new ArrayList<>();
            for (String c : channels) {
                subs.add(subscribe(c));
            }
            for (String c : channels) {
                publisher.publish(c, utf8(c));
            }
            scope.await().untilAsserted(() -> {
                for (int i = 0; i < channels.size(); i++) {
                    assertThat(subs.get(i).channels).as("subscription on %s", channels.get(i))
                            .containsExactly(channels.get(i));
                }
            });
        }
    }

    @Nested
    @DisplayName("delivery")
    class Delivery {

        @Test
        @DisplayName("payloads arrive byte-exact, including all 256 byte values and the empty payload")
        void binaryPayloads() {
            byte[] all = new byte[256];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            List<byte[]> got = new CopyOnWriteArrayList<>();
            subscriber.subscribe(ch("bin"), (c, p) -> got.add(p));
            publisher.publish(ch("bin"), all);
            publisher.publish(ch("bin"), new byte[0]);
            scope.await().until(() -> got.size() == 2);
            assertThat(got.get(0)).isEqualTo(all);
            assertThat(got.get(1)).isEmpty();
        }

        @Test
        @DisplayName("messages of one publisher on one channel arrive in publish order, with two publishers at once")
        void perPublisherOrder() throws Exception {
            Map<String, List<Integer>> byPublisher = new ConcurrentHashMap<>();
            subscriber.subscribe(ch("order"), (c, p) -> {
                String[] parts = text(p).split("/");
                byPublisher.computeIfAbsent(parts[0], k -> new CopyOnWriteArrayList<>()).add(Integer.parseInt(parts[1]));
            });
            PubSub second = scope.raw().pubsub();
            int n = 2000;
            Thread a = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < n; i++) {
                    publisher.publish(ch("order"), utf8("A/" + i));
                }
            });
            Thread b = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < n; i++) {
                    second.publish(ch("order"), utf8("B/" + i));
                }
            });
            a.join(scope.scaled(Duration.ofSeconds(30)));
            b.join(scope.scaled(Duration.ofSeconds(30)));
            scope.await(Duration.ofSeconds(30)).alias("all " + n + " messages of each publisher").until(() -> byPublisher.getOrDefault("A", List.of()).size() == n
                    && byPublisher.getOrDefault("B", List.of()).size() == n);
            assertThat(byPublisher.get("A")).isSorted().doesNotHaveDuplicates();
            assertThat(byPublisher.get("B")).isSorted().doesNotHaveDuplicates();
        }

        @Test
        @DisplayName("10,000 messages published in a burst all arrive, to an exact and a wildcard subscription")
        void noneLost() {
            int n = 10_000;
            BitSet exact = new BitSet(n);
            BitSet wild = new BitSet(n);
            AtomicInteger exactCount = new AtomicInteger();
            AtomicInteger wildCount = new AtomicInteger();
            subscriber.subscribe(ch("burst", "x"), (c, p) -> {
                synchronized (exact) {
                    exact.set(ByteBuffer.wrap(p).getInt());
                }
                exactCount.incrementAndGet();
            });
            scope.raw().pubsub().subscribe(ch("burst", "*"), (c, p) -> {
                synchronized (wild) {
                    wild.set(ByteBuffer.wrap(p).getInt());
                }
                wildCount.incrementAndGet();
            });
            for (int i = 0; i < n; i++) {
                publisher.publish(ch("burst", "x"), ByteBuffer.allocate(4).putInt(i).array());
            }
            scope.await(Duration.ofSeconds(60)).alias("all 10,000 messages on both subscriptions (messages lost?)").until(() -> exactCount.get() >= n && wildCount.get() >= n);
            synchronized (exact) {
                assertThat(exact.cardinality()).as("distinct messages on the exact subscription").isEqualTo(n);
            }
            synchronized (wild) {
                assertThat(wild.cardinality()).as("distinct messages on the wildcard subscription").isEqualTo(n);
            }
            assertThat(exactCount.get()).as("no duplicates").isEqualTo(n);
        }

        @Test
        @DisplayName("a publisher receives its own messages when it subscribes")
        void selfDelivery() {
            Received self = new Received();
            publisher.subscribe(ch("self"), self::add);
            publisher.publish(ch("self"), utf8("me"));
            scope.await().until(() -> self.payloads.contains("me"));
        }

        @Test
        @DisplayName("a payload larger than maxPayloadBytes() fails with MessageTooLargeException")
        void tooLarge() {
            Transport t = scope.raw();
            long max = t.maxPayloadBytes();
            assumeTrue(max < 64L * 1024 * 1024, "transport " + scope.target().name()
                    + " reports no practical payload limit (maxPayloadBytes() = " + max + ")");
            assertThatThrownBy(() -> t.pubsub().publish(ch("big"), new byte[(int) max + 1]))
                    .isInstanceOf(MessageTooLargeException.class);
        }
    }

    @Nested
    @DisplayName("subscriptions")
    class Subscriptions {

        @Test
        @DisplayName("after close() returns, a subscription receives nothing more; close is idempotent")
        void unsubscribe() {
            Received closed = new Received();
            Received open = new Received();
            Subscription s = subscriber.subscribe(ch("u"), closed::add);
            subscriber.subscribe(ch("u"), open::add);
            publisher.publish(ch("u"), utf8("1"));
            scope.await().until(() -> closed.payloads.size() == 1 && open.payloads.size() == 1);
            s.close();
            s.close();
            publisher.publish(ch("u"), utf8("2"));
            publisher.publish(ch("u"), utf8("3"));
            scope.await().until(() -> open.payloads.size() == 3);
            assertThat(closed.payloads).containsExactly("1");
        }

        @Test
        @DisplayName("a throwing handler keeps its subscription, and the failure reaches the TransportListener")
        void throwingHandler() {
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            PubSub ps = scope.raw(new TransportListener() {
                @Override
                public void onError(String context, Throwable error) {
                    errors.add(error);
                }
            }).pubsub();
            AtomicInteger calls = new AtomicInteger();
            ps.subscribe(ch("boom"), (c, p) -> {
                calls.incrementAndGet();
                throw new IllegalStateException("handler bug (expected by the TCK)");
            });
            for (int i = 0; i < 3; i++) {
                publisher.publish(ch("boom"), utf8("x" + i));
            }
            scope.await().until(() -> calls.get() == 3);
            scope.await().until(() -> !errors.isEmpty());
            assertThat(errors).allSatisfy(e -> assertThat(e).hasStackTraceContaining("handler bug"));
        }

        @Test
        @DisplayName("a blocked handler does not stall other subscriptions of its connection")
        void blockedHandler() throws Exception {
            CountDownLatch unblock = new CountDownLatch(1);
            CountDownLatch entered = new CountDownLatch(1);
            subscriber.subscribe(ch("slow"), (c, p) -> {
                entered.countDown();
                try {
                    unblock.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Received fast = subscribe(ch("fast"));
            try {
                publisher.publish(ch("slow"), utf8("block"));
                assertThat(entered.await(scope.scaled(Duration.ofSeconds(10)).toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS)).isTrue();
                for (int i = 0; i < 10; i++) {
                    publisher.publish(ch("fast"), utf8("f" + i));
                }
                scope.await().until(() -> fast.payloads.size() == 10);
            } finally {
                unblock.countDown();
            }
        }
    }

    @Nested
    @DisplayName("queue groups (QUEUE_GROUPS)")
    class QueueGroups {

        @Test
        @DisplayName("each message reaches exactly one member of each group; broadcast subscribers get all")
        void oneMemberPerGroup() {
            assumeTrue(scope.supports(Capability.QUEUE_GROUPS),
                    "transport " + scope.target().name() + " does not declare QUEUE_GROUPS");
            int n = 300;
            List<List<String>> workers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                List<String> got = new CopyOnWriteArrayList<>();
                workers.add(got);
                scope.raw().pubsub().subscribe(ch("jobs", ">"), "workers", (c, p) -> got.add(text(p)));
            }
            List<String> auditors = new CopyOnWriteArrayList<>();
            scope.raw().pubsub().subscribe(ch("jobs", ">"), "auditors", (c, p) -> auditors.add(text(p)));
            Received broadcast = subscribe(ch("jobs", ">"));
            for (int i = 0; i < n; i++) {
                publisher.publish(ch("jobs", "j" + (i % 7)), utf8("job-" + i));
            }
            scope.await(Duration.ofSeconds(30)).alias("every message to one worker, one auditor and the broadcast subscriber").until(() -> workers.stream().mapToInt(List::size).sum() >= n
                    && auditors.size() >= n && broadcast.payloads.size() >= n);
            List<String> all = new ArrayList<>();
            workers.forEach(all::addAll);
            assertThat(all).hasSize(n).doesNotHaveDuplicates();
            assertThat(auditors).hasSize(n).doesNotHaveDuplicates();
            assertThat(broadcast.payloads).hasSize(n);
            assertThat(workers).as("every member gets a share").allSatisfy(w -> assertThat(w).isNotEmpty());
        }

        @Test
        @DisplayName("without QUEUE_GROUPS, a group subscription fails at once with UnsupportedCapabilityException and receives nothing")
        void unsupported() {
            assumeFalse(scope.supports(Capability.QUEUE_GROUPS), "transport " + scope.target().name()
                    + " declares QUEUE_GROUPS; its unsupported path does not apply");
            AtomicInteger got = new AtomicInteger();
            assertTimeoutPreemptively(scope.scaled(Duration.ofSeconds(5)), () -> assertThatThrownBy(
                    () -> subscriber.subscribe(ch("g"), "workers", (c, p) -> got.incrementAndGet()))
                    .isInstanceOfSatisfying(UnsupportedCapabilityException.class,
                            e -> assertThat(e.capability()).isEqualTo(Capability.QUEUE_GROUPS)));
            Received fence = subscribe(ch("g"));
            publisher.publish(ch("g"), utf8("x"));
            scope.await().until(() -> fence.payloads.size() == 1);
            assertThat(got.get()).as("the refused group subscription must not half-work").isZero();
        }
    }
}
