package io.iios.spi;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs tasks one at a time, in submission order, on threads of an executor, without holding a
 * thread while idle. A bounded queue: past {@code limit} pending items, {@link #offer} refuses.
 *
 * <p>A helper for transports: the {@link PubSub} contract wants handlers off the broker client's I/O
 * thread, one at a time per subscription, in order; one dispatcher per subscription does exactly that.
 *
 * @param <T> the item type
 */
public final class SerialDispatcher<T> {
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Executor executor;
    private final Consumer<T> handler;
    private final Consumer<Throwable> onError;
    private final int limit;
    private final Runnable drain = this::drain;
    private volatile boolean closed;

    public SerialDispatcher(Executor executor, int limit, Consumer<T> handler, Consumer<Throwable> onError) {
        this.executor = executor;
        this.limit = limit;
        this.handler = handler;
        this.onError = onError;
    }

    /** Queues an item; false when closed or when {@code limit} items are already pending. */
    public boolean offer(T item) {
        if (closed) {
            return false;
        }
        if (pending.get() >= limit) {
            return false;
        }
        queue.add(item);
        if (pending.getAndIncrement() == 0) {
            executor.execute(drain);
        }
        return true;
    }

    /** Items queued and not yet handled. */
    public int pending() {
        return pending.get();
    }

    /** Stops handling; queued items are discarded. */
    public void close() {
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
