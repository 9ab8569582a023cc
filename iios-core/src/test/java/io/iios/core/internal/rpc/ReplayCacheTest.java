package io.iios.core.internal.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.iios.core.internal.metrics.NodeMetrics;
import io.iios.spi.MessageHandler;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReplayCacheTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final NodeMetrics metrics = new NodeMetrics(registry, "n1");
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final PubSub out = new PubSub() {
        @Override
        public void publish(String channel, byte[] payload) {
            sent.add(new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public Subscription subscribe(String pattern, MessageHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Subscription subscribe(String pattern, String group, MessageHandler handler) {
            throw new UnsupportedOperationException();
        }
    };

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private double count(String outcome) {
        var c = registry.find("iios.call.replays").tag("outcome", outcome).counter();
        if (c != null) {
            return c.count();
        }
        var f = registry.find("iios.call.replays").tag("outcome", outcome).functionCounter(); // evicted
        return f == null ? 0 : f.count();
    }

    @Test
    @DisplayName("an unseen call runs; a repeat joins it while it runs and gets the stored reply once it finished")
    void repeatJoinsThenReplays() {
        ReplayCache cache = new ReplayCache(10, Duration.ofSeconds(1), metrics, now::get);
        ReplayCache.Claim first = cache.claim("caller", 7, b("req"), now.get() + 5000, out);
        assertThat(first.repeatOf()).isNull();
        assertThat(first.replies()).isNotNull();

        ReplayCache.Claim running = cache.claim("caller", 7, b("req"), now.get() + 5000, out);
        CompletableFuture<byte[]> joined = running.repeatOf();
        assertThat(joined).isNotNull().isNotDone();
        assertThat(count("joined")).isEqualTo(1);

        first.replies().publish("inbox", b("reply-7"));
        assertThat(sent).containsExactly("reply-7");
        assertThat(joined).isCompletedWithValueMatching(r -> new String(r, StandardCharsets.UTF_8).equals("reply-7"));

        ReplayCache.Claim late = cache.claim("caller", 7, b("req"), now.get() + 5000, out);
        assertThat(late.repeatOf()).isCompleted();
        assertThat(count("replayed")).isEqualTo(1);
    }

    @Test
    @DisplayName("the same identity with other bytes is no repeat: it runs unrecorded and never sees the first reply")
    void mismatchIsNoRepeat() {
        ReplayCache cache = new ReplayCache(10, Duration.ofSeconds(1), metrics, now::get);
        cache.claim("caller", 1, b("req"), now.get() + 5000, out).replies().publish("inbox", b("secret"));
        ReplayCache.Claim forged = cache.claim("caller", 1, b("forged"), now.get() + 5000, out);
        assertThat(forged.repeatOf()).isNull();
        assertThat(forged.replies()).isNull();
        assertThat(count("mismatch")).isEqualTo(1);
        // another caller node with the same call id is another call
        assertThat(cache.claim("other", 1, b("req"), now.get() + 5000, out).replies()).isNotNull();
    }

    @Test
    @DisplayName("bounded: entries go after their deadline plus keep, and the oldest goes when it is full")
    void bounded() {
        ReplayCache cache = new ReplayCache(3, Duration.ofSeconds(1), metrics, now::get);
        for (int i = 0; i < 3; i++) {
            cache.claim("caller", i, b("r" + i), now.get() + 500, out);
        }
        assertThat(cache.size()).isEqualTo(3);
        cache.claim("caller", 3, b("r3"), now.get() + 500, out);
        assertThat(cache.size()).isEqualTo(3);
        assertThat(count("evicted")).as("dropped before its deadline").isEqualTo(1);
        assertThat(cache.claim("caller", 0, b("r0"), now.get() + 500, out).repeatOf()).as("evicted: runs again")
                .isNull();

        now.addAndGet(1501); // past deadline + keep
        cache.claim("caller", 9, b("r9"), now.get() + 500, out);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(count("evicted")).as("expired entries are not evictions").isEqualTo(2);
    }

    @Test
    @DisplayName("a full set gives up the entry that ends soonest; the rest of the table is untouched")
    void fullSetDisplacesSoonestEnding() {
        ReplayCache cache = new ReplayCache(1000, Duration.ofSeconds(1), metrics, now::get);
        // ReplayCache.WAYS + 1 calls of one set, the first with the latest deadline, the second with the earliest
        List<Long> ids = new java.util.ArrayList<>();
        for (long id = 0; ids.size() <= ReplayCache.WAYS; id++) {
            if (cache.setOf(id) == cache.setOf(0)) {
                ids.add(id);
            }
        }
        for (int i = 0; i < ReplayCache.WAYS; i++) {
            long deadline = now.get() + (i == 0 ? 9000 : i == 1 ? 100 : 5000);
            cache.claim("caller", ids.get(i), b("r" + i), deadline, out);
        }
        assertThat(cache.setOf(999_999)).isNotEqualTo(cache.setOf(0));
        cache.claim("other", 999_999, b("elsewhere"), now.get() + 100, out);
        assertThat(count("evicted")).isZero();
        cache.claim("caller", ids.get(ReplayCache.WAYS), b("new"), now.get() + 5000, out);
        assertThat(count("evicted")).isEqualTo(1);
        assertThat(cache.size()).isEqualTo(ReplayCache.WAYS + 1);
        assertThat(cache.claim("caller", ids.get(1), b("r1"), now.get() + 100, out).repeatOf())
                .as("the soonest-ending entry went").isNull();
        assertThat(cache.claim("caller", ids.get(0), b("r0"), now.get() + 9000, out).repeatOf()).isNotNull();
        assertThat(cache.claim("other", 999_999, b("elsewhere"), now.get() + 100, out).repeatOf())
                .as("another set is not touched").isNotNull();
    }

    @Test
    @DisplayName("two arrivals of one call at the same moment: exactly one runs it")
    void concurrentArrivalsRunOnce() throws Exception {
        ReplayCache cache = new ReplayCache(100_000, Duration.ofSeconds(1), metrics, now::get);
        int calls = 20_000;
        int threads = 4;
        var runs = new java.util.concurrent.atomic.AtomicIntegerArray(calls);
        var start = new java.util.concurrent.CountDownLatch(1);
        List<Thread> ts = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < calls; i++) {
                    if (cache.claim("caller", i, b("req" + i), now.get() + 5000, out).replies() != null) {
                        runs.incrementAndGet(i);
                    }
                }
            }));
        }
        start.countDown();
        for (Thread t : ts) {
            t.join(java.time.Duration.ofSeconds(30));
        }
        for (int i = 0; i < calls; i++) {
            assertThat(runs.get(i)).as("runs of call %d", i).isEqualTo(1);
        }
        assertThat(count("joined") + count("replayed")).isEqualTo((double) calls * (threads - 1));
    }

    @Test
    @DisplayName("requests and replies larger than a place's slab bytes are replayed whole")
    void largeBytesReplayWhole() {
        ReplayCache cache = new ReplayCache(10, Duration.ofSeconds(1), metrics, now::get);
        String bigRequest = "q".repeat(ReplayCache.SLOT_BYTES + 1);
        String bigReply = "r".repeat(3 * ReplayCache.SLOT_BYTES);
        cache.claim("caller", 1, b(bigRequest), now.get() + 5000, out).replies().publish("inbox", b(bigReply));
        cache.claim("caller", 2, b("small"), now.get() + 5000, out).replies().publish("inbox", b(bigReply));
        cache.claim("caller", 3, b("small"), now.get() + 5000, out).replies().publish("inbox", b("tiny"));

        assertThat(cache.claim("caller", 1, b(bigRequest), now.get() + 5000, out).repeatOf())
                .isCompletedWithValueMatching(r -> new String(r, StandardCharsets.UTF_8).equals(bigReply));
        assertThat(cache.claim("caller", 2, b("small"), now.get() + 5000, out).repeatOf())
                .isCompletedWithValueMatching(r -> new String(r, StandardCharsets.UTF_8).equals(bigReply));
        assertThat(cache.claim("caller", 3, b("small"), now.get() + 5000, out).repeatOf())
                .isCompletedWithValueMatching(r -> new String(r, StandardCharsets.UTF_8).equals("tiny"));
        assertThat(cache.claim("caller", 1, b(bigRequest + "!"), now.get() + 5000, out).replies())
                .as("one byte more is another request").isNull();
        assertThat(count("mismatch")).isEqualTo(1);
    }

    @Test
    @DisplayName("a running call whose place goes to a newer call still answers the repeats that joined it")
    void displacedRunningCallAnswersItsJoiners() {
        ReplayCache cache = new ReplayCache(1, Duration.ofSeconds(1), metrics, now::get);
        PubSub running = cache.claim("caller", 1, b("one"), now.get() + 5000, out).replies();
        CompletableFuture<byte[]> joined = cache.claim("caller", 1, b("one"), now.get() + 5000, out).repeatOf();
        assertThat(joined).isNotNull().isNotDone();

        cache.claim("caller", 2, b("two"), now.get() + 5000, out); // the only place goes to call 2
        assertThat(count("evicted")).isEqualTo(1);
        running.publish("inbox", b("reply-1"));
        assertThat(joined).isCompletedWithValueMatching(r -> new String(r, StandardCharsets.UTF_8).equals("reply-1"));
        assertThat(cache.claim("caller", 2, b("two"), now.get() + 5000, out).repeatOf())
                .as("call 2 keeps its place, still running").isNotNull().isNotDone();
    }
}
