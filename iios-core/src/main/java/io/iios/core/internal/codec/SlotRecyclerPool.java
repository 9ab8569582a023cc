package io.iios.core.internal.codec;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import java.io.Serial;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Jackson's buffers shared by the virtual threads that encode and decode envelopes: a few slots, each holding one
 * idle {@link BufferRecycler}, taken and given back with one compare-and-set. Jackson's per-thread default never
 * finds a buffer again on a fresh virtual thread; its shared {@code ConcurrentLinkedDeque} pool allocates a node
 * on every release and showed in 5–7 % of the CPU samples at 100 calls in flight (docs/performance.md). When
 * every slot is taken, a new recycler is made; when every slot is full, a returned one is dropped: at most
 * {@link #SLOTS} idle recyclers are kept.
 */
final class SlotRecyclerPool implements RecyclerPool<BufferRecycler> {
    @Serial
    private static final long serialVersionUID = 1L;
    static final int SLOTS = 16;

    private final transient AtomicReferenceArray<@Nullable BufferRecycler> slots = new AtomicReferenceArray<>(SLOTS);

    @Override
    public BufferRecycler acquirePooled() {
        int start = start();
        for (int k = 0; k < SLOTS; k++) {
            int i = (start + k) & (SLOTS - 1);
            BufferRecycler r = slots.get(i);
            if (r != null && slots.compareAndSet(i, r, null)) {
                return r;
            }
        }
        return new BufferRecycler();
    }

    @Override
    public void releasePooled(BufferRecycler recycler) {
        int start = start();
        for (int k = 0; k < SLOTS; k++) {
            int i = (start + k) & (SLOTS - 1);
            if (slots.get(i) == null && slots.compareAndSet(i, null, recycler)) {
                return;
            }
        }
    }

    @Override
    public int pooledCount() {
        int n = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    /** A deserialized factory gets an empty pool of its own (the slots are not serialized). */
    @Serial
    private Object readResolve() {
        return new SlotRecyclerPool();
    }

    /** Where a thread starts looking, so that threads running at once mostly touch different slots. */
    private static int start() {
        return (int) Thread.currentThread().threadId() & (SLOTS - 1);
    }
}
