package io.iios.transport.mqtt.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs items one at a time, in arrival order, on threads of an executor, holding no thread while idle.
 * Bounded: past {@code limit} pending items {@link #offer} refuses. (Same idea as core's dispatcher;
 * transports depend on the SPI only.)
 */
final class SerialDispatcher<T> {
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Executor executor;
    private final Consumer<T> handler;
    private final Consumer<Throwable> onError;
    private final int limit;
    private final Runnable drain = this::drain;
    private volatile boolean closed;

    SerialDispatcher(Executor executor, int limit, Consumer<T> handler, Consumer<Throwable> onError) {
        this.executor = executor;
        this.limit = limit;
        this.handler = handler;
        this.onError = onError;
    }

    /** Queues an item; false when closed or full. */
    boolean offer(T item) {
        if (closed || pending.get() >= limit) {
            return false;
        }
        queue.add(item);
        if (pending.getAndIncrement() == 0) {
            executor.execute(drain);
        }
        return true;
    }

    /** Stops handling; queued items are discarded. */
    void close() {
        closed = true;
    }

    private void drain() {
        int n = 1;
        while (true) {
            for (int i = 0; i < n; i++) {
                T item = queue.poll();
                if (item == null) {
                    break;
                }
                if (!closed) {
                    try {
                        handler.accept(item);
                    } catch (Throwable t) {
                        onError.accept(t);
                    }
                }
            }
            n = pending.addAndGet(-n);
            if (n == 0) {
                return;
            }
        }
    }
}
