package io.iios.core.internal.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The node's call threads: every accepted task runs, closing refuses new ones and waits for the running ones. */
class CallWorkersTest {

    @Test
    @DisplayName("every task runs on a virtual thread with the one name; the count goes back to zero")
    void runsTasks() throws Exception {
        CallWorkers workers = new CallWorkers("iios-call");
        int tasks = 1_000;
        CountDownLatch done = new CountDownLatch(tasks);
        AtomicInteger wrong = new AtomicInteger();
        for (int i = 0; i < tasks; i++) {
            workers.execute(() -> {
                if (!Thread.currentThread().isVirtual() || !Thread.currentThread().getName().equals("iios-call")) {
                    wrong.incrementAndGet();
                }
                done.countDown();
            });
        }
        assertThat(done.await(1, TimeUnit.MINUTES)).isTrue();
        assertThat(wrong).hasValue(0);
        workers.shutdown();
        assertThat(workers.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        assertThat(workers.running()).isZero();
    }

    @Test
    @DisplayName("after shutdown: new tasks refused, a running one finishes, awaitTermination waits for it")
    void shutdownWaitsForRunning() throws Exception {
        CallWorkers workers = new CallWorkers("iios-call");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        workers.execute(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.incrementAndGet();
        });
        assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
        assertThat(workers.awaitTermination(10, TimeUnit.MILLISECONDS)).as("not shut down yet").isFalse();
        workers.shutdown();
        assertThatThrownBy(() -> workers.execute(finished::incrementAndGet))
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(workers.running()).isEqualTo(1);
        assertThat(workers.awaitTermination(10, TimeUnit.MILLISECONDS)).as("a task still runs").isFalse();
        release.countDown();
        assertThat(workers.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        assertThat(finished).hasValue(1);
        assertThat(workers.running()).isZero();
    }

    @Test
    @DisplayName("shutdown with nothing running: awaitTermination returns at once")
    void idleShutdown() throws Exception {
        CallWorkers workers = new CallWorkers("iios-call");
        workers.shutdown();
        assertThat(workers.awaitTermination(0, TimeUnit.SECONDS)).isTrue();
    }
}
