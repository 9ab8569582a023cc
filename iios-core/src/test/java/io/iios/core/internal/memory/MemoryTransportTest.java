package io.iios.core.internal.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.iios.core.MemoryBroker;
import io.iios.spi.Capability;
import io.iios.spi.KvListener;
import io.iios.spi.KvStore;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportListener;
import io.iios.spi.TransportUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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

/** The memory transport keeps every promise of the SPI: the reference every other transport is held to. */
class MemoryTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private MemoryBroker broker;
    private final List<Transport> opened = new ArrayList<>();
    private final RecordingListener listener = new RecordingListener();
    private String ns;

    @BeforeEach
    void setUp() {
        broker = MemoryBroker.create();
        ns = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @AfterEach
    void tearDown() {
        opened.forEach(Transport::close);
        broker.close();
    }

    private Transport connect() {
        Transport t = broker.connect(listener);
        opened.add(t);
        return t;
    }

    private String key(String... rest) {
        return ns + ":" + String.join(":", rest);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Collects background events of a connection. */
    static final class RecordingListener implements TransportListener {
        final List<String> errors = new CopyOnWriteArrayList<>();
        final List<String> drops = new CopyOnWriteArrayList<>();

        @Override
        public void onError(String context, Throwable error) {
            errors.add(context + ": " + error.getMessage());
        }

        @Override
        public void onDropped(String channel, String reason) {
            drops.add(channel);
        }
    }

    /** Collects the messages of a subscription as "channel|payload". */
    static final class Inbox implements io.iios.spi.MessageHandler {
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(String channel, byte[] payload) {
            messages.add(channel + "|" + text(payload));
        }

        boolean got(String channel, String payload) {
            return messages.contains(channel + "|" + payload);
        }
    }

    record Change(String key, KvListener.Change change, @Nullable String value) {
    }

    @Test
    void declaresEveryCapability() {
        Transport t = connect();

        assertThat(t.name()).isEqualTo("memory");
        assertThat(t.capabilities()).containsExactlyInAnyOrder(Capability.values());
        assertThat(t.supports(Capability.KV_CAS)).isTrue();
    }

    @Nested
    @DisplayName("key-value store")
    class Kv {

        @Test
        void putGetDelete() {
            KvStore kv = connect().kv();
            String k = key("user", "1");

            assertThat(kv.get(k)).isEmpty();
            kv.put(k, utf8("alice"));
            assertThat(kv.get(k)).hasValueSatisfying(v -> assertThat(text(v)).isEqualTo("alice"));
            kv.put(k, utf8("bob"));
            assertThat(kv.get(k)).hasValueSatisfying(v -> assertThat(text(v)).isEqualTo("bob"));
            assertThat(kv.delete(k)).isTrue();
            assertThat(kv.get(k)).isEmpty();
            assertThat(kv.delete(k)).isFalse();
        }

        @Test
        @DisplayName("values are stored byte-exact: all 256 byte values, empty, 1 MiB")
        void binarySafeValues() {
            KvStore kv = connect().kv();
            byte[] all = new byte[256];
            for (int i = 0; i < 256; i++) {
                all[i] = (byte) i;
            }
            byte[] mib = new byte[1024 * 1024];
            new Random(7).nextBytes(mib);

            kv.put(key("all"), all);
            kv.put(key("empty"), new byte[0]);
            kv.put(key("mib"), mib);

            assertThat(kv.get(key("all"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(all));
            assertThat(kv.get(key("empty"))).hasValueSatisfying(v -> assertThat(v).isEmpty());
            assertThat(kv.get(key("mib"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(mib));
        }

        @Test
        @DisplayName("the store keeps its own copy: changing the written or the read array changes nothing")
        void storedValuesAreCopies() {
            KvStore kv = connect().kv();
            byte[] written = {1, 2, 3};
            kv.put(key("copy"), written);
            written[0] = 9;
            kv.get(key("copy")).orElseThrow()[1] = 9;

            assertThat(kv.get(key("copy"))).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2, 3));
        }

        @Test
        @DisplayName("a key with a TTL disappears after it; a key without stays")
        void ttlExpiry() {
            KvStore kv = connect().kv();
            kv.put(key("long-lived"), utf8("x"), Duration.ofMinutes(1));
            kv.put(key("forever"), utf8("y"));
            kv.put(key("short"), utf8("z"), Duration.ofMillis(200));

            await().atMost(WAIT).until(() -> kv.get(key("short")).isEmpty());
            assertThat(kv.get(key("long-lived"))).isPresent();
            assertThat(kv.get(key("forever"))).isPresent();
            assertThat(kv.keys(ns + ":")).containsExactlyInAnyOrder(key("long-lived"), key("forever"));
        }

        @Test
        @DisplayName("overwriting a key without TTL cancels its earlier expiry")
        void overwriteCancelsExpiry() {
            KvStore kv = connect().kv();
            kv.put(key("renewed"), utf8("1"), Duration.ofMillis(200));
            kv.put(key("renewed"), utf8("2"));
            kv.put(key("marker"), utf8("m"), Duration.ofMillis(200));

            await().atMost(WAIT).until(() -> kv.get(key("marker")).isEmpty());
            assertThat(kv.get(key("renewed"))).hasValueSatisfying(v -> assertThat(text(v)).isEqualTo("2"));
        }

        @Test
        @DisplayName("putIfAbsent raced by 8 threads: exactly one winner, whose value is stored")
        void putIfAbsentHasExactlyOneWinner() throws Exception {
            KvStore kv = connect().kv();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                for (int round = 0; round < 50; round++) {
                    String k = key("lock", Integer.toString(round));
                    CountDownLatch gate = new CountDownLatch(1);
                    List<Future<Boolean>> results = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        byte[] mine = utf8("thread-" + i);
                        results.add(pool.submit(() -> {
                            gate.await();
                            return kv.putIfAbsent(k, mine, null);
                        }));
                    }
                    gate.countDown();
                    List<Integer> winners = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        if (results.get(i).get(5, TimeUnit.SECONDS)) {
                            winners.add(i);
                        }
                    }
                    assertThat(winners).as("round %d", round).hasSize(1);
                    assertThat(kv.get(k)).hasValueSatisfying(v -> assertThat(text(v))
                            .isEqualTo("thread-" + winners.get(0)));
                }
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void putIfAbsentAfterExpiryOrDelete() {
            KvStore kv = connect().kv();
            String k = key("once");

            assertThat(kv.putIfAbsent(k, utf8("a"), Duration.ofMillis(200))).isTrue();
            assertThat(kv.putIfAbsent(k, utf8("b"), null)).isFalse();
            await().atMost(WAIT).until(() -> kv.get(k).isEmpty());
            assertThat(kv.putIfAbsent(k, utf8("c"), null)).isTrue();
            assertThat(kv.delete(k)).isTrue();
            assertThat(kv.putIfAbsent(k, utf8("d"), null)).isTrue();
            assertThat(kv.get(k)).hasValueSatisfying(v -> assertThat(text(v)).isEqualTo("d"));
        }

        @Test
        @DisplayName("keys(prefix) returns exactly the keys under the prefix")
        void keysPrefixIsolation() {
            KvStore kv = connect().kv();
            kv.put(key("a", "1"), utf8("x"));
            kv.put(key("a", "2", "deep"), utf8("x"));
            kv.put(key("ab", "1"), utf8("x"));
            kv.put(key("b", "1"), utf8("x"));
            kv.put(ns + "other:a:1", utf8("x"));

            assertThat(kv.keys(key("a") + ":")).containsExactlyInAnyOrder(key("a", "1"), key("a", "2", "deep"));
            assertThat(kv.keys(key("b") + ":")).containsExactly(key("b", "1"));
            assertThat(kv.keys(key("nothing") + ":")).isEmpty();
        }

        @Test
        @DisplayName("watch reports PUT (with value), DELETE and EXPIRE in order, only under its prefix")
        void watchSeesPutDeleteExpireInOrder() {
            KvStore kv = connect().kv();
            List<Change> seen = new CopyOnWriteArrayList<>();
            kv.watch(key("w") + ":", (k, c, v) -> seen.add(new Change(k, c, v == null ? null : text(v))));

            kv.put(key("w", "a"), utf8("1"));
            kv.put(key("elsewhere"), utf8("ignored"));
            kv.put(key("w", "a"), utf8("2"));
            kv.delete(key("w", "a"));
            kv.put(key("w", "b"), utf8("3"), Duration.ofMillis(200));

            await().atMost(WAIT).until(() -> seen.size() >= 5);
            assertThat(seen).containsExactly(
                    new Change(key("w", "a"), KvListener.Change.PUT, "1"),
                    new Change(key("w", "a"), KvListener.Change.PUT, "2"),
                    new Change(key("w", "a"), KvListener.Change.DELETE, null),
                    new Change(key("w", "b"), KvListener.Change.PUT, "3"),
                    new Change(key("w", "b"), KvListener.Change.EXPIRE, null));
        }

        @Test
        @DisplayName("a watch sees the writes of other connections; a closed watch sees nothing more")
        void watchAcrossConnectionsAndClose() {
            KvStore watcher = connect().kv();
            KvStore writer = connect().kv();
            List<Change> seen = new CopyOnWriteArrayList<>();
            List<Change> control = new CopyOnWriteArrayList<>();
            Subscription w = watcher.watch(key("x") + ":", (k, c, v) -> seen.add(new Change(k, c, null)));
            watcher.watch(key("x") + ":", (k, c, v) -> control.add(new Change(k, c, null)));

            writer.put(key("x", "1"), utf8("a"));
            await().atMost(WAIT).until(() -> seen.size() == 1);
            w.close();
            writer.put(key("x", "2"), utf8("b"));

            await().atMost(WAIT).until(() -> control.size() == 2);
            assertThat(seen).containsExactly(new Change(key("x", "1"), KvListener.Change.PUT, null));
        }

        @Test
        @DisplayName("a throwing watch listener keeps its watch; the error goes to the transport listener")
        void throwingWatchListenerKeepsWatch() {
            KvStore kv = connect().kv();
            List<String> seen = new CopyOnWriteArrayList<>();
            kv.watch(key("boom") + ":", (k, c, v) -> {
                if (k.endsWith(":1")) {
                    throw new IllegalStateException("listener failed");
                }
                seen.add(k);
            });

            kv.put(key("boom", "1"), utf8("a"));
            kv.put(key("boom", "2"), utf8("b"));

            await().atMost(WAIT).until(() -> seen.contains(key("boom", "2")));
            assertThat(listener.errors).anySatisfy(e -> assertThat(e).contains("listener failed"));
        }

        @Test
        @DisplayName("keys must follow the channel grammar")
        void invalidKeysAreRefused() {
            KvStore kv = connect().kv();

            assertThatThrownBy(() -> kv.put(ns + "::x", utf8("v"))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> kv.put(key("*"), utf8("v"))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> kv.get("")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    @DisplayName("publish/subscribe")
    class PubSubContract {

        @Test
        @DisplayName("exact, '*' and '>' subscriptions get what matches and nothing else")
        void patternsWithoutCrossTalk() {
            PubSub ps = connect().pubsub();
            Inbox exact = new Inbox();
            Inbox one = new Inbox();
            Inbox tail = new Inbox();
            ps.subscribe(key("a", "b"), exact);
            ps.subscribe(key("*", "b"), one);
            ps.subscribe(key("a", ">"), tail);

            for (String ch : List.of(key("a", "b"), key("a", "c"), key("x", "b"), key("a", "b", "c"), key("a"),
                    key("b"), key("x", "y", "b"), ns + "other:a:b")) {
                ps.publish(ch, utf8("m"));
            }
            // A last message every subscription matches: once it has arrived, everything before it has too.
            ps.publish(key("a", "b"), utf8("end"));
            await().atMost(WAIT).until(() -> exact.got(key("a", "b"), "end") && one.got(key("a", "b"), "end")
                    && tail.got(key("a", "b"), "end"));

            assertThat(exact.messages).containsExactly(key("a", "b") + "|m", key("a", "b") + "|end");
            assertThat(one.messages).containsExactly(key("a", "b") + "|m", key("x", "b") + "|m",
                    key("a", "b") + "|end");
            assertThat(tail.messages).containsExactly(key("a", "b") + "|m", key("a", "c") + "|m",
                    key("a", "b", "c") + "|m", key("a", "b") + "|end");
        }

        @Test
        @DisplayName("the handler gets the concrete channel and the exact bytes, all 256 values")
        void binaryPayloadAndConcreteChannel() {
            PubSub ps = connect().pubsub();
            List<byte[]> got = new CopyOnWriteArrayList<>();
            List<String> channels = new CopyOnWriteArrayList<>();
            ps.subscribe(key("bin", ">"), (ch, p) -> {
                channels.add(ch);
                got.add(p);
            });
            byte[] all = new byte[256];
            for (int i = 0; i < 256; i++) {
                all[i] = (byte) i;
            }

            ps.publish(key("bin", "x"), all);
            all[0] = 42;

            await().atMost(WAIT).until(() -> got.size() == 1);
            assertThat(channels).containsExactly(key("bin", "x"));
            assertThat(got.get(0)[0]).isZero();
            assertThat(got.get(0)[255]).isEqualTo((byte) 255);
            assertThat(got.get(0)).hasSize(256);
        }

        @Test
        @DisplayName("10,000 messages from each of 4 publishers: none lost, each publisher's order kept")
        void perPublisherOrderingWithoutLoss() throws Exception {
            Transport sub = connect();
            String channel = key("orders");
            int publishers = 4;
            int perPublisher = 10_000;
            Map<Integer, List<Integer>> exact = new ConcurrentHashMap<>();
            Map<Integer, List<Integer>> wild = new ConcurrentHashMap<>();
            AtomicInteger total = new AtomicInteger();
            sub.pubsub().subscribe(channel, (ch, p) -> record(exact, p, total));
            sub.pubsub().subscribe(key("*"), (ch, p) -> record(wild, p, total));
            CountDownLatch gate = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                PubSub ps = connect().pubsub();
                int id = p;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < perPublisher; i++) {
                        ps.publish(channel, utf8(id + ":" + i));
                    }
                }));
            }
            gate.countDown();
            for (Thread t : threads) {
                t.join(WAIT.toMillis());
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> total.get() == 2 * publishers * perPublisher);
            List<Integer> expected = java.util.stream.IntStream.range(0, perPublisher).boxed().toList();
            for (int p = 0; p < publishers; p++) {
                assertThat(exact.get(p)).as("exact subscription, publisher %d", p).isEqualTo(expected);
                assertThat(wild.get(p)).as("wildcard subscription, publisher %d", p).isEqualTo(expected);
            }
            assertThat(listener.drops).isEmpty();
        }

        private static void record(Map<Integer, List<Integer>> into, byte[] payload, AtomicInteger total) {
            String[] parts = text(payload).split(":");
            into.computeIfAbsent(Integer.parseInt(parts[0]), k -> new CopyOnWriteArrayList<>())
                    .add(Integer.parseInt(parts[1]));
            total.incrementAndGet();
        }

        @Test
        @DisplayName("a queue group gets each message exactly once, spread over its members")
        void queueGroupDeliversEachMessageToOneMember() {
            String channel = key("jobs");
            List<Inbox> members = List.of(new Inbox(), new Inbox(), new Inbox());
            for (Inbox m : members) {
                connect().pubsub().subscribe(channel, "workers", m);
            }
            Inbox broadcast = new Inbox();
            Inbox otherGroup = new Inbox();
            connect().pubsub().subscribe(channel, broadcast);
            connect().pubsub().subscribe(channel, "auditors", otherGroup);
            PubSub pub = connect().pubsub();

            for (int i = 0; i < 300; i++) {
                pub.publish(channel, utf8(Integer.toString(i)));
            }

            await().atMost(WAIT).until(() -> members.stream().mapToInt(m -> m.messages.size()).sum() == 300
                    && broadcast.messages.size() == 300 && otherGroup.messages.size() == 300);
            Set<String> union = new HashSet<>();
            for (Inbox m : members) {
                assertThat(m.messages).isNotEmpty();
                union.addAll(m.messages);
            }
            assertThat(union).hasSize(300);
        }

        @Test
        @DisplayName("a queue group works with wildcard patterns too")
        void queueGroupWithWildcard() {
            List<Inbox> members = List.of(new Inbox(), new Inbox());
            for (Inbox m : members) {
                connect().pubsub().subscribe(key("tasks", ">"), "w", m);
            }
            PubSub pub = connect().pubsub();
            for (int i = 0; i < 100; i++) {
                pub.publish(key("tasks", "t" + (i % 7)), utf8(Integer.toString(i)));
            }

            await().atMost(WAIT).until(() -> members.get(0).messages.size() + members.get(1).messages.size() == 100);
            Set<String> union = new HashSet<>(members.get(0).messages);
            union.addAll(members.get(1).messages);
            assertThat(union).hasSize(100);
        }

        @Test
        @DisplayName("after unsubscribe no message is delivered; other subscriptions go on")
        void unsubscribeStopsDelivery() {
            PubSub ps = connect().pubsub();
            Inbox leaving = new Inbox();
            Inbox staying = new Inbox();
            Subscription s = ps.subscribe(key("u"), leaving);
            ps.subscribe(key("u"), staying);
            ps.publish(key("u"), utf8("before"));
            await().atMost(WAIT).until(() -> leaving.messages.size() == 1 && staying.messages.size() == 1);

            s.close();
            s.close();
            ps.publish(key("u"), utf8("after"));

            await().atMost(WAIT).until(() -> staying.got(key("u"), "after"));
            assertThat(leaving.messages).containsExactly(key("u") + "|before");
        }

        @Test
        @DisplayName("a throwing handler keeps its subscription; the listener's onError hears of it")
        void throwingHandlerKeepsSubscription() {
            PubSub ps = connect().pubsub();
            List<String> handled = new CopyOnWriteArrayList<>();
            ps.subscribe(key("fragile"), (ch, p) -> {
                if (text(p).equals("bad")) {
                    throw new IllegalStateException("handler exploded");
                }
                handled.add(text(p));
            });

            ps.publish(key("fragile"), utf8("one"));
            ps.publish(key("fragile"), utf8("bad"));
            ps.publish(key("fragile"), utf8("two"));

            await().atMost(WAIT).until(() -> handled.size() == 2);
            assertThat(handled).containsExactly("one", "two");
            assertThat(listener.errors).singleElement().satisfies(e -> assertThat(e)
                    .contains(key("fragile")).contains("handler exploded"));
        }

        @Test
        @DisplayName("channels must be concrete and patterns well formed")
        void invalidChannelsAreRefused() {
            PubSub ps = connect().pubsub();

            assertThatThrownBy(() -> ps.publish(key("*"), utf8("x"))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ps.subscribe(key(">", "x"), (c, p) -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ps.subscribe(key("q"), "bad:group", (c, p) -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    @DisplayName("connections and brokers")
    class Connections {

        @Test
        @DisplayName("two connections of one MemoryBroker see each other's keys and messages")
        void connectionsOfOneBrokerShareState() {
            Transport a = connect();
            Transport b = connect();
            Inbox inbox = new Inbox();
            b.pubsub().subscribe(key("hello"), inbox);

            a.kv().put(key("shared"), utf8("v"));
            a.pubsub().publish(key("hello"), utf8("from a"));

            assertThat(b.kv().get(key("shared"))).hasValueSatisfying(v -> assertThat(text(v)).isEqualTo("v"));
            await().atMost(WAIT).until(() -> inbox.got(key("hello"), "from a"));
        }

        @Test
        @DisplayName("closing a connection removes its subscriptions and watches but keeps its keys")
        void closingRemovesSubscriptionsKeepsKeys() {
            Transport leaving = connect();
            Transport staying = connect();
            Inbox gone = new Inbox();
            Inbox control = new Inbox();
            List<String> watched = new CopyOnWriteArrayList<>();
            leaving.kv().put(key("owned"), utf8("mine"));
            leaving.pubsub().subscribe(key("c"), gone);
            leaving.kv().watch(key("wc") + ":", (k, c, v) -> watched.add(k));
            staying.pubsub().subscribe(key("c"), control);

            leaving.close();
            leaving.close();
            staying.pubsub().publish(key("c"), utf8("after close"));
            staying.kv().put(key("wc", "1"), utf8("x"));

            await().atMost(WAIT).until(() -> control.got(key("c"), "after close"));
            assertThat(gone.messages).isEmpty();
            assertThat(watched).isEmpty();
            assertThat(staying.kv().get(key("owned"))).hasValueSatisfying(v -> assertThat(text(v)).isEqualTo("mine"));
        }

        @Test
        @DisplayName("a closed connection fails fast with TransportUnavailableException")
        void closedConnectionFailsFast() {
            Transport t = connect();
            t.close();

            assertThatThrownBy(() -> t.kv().get(key("k"))).isInstanceOf(TransportUnavailableException.class);
            assertThatThrownBy(() -> t.pubsub().publish(key("k"), utf8("x")))
                    .isInstanceOf(TransportUnavailableException.class);
            assertThatThrownBy(() -> t.pubsub().subscribe(key("k"), (c, p) -> { }))
                    .isInstanceOf(TransportUnavailableException.class);
        }

        @Test
        @DisplayName("each MemoryTransportProvider.create makes a private broker")
        void providerInstancesAreIsolated() {
            MemoryTransportProvider provider = new MemoryTransportProvider();
            TransportConfig cfg = TransportConfig.of(ns, Map.of(), TransportListener.NONE);
            try (Transport a = provider.create(cfg); Transport b = provider.create(cfg)) {
                Inbox inB = new Inbox();
                Inbox inA = new Inbox();
                b.pubsub().subscribe(key("iso"), inB);
                a.pubsub().subscribe(key("iso"), inA);

                a.kv().put(key("private"), utf8("a"));
                a.pubsub().publish(key("iso"), utf8("only a"));

                await().atMost(WAIT).until(() -> inA.got(key("iso"), "only a"));
                assertThat(inB.messages).isEmpty();
                assertThat(b.kv().get(key("private"))).isEmpty();
                assertThat(b.kv().keys(ns + ":")).isEmpty();
            }
        }

        @Test
        @DisplayName("two MemoryBrokers are isolated from each other")
        void brokersAreIsolated() {
            try (MemoryBroker other = MemoryBroker.create()) {
                Transport elsewhere = other.connect();
                try {
                    connect().kv().put(key("here"), utf8("x"));
                    assertThat(elsewhere.kv().get(key("here"))).isEmpty();
                } finally {
                    elsewhere.close();
                }
            }
        }
    }
}
