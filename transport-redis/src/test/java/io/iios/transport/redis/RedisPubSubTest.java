package io.iios.transport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.iios.spi.UnsupportedCapabilityException;
import io.iios.testsupport.RecordingListener;
import io.iios.transport.redis.internal.RedisTransport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class RedisPubSubTest {
    private String uri;
    private String ns;
    private RedisTransport a;
    private RedisTransport b;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void connect() {
        uri = RedisTestSupport.requireRedis();
        ns = RedisTestSupport.namespace();
        a = RedisTestSupport.transport(uri, ns, listener);
        b = RedisTestSupport.transport(uri, ns, listener);
    }

    @AfterEach
    void close() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private record Got(String channel, String payload) {
    }

    private static void pub(PubSub ps, String channel, String payload) {
        ps.publish(channel, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private List<Got> subscribe(PubSub ps, String pattern) {
        List<Got> got = new CopyOnWriteArrayList<>();
        ps.subscribe(pattern, (ch, p) -> got.add(new Got(ch, new String(p))));
        return got;
    }

    @Test
    @DisplayName("exact and pattern subscriptions get what matches and nothing else (the glob is re-checked)")
    void patternsWithoutCrossTalk() {
        List<Got> exact = subscribe(b.pubsub(), ns + ":bob:event:coucou");
        List<Got> oneSeg = subscribe(b.pubsub(), ns + ":bob:event:*");
        List<Got> allEvents = subscribe(b.pubsub(), ns + ":*:event:*");
        List<Got> tail = subscribe(b.pubsub(), ns + ":bob:>");
        List<Got> middle = subscribe(b.pubsub(), ns + ":*:x");
        List<Got> end = subscribe(b.pubsub(), ns + ":end");
        PubSub p = a.pubsub();
        pub(p, ns + ":bob:event:coucou", "1");
        pub(p, ns + ":bob:event:other", "2");
        pub(p, ns + ":alice:event:coucou", "3");
        pub(p, ns + ":bob:event:coucou:deeper", "4"); // '*' must not cross ':'
        pub(p, ns + ":a:b:event:c", "5");             // nor here
        pub(p, ns + ":bob", "6");                     // '>' needs at least one more segment
        pub(p, ns + ":q:x", "7");
        pub(p, ns + ":q:r:x", "8");
        pub(p, ns + ":end", "end"); // same publisher, so it arrives after everything above
        await().atMost(Duration.ofSeconds(5)).until(() -> end.size() == 1);
        assertThat(exact).extracting(Got::payload).containsExactly("1");
        assertThat(oneSeg).extracting(Got::payload).containsExactly("1", "2");
        assertThat(allEvents).extracting(Got::payload).containsExactly("1", "2", "3");
        assertThat(tail).extracting(Got::payload).containsExactly("1", "2", "4");
        assertThat(middle).extracting(Got::payload).containsExactly("7");
        assertThat(tail.get(2).channel()).isEqualTo(ns + ":bob:event:coucou:deeper");
    }

    @Test
    @DisplayName("segments with glob characters and '%' travel escaped and arrive with their original name")
    void escapedSegments() {
        String weird = ns + ":a*b:c?d:[e]:f\\g:100%";
        List<Got> exact = subscribe(b.pubsub(), weird);
        List<Got> pattern = subscribe(b.pubsub(), ns + ":a*b:*:[e]:>");
        List<Got> lookalike = subscribe(b.pubsub(), ns + ":aXb:>");
        pub(a.pubsub(), weird, "w");
        pub(a.pubsub(), ns + ":aXb:c?d:[e]:x", "not for a*b");
        await().atMost(Duration.ofSeconds(5)).until(() -> exact.size() == 1 && pattern.size() == 1
                && lookalike.size() == 1);
        assertThat(exact.get(0)).isEqualTo(new Got(weird, "w"));
        assertThat(pattern.get(0)).isEqualTo(new Got(weird, "w"));
        try (Jedis raw = new Jedis(java.net.URI.create(uri))) {
            // on the wire the glob characters are escaped, so a raw PSUBSCRIBE can match them literally
            assertThat(raw.pubsubNumSub(ns + ":a%2Ab:c%3Fd:%5Be%5D:f%5Cg:100%25")).containsValue(1L);
        }
    }

    @Test
    @DisplayName("10,000 messages from one publisher: none lost, in order, in batches, binary payloads intact")
    void manyInOrder() {
        int n = 10_000;
        List<Integer> got = new ArrayList<>(n);
        AtomicInteger count = new AtomicInteger();
        b.pubsub().subscribe(ns + ":seq", (ch, p) -> {
            got.add(ByteBuffer.wrap(p).getInt());
            count.incrementAndGet();
        });
        for (int i = 0; i < n; i++) {
            a.pubsub().publish(ns + ":seq", ByteBuffer.allocate(4).putInt(i).array());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count.get() == n);
        for (int i = 0; i < n; i++) {
            assertThat(got.get(i)).isEqualTo(i);
        }
        // back to back, they go out in batches: not one write per message (docs/performance.md, 2026-12-06)
        long[] batching = a.publishBatching();
        assertThat(batching[0]).isEqualTo(n);
        assertThat(batching[1]).as("flushes for %d messages", n).isLessThanOrEqualTo(n / 2);
        byte[] big = new byte[1024 * 1024];
        new Random(7).nextBytes(big);
        List<byte[]> bigs = new CopyOnWriteArrayList<>();
        b.pubsub().subscribe(ns + ":big", (ch, p) -> bigs.add(p));
        a.pubsub().publish(ns + ":big", big);
        await().atMost(Duration.ofSeconds(10)).until(() -> bigs.size() == 1);
        assertThat(bigs.get(0)).isEqualTo(big);
        assertThat(listener.dropped).isEmpty();
    }

    @Test
    @DisplayName("a throwing handler keeps its subscription; the failure reaches the listener")
    void throwingHandler() {
        AtomicInteger calls = new AtomicInteger();
        b.pubsub().subscribe(ns + ":boom", (ch, p) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("handler bug");
        });
        a.pubsub().publish(ns + ":boom", new byte[] {1});
        a.pubsub().publish(ns + ":boom", new byte[] {2});
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 2);
        assertThat(listener.errors).anyMatch(e -> e.contains("handler bug"));
    }

    @Test
    @DisplayName("closing a subscription stops delivery; others on the same channel keep theirs")
    void closeSubscription() {
        List<Got> kept = subscribe(b.pubsub(), ns + ":c");
        List<Got> closedOne = new CopyOnWriteArrayList<>();
        Subscription s = b.pubsub().subscribe(ns + ":c", (ch, p) -> closedOne.add(new Got(ch, new String(p))));
        pub(a.pubsub(), ns + ":c", "1");
        await().atMost(Duration.ofSeconds(5)).until(() -> kept.size() == 1 && closedOne.size() == 1);
        s.close();
        s.close();
        pub(a.pubsub(), ns + ":c", "2");
        await().atMost(Duration.ofSeconds(5)).until(() -> kept.size() == 2);
        assertThat(closedOne).hasSize(1);
    }

    @Test
    @DisplayName("all subscriptions share one subscriber connection")
    void oneSubscriberConnection() {
        for (int i = 0; i < 20; i++) {
            subscribe(b.pubsub(), ns + ":many:" + i);
            subscribe(b.pubsub(), ns + ":many:" + i + ":*");
        }
        try (Jedis raw = new Jedis(java.net.URI.create(uri))) {
            String clients = raw.clientList();
            long subscribers = clients.lines().filter(l -> l.contains("name=iios-" + ns + "-"))
                    .filter(l -> !l.contains(" sub=0 psub=0")).count();
            assertThat(subscribers).isEqualTo(2); // a's and b's
        }
    }

    @Test
    @DisplayName("QUEUE_GROUPS is not declared and a group subscription fails at once")
    void noQueueGroups() {
        assertThat(a.supports(io.iios.spi.Capability.QUEUE_GROUPS)).isFalse();
        assertThatThrownBy(() -> a.pubsub().subscribe(ns + ":q", "workers", (c, p) -> { }))
                .isInstanceOf(UnsupportedCapabilityException.class);
    }
}
