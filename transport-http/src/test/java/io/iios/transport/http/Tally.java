package io.iios.transport.http;

import io.iios.api.Get;
import io.iios.api.Service;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Counts how many times each call ran, to prove that no route retry runs a call twice. */
@Service("tally")
public class Tally {
    final ConcurrentHashMap<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
    volatile @Nullable CountDownLatch gate;

    @Get
    public int run(int n) throws InterruptedException {
        runs.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
        CountDownLatch g = gate;
        if (g != null) {
            g.await(20, TimeUnit.SECONDS);
        }
        return n;
    }

    int runs(int n) {
        AtomicInteger c = runs.get(n);
        return c == null ? 0 : c.get();
    }
}
