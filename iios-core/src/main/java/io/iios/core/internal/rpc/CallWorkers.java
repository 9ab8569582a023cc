package io.iios.core.internal.rpc;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's service methods and async calls: each task on a virtual thread of its own, counted so that closing
 * the node can let the accepted ones finish ({@link #shutdown}, then {@link #awaitTermination}).
 *
 * <p>Not {@code Executors.newThreadPerTaskExecutor}: that one keeps every running thread in a concurrent set (an
 * insert and a removal per call, for a {@code shutdownNow} the node never uses); a counter is all that closing
 * needs (docs/performance.md, "Less work per call in core").
 */
public final class CallWorkers implements Executor {
    private final ThreadFactory threads;
    private final AtomicLong running = new AtomicLong();
    private volatile boolean shutdown;

    /** @param name every thread's name: one fixed name, since a numbered one would be a string built per call */
    public CallWorkers(String name) {
        this.threads = Thread.ofVirtual().name(name).factory();
    }

    /** Starts {@code task} on a new virtual thread; refused once {@link #shutdown} was called. */
    @Override
    public void execute(Runnable task) {
        running.incrementAndGet();
        if (shutdown) {
            finished();
            throw new RejectedExecutionException("the node is closing");
        }
        try {
            threads.newThread(() -> {
                try {
                    task.run();
                } finally {
                    finished();
                }
            }).start();
        } catch (RuntimeException | Error e) {
            finished();
            throw e;
        }
    }

    private void finished() {
        if (running.decrementAndGet() == 0 && shutdown) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Refuses new tasks; the running ones go on. */
    public void shutdown() {
        shutdown = true;
        if (running.get() == 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Tasks started and not finished. */
    public long running() {
        return running.get();
    }

    /** Waits until every task has finished, after {@link #shutdown}; false when {@code timeout} passed first. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        synchronized (this) {
            while (!shutdown || running.get() > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return true;
    }
}
