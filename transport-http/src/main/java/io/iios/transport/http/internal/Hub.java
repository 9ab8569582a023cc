package io.iios.transport.http.internal;

import io.iios.spi.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a discovery server keeps: a key-value store with TTLs and atomic put-if-absent, and a pub/sub
 * relay that hands every published message to each subscription whose pattern matches. In memory: a
 * restarted discovery server starts empty and nodes fill it again with their next heartbeat.
 */
public final class Hub implements AutoCloseable {
    private record Entry(byte[] value, long expiresAtNanos) {
        boolean expired(long now) {
            return expiresAtNanos != 0 && now - expiresAtNanos > 0;
        }
    }

    /** Where a subscription's messages go; must not block. */
    public interface Sink {
        void deliver(String channel, byte[] payload);
    }

    private record Sub(String pattern, Sink sink) {
    }

    private final Map<String, Entry> kv = new ConcurrentHashMap<>();
    private final List<Sub> subs = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "iios-hub-sweeper");
        t.setDaemon(true);
        return t;
    });

    public Hub() {
        sweeper.scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    public Optional<byte[]> get(String key) {
        Entry e = kv.get(key);
        if (e == null || e.expired(System.nanoTime())) {
            return Optional.empty();
        }
        return Optional.of(e.value);
    }

    /** Stores a value; {@code ttlMillis} 0 keeps it until deleted. */
    public void put(String key, byte[] value, long ttlMillis) {
        kv.put(key, new Entry(value, deadline(ttlMillis)));
    }

    public boolean putIfAbsent(String key, byte[] value, long ttlMillis) {
        boolean[] stored = new boolean[1];
        kv.compute(key, (k, old) -> {
            if (old != null && !old.expired(System.nanoTime())) {
                return old;
            }
            stored[0] = true;
            return new Entry(value, deadline(ttlMillis));
        });
        return stored[0];
    }

    public boolean delete(String key) {
        Entry e = kv.remove(key);
        return e != null && !e.expired(System.nanoTime());
    }

    public List<String> keys(String prefix) {
        long now = System.nanoTime();
        List<String> out = new ArrayList<>();
        kv.forEach((k, e) -> {
            if (k.startsWith(prefix) && !e.expired(now)) {
                out.add(k);
            }
        });
        return out;
    }

    /** Registers a subscription; it is active when this returns. Close the handle to end it. */
    public AutoCloseable subscribe(String pattern, Sink sink) {
        Sub s = new Sub(pattern, sink);
        subs.add(s);
        return () -> subs.remove(s);
    }

    public void publish(String channel, byte[] payload) {
        for (Sub s : subs) {
            if (Channel.matches(s.pattern, channel)) {
                s.sink.deliver(channel, payload);
            }
        }
    }

    private static long deadline(long ttlMillis) {
        if (ttlMillis <= 0) {
            return 0;
        }
        long d = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ttlMillis);
        return d == 0 ? 1 : d;
    }

    private void sweep() {
        long now = System.nanoTime();
        kv.entrySet().removeIf(e -> e.getValue().expired(now));
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        subs.clear();
    }
}
