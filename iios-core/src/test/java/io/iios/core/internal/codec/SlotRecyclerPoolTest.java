package io.iios.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.BufferRecycler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SlotRecyclerPoolTest {
    @Test
    @DisplayName("a returned recycler is handed out again; an empty pool makes new ones; a full pool drops extras")
    void reusesAndBounds() {
        SlotRecyclerPool pool = new SlotRecyclerPool();
        BufferRecycler first = pool.acquireAndLinkPooled();
        first.releaseToPool();
        assertThat(pool.pooledCount()).isEqualTo(1);
        BufferRecycler again = pool.acquireAndLinkPooled();
        assertThat(again).isSameAs(first);
        assertThat(pool.pooledCount()).isZero();

        List<BufferRecycler> held = new ArrayList<>();
        for (int i = 0; i < SlotRecyclerPool.SLOTS + 5; i++) {
            held.add(pool.acquireAndLinkPooled());
        }
        assertThat(held).doesNotHaveDuplicates();
        held.forEach(BufferRecycler::releaseToPool);
        again.releaseToPool();
        assertThat(pool.pooledCount()).isEqualTo(SlotRecyclerPool.SLOTS);
    }
}
