package io.iios.tck.internal;

import io.iios.api.Get;
import io.iios.api.ServiceHandle;
import io.iios.api.ServiceLifecycle;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** The service the kits call: one method of each kind, with counters the tests read. */
public class ProbeService implements ServiceLifecycle {
    /** How many calls ran (every method counts). */
    public final AtomicInteger calls = new AtomicInteger();
    /** Opens every pending {@link #slow(int)}. */
    public final CountDownLatch release = new CountDownLatch(1);
    private volatile @Nullable ServiceHandle handle;

    public record Point(int x, int y) {
    }

    @Override
    public void onStart(ServiceHandle handle) {
        this.handle = handle;
    }

    @Get
    public int add(int a, int b) {
        calls.incrementAndGet();
        return a + b;
    }

    public String hello(String name) {
        calls.incrementAndGet();
        return "hello " + name;
    }

    public void nothing() {
        calls.incrementAndGet();
    }

    public Point move(Point p, int dx) {
        calls.incrementAndGet();
        return new Point(p.x() + dx, p.y());
    }

    public Map<String, Object> echoMap(Map<String, Object> m) {
        calls.incrementAndGet();
        return m;
    }

    public List<Long> longs(List<Long> values) {
        calls.incrementAndGet();
        return values;
    }

    public double half(double d) {
        calls.incrementAndGet();
        return d / 2;
    }

    public boolean not(boolean b) {
        calls.incrementAndGet();
        return !b;
    }

    public byte[] bytes(byte[] data) {
        calls.incrementAndGet();
        return data;
    }

    public int length(byte[] data) {
        calls.incrementAndGet();
        return data.length;
    }

    public String fail(String why) {
        calls.incrementAndGet();
        throw new IllegalStateException(why);
    }

    public CompletionStage<String> failLater(String why) {
        calls.incrementAndGet();
        return CompletableFuture.failedFuture(new UnsupportedOperationException(why));
    }

    public String instance() {
        calls.incrementAndGet();
        ServiceHandle h = handle;
        return h == null ? "?" : h.instanceId();
    }

    public int slow(int ms) throws InterruptedException {
        calls.incrementAndGet();
        release.await(ms, TimeUnit.MILLISECONDS);
        return ms;
    }

    public void shout(String event, @Nullable Object payload) {
        calls.incrementAndGet();
        ServiceHandle h = handle;
        if (h != null) {
            h.pushEvent(event, payload);
        }
    }
}
