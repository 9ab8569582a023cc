package io.iios.core;

import io.iios.api.CallContext;
import io.iios.api.Delete;
import io.iios.api.Get;
import io.iios.api.Put;
import io.iios.api.Service;
import io.iios.api.ServiceHandle;
import io.iios.api.ServiceLifecycle;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The test service: one of each kind of method. */
@Service("bob")
public class Bob implements ServiceLifecycle {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger slowStarted = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);
    volatile ServiceHandle handle;

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

    @Get
    public String hello(String name) {
        calls.incrementAndGet();
        return "hello " + name;
    }

    public void nothing() {
        calls.incrementAndGet();
    }

    @Put
    public Point move(Point p, int dx) {
        return new Point(p.x() + dx, p.y());
    }

    public Map<String, Object> echoMap(Map<String, Object> m) {
        return m;
    }

    public List<Long> longs(List<Long> values) {
        return values;
    }

    public byte[] bytes(byte[] data) {
        return data;
    }

    public int length(byte[] data) {
        return data.length;
    }

    @Delete
    public String fail(String why) {
        throw new IllegalStateException(why);
    }

    public CompletionStage<String> later(String s) {
        return CompletableFuture.supplyAsync(() -> s.toUpperCase());
    }

    public CompletionStage<String> laterFail(String s) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(s));
    }

    public String who(CallContext ctx) {
        return ctx.service() + "." + ctx.method() + " deadline=" + (ctx.deadline() != null);
    }

    public String instance() {
        return handle.instanceId();
    }

    public int slow(int ms) throws InterruptedException {
        slowStarted.incrementAndGet();
        release.await(ms, TimeUnit.MILLISECONDS);
        return ms;
    }

    public void shout(String what) {
        handle.pushEvent("coucou", Map.of("what", what));
    }

    public String _hidden() {
        return "no";
    }
}
