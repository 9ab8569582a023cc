package io.iios.spi;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One daemon timer thread for a transport, started on first use (e.g. KV expiry or watch polling, which
 * many deployments never need) and stopped by {@link #close()}; cancelled tasks leave its queue at once.
 */
public final class LazyTimer implements Supplier<ScheduledExecutorService>, AutoCloseable {
    private final String threadName;
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable ScheduledThreadPoolExecutor timer;

    /** @param threadName the name of its thread, e.g. {@code iios-mqtt-kv-expiry} */
    public LazyTimer(String threadName) {
        this.threadName = threadName;
    }

    @Override
    public ScheduledExecutorService get() {
        lock.lock();
        try {
            if (timer == null) {
                ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                        Thread.ofPlatform().daemon().name(threadName).factory());
                t.setRemoveOnCancelPolicy(true);
                timer = t;
            }
            return timer;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (timer != null) {
                timer.shutdownNow();
            }
        } finally {
            lock.unlock();
        }
    }
}
