package io.iios.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SerialDispatcherTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    /** An executor that only queues tasks, so a test decides when the dispatcher runs. */
    static final class ManualExecutor implements java.util.concurrent.Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.remove(0).run();
            }
        }
    }

    record Item(int producer, int seq) {
    }

    @Test
    @DisplayName("items of each concurrent producer are handled in order, one at a time, none lost")
    void orderPerProducerUnderConcurrency() throws InterruptedException {
        int producers = 4;
        int perProducer = 5_000;
        Map<Integer, List<Integer>> handled = new ConcurrentHashMap<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger count = new AtomicInteger();
        SerialDispatcher<Item> d = new SerialDispatcher<>(pool, Integer.MAX_VALUE, item -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            handled.computeIfAbsent(item.producer(), k -> new CopyOnWriteArrayList<>()).add(item.seq());
            running.decrementAndGet();
            count.incrementAndGet();
        }, t -> { });
        CountDownLatch gate = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Boolean> refused = new CopyOnWriteArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    if (!d.offer(new Item(id, i))) {
                        refused.add(true);
                    }
                }
            }));
        }
        gate.countDown();
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(10).toMillis());
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> count.get() == producers * perProducer);
        assertThat(refused).isEmpty();
        assertThat(maxRunning.get()).isEqualTo(1);
        List<Integer> expected = IntStream.range(0, perProducer).boxed().toList();
        for (int p = 0; p < producers; p++) {
            assertThat(handled.get(p)).as("producer %d", p).isEqualTo(expected);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> d.pending() == 0);
    }

    @Test
    @DisplayName("past the limit of pending items offer refuses; once drained it accepts again")
    void limitRefusesPastTheBound() {
        ManualExecutor executor = new ManualExecutor();
        List<String> handled = new ArrayList<>();
        SerialDispatcher<String> d = new SerialDispatcher<>(executor, 3, handled::add, t -> { });

        assertThat(d.offer("a")).isTrue();
        assertThat(d.offer("b")).isTrue();
        assertThat(d.offer("c")).isTrue();
        assertThat(d.offer("d")).isFalse();
        assertThat(d.pending()).isEqualTo(3);
        assertThat(executor.tasks).hasSize(1);

        executor.runAll();

        assertThat(handled).containsExactly("a", "b", "c");
        assertThat(d.pending()).isZero();
        assertThat(d.offer("e")).isTrue();
        executor.runAll();
        assertThat(handled).containsExactly("a", "b", "c", "e");
    }

    @Test
    @DisplayName("a throwing handler does not stop the items after it; onError gets the failure")
    void throwingHandlerDoesNotStopTheNextItems() {
        List<Integer> handled = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        SerialDispatcher<Integer> d = new SerialDispatcher<>(pool, 100, i -> {
            if (i % 2 == 0) {
                throw new IllegalArgumentException("even " + i);
            }
            handled.add(i);
        }, errors::add);

        for (int i = 1; i <= 9; i++) {
            d.offer(i);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> handled.size() == 5 && errors.size() == 4);
        assertThat(handled).containsExactly(1, 3, 5, 7, 9);
        assertThat(errors).extracting(Throwable::getMessage).containsExactly("even 2", "even 4", "even 6", "even 8");
    }

    @Test
    @DisplayName("an Error thrown by the handler is reported, not lost, and the dispatcher goes on")
    void handlerErrorIsReported() {
        ManualExecutor executor = new ManualExecutor();
        List<String> handled = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        SerialDispatcher<String> d = new SerialDispatcher<>(executor, 10, s -> {
            if (s.equals("fatal")) {
                throw new AssertionError("fatal");
            }
            handled.add(s);
        }, errors::add);

        d.offer("fatal");
        d.offer("next");
        executor.runAll();

        assertThat(handled).containsExactly("next");
        assertThat(errors).singleElement().isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("after close queued items are discarded and offer refuses")
    void closeDiscardsAndRefuses() {
        ManualExecutor executor = new ManualExecutor();
        List<String> handled = new ArrayList<>();
        SerialDispatcher<String> d = new SerialDispatcher<>(executor, 10, handled::add, t -> { });
        d.offer("queued");

        d.close();
        executor.runAll();

        assertThat(handled).isEmpty();
        assertThat(d.offer("late")).isFalse();
        assertThat(d.pending()).isZero();
    }

    @Test
    @DisplayName("an idle dispatcher holds no thread: one task per burst, not per item")
    void oneTaskPerBurst() {
        ManualExecutor executor = new ManualExecutor();
        List<String> handled = new ArrayList<>();
        SerialDispatcher<String> d = new SerialDispatcher<>(executor, 10, handled::add, t -> { });

        d.offer("a");
        d.offer("b");
        assertThat(executor.tasks).hasSize(1);
        executor.runAll();
        d.offer("c");

        assertThat(executor.tasks).hasSize(1);
        executor.runAll();
        assertThat(handled).containsExactly("a", "b", "c");
    }
}
