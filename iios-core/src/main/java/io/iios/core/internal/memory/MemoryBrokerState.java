package io.iios.core.internal.memory;

import io.iios.spi.SerialDispatcher;
import io.iios.spi.Channel;
import io.iios.spi.KvListener;
import io.iios.spi.MessageHandler;
import io.iios.spi.TransportListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The shared state of one in-JVM broker: a concurrent KV map with TTLs and watches, and pub/sub
 * subscriptions with exact, wildcard and queue-group matching. Connections ({@link MemoryTransport})
 * add and remove subscriptions; handlers run on virtual threads, one at a time per subscription.
 */
public final class MemoryBrokerState {
    /** A subscription's pending-message limit; past it messages are dropped, as a slow consumer. */
    static final int PENDING_LIMIT = 200_000;

    private final Map<String, Entry> kv = new ConcurrentHashMap<>();
    private final Map<String, List<Sub>> exact = new ConcurrentHashMap<>();
    private final List<Sub> wildcard = new CopyOnWriteArrayList<>();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> groupCursors = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final Executor dispatch;

    public MemoryBrokerState() {
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "iios-memory-ttl");
            t.setDaemon(true);
            return t;
        };
        this.timer = new ScheduledThreadPoolExecutor(1, tf);
        this.timer.setRemoveOnCancelPolicy(true);
        ThreadFactory vt = Thread.ofVirtual().name("iios-memory-dispatch-", 0).factory();
        this.dispatch = r -> vt.newThread(r).start();
    }

    public void shutdown() {
        timer.shutdownNow();
    }

    // ---------------------------------------------------------------- KV

    /** A stored value; {@code token} identifies this very write so a stale expiry cannot remove a newer one. */
    private record Entry(byte[] value, Object token, @Nullable ScheduledFuture<?> expiry) {
    }

    private Entry entry(String key, byte[] value, @Nullable Duration ttl) {
        Object token = new Object();
        return new Entry(value, token, ttl == null ? null : scheduleExpiry(key, token, ttl));
    }

    Optional<byte[]> get(String key) {
        Entry e = kv.get(key);
        return e == null ? Optional.empty() : Optional.of(e.value.clone());
    }

    void put(String key, byte[] value, @Nullable Duration ttl) {
        byte[] copy = value.clone();
        kv.compute(key, (k, old) -> {
            if (old != null && old.expiry != null) {
                old.expiry.cancel(false);
            }
            return entry(key, copy, ttl);
        });
        fire(key, KvListener.Change.PUT, copy);
    }

    boolean putIfAbsent(String key, byte[] value, @Nullable Duration ttl) {
        byte[] copy = value.clone();
        boolean[] won = new boolean[1];
        kv.computeIfAbsent(key, k -> {
            won[0] = true;
            return entry(key, copy, ttl);
        });
        if (won[0]) {
            fire(key, KvListener.Change.PUT, copy);
        }
        return won[0];
    }

    private ScheduledFuture<?> scheduleExpiry(String key, Object token, Duration ttl) {
        return timer.schedule(() -> {
            Entry e = kv.get(key);
            if (e != null && e.token == token && kv.remove(key, e)) {
                fire(key, KvListener.Change.EXPIRE, null);
            }
        }, Math.max(1, ttl.toNanos()), TimeUnit.NANOSECONDS);
    }

    boolean delete(String key) {
        Entry old = kv.remove(key);
        if (old == null) {
            return false;
        }
        if (old.expiry != null) {
            old.expiry.cancel(false);
        }
        fire(key, KvListener.Change.DELETE, null);
        return true;
    }

    List<String> keys(String prefix) {
        List<String> out = new ArrayList<>();
        for (String k : kv.keySet()) {
            if (k.startsWith(prefix)) {
                out.add(k);
            }
        }
        return out;
    }

    final class Watch {
        final String prefix;
        final SerialDispatcher<Object[]> dispatcher;

        Watch(String prefix, KvListener listener, TransportListener errors) {
            this.prefix = prefix;
            this.dispatcher = new SerialDispatcher<>(dispatch, PENDING_LIMIT,
                    ev -> listener.onChange((String) ev[0], (KvListener.Change) ev[1], (byte[]) ev[2]),
                    t -> errors.onError("kv watch " + prefix, t));
        }
    }

    Watch watch(String prefix, KvListener listener, TransportListener errors) {
        Watch w = new Watch(prefix, listener, errors);
        watches.add(w);
        return w;
    }

    void unwatch(Watch w) {
        watches.remove(w);
        w.dispatcher.close();
    }

    private void fire(String key, KvListener.Change change, byte @Nullable [] value) {
        for (Watch w : watches) {
            if (key.startsWith(w.prefix)) {
                w.dispatcher.offer(new Object[] {key, change, value == null ? null : value.clone()});
            }
        }
    }

    // ---------------------------------------------------------------- pub/sub

    final class Sub {
        final String pattern;
        final @Nullable String group;
        final SerialDispatcher<Object[]> dispatcher;
        final TransportListener listener;

        Sub(String pattern, @Nullable String group, MessageHandler handler, TransportListener listener) {
            this.pattern = pattern;
            this.group = group;
            this.listener = listener;
            this.dispatcher = new SerialDispatcher<>(dispatch, PENDING_LIMIT,
                    m -> handler.onMessage((String) m[0], (byte[]) m[1]),
                    t -> listener.onError("subscription " + pattern, t));
        }

        void deliver(String channel, byte[] payload) {
            if (!dispatcher.offer(new Object[] {channel, payload.clone()})
                    && dispatcher.pending() >= PENDING_LIMIT) { // else: the subscription is closing, as after UNSUBSCRIBE
                listener.onDropped(channel, "subscription '" + pattern + "' has "
                        + PENDING_LIMIT + " pending messages (slow consumer)");
            }
        }
    }

    Sub subscribe(String pattern, @Nullable String group, MessageHandler handler, TransportListener listener) {
        Sub s = new Sub(pattern, group, handler, listener);
        if (Channel.isPattern(pattern)) {
            wildcard.add(s);
        } else {
            exact.computeIfAbsent(pattern, k -> new CopyOnWriteArrayList<>()).add(s);
        }
        return s;
    }

    void unsubscribe(Sub s) {
        s.dispatcher.close();
        if (!wildcard.remove(s)) {
            exact.computeIfPresent(s.pattern, (k, list) -> {
                list.remove(s);
                return list.isEmpty() ? null : list;
            });
        }
    }

    void publish(String channel, byte[] payload) {
        List<Sub> direct = exact.get(channel);
        List<Sub> grouped = null;
        if (direct != null) {
            for (Sub s : direct) {
                if (s.group == null) {
                    s.deliver(channel, payload);
                } else {
                    (grouped == null ? grouped = new ArrayList<>() : grouped).add(s);
                }
            }
        }
        for (Sub s : wildcard) {
            if (Channel.matches(s.pattern, channel)) {
                if (s.group == null) {
                    s.deliver(channel, payload);
                } else {
                    (grouped == null ? grouped = new ArrayList<>() : grouped).add(s);
                }
            }
        }
        if (grouped != null) {
            deliverToGroups(channel, payload, grouped);
        }
    }

    private void deliverToGroups(String channel, byte[] payload, List<Sub> members) {
        Map<String, List<Sub>> byGroup = new java.util.HashMap<>();
        for (Sub s : members) {
            byGroup.computeIfAbsent(s.group + "\u0000" + s.pattern, k -> new ArrayList<>()).add(s);
        }
        for (Map.Entry<String, List<Sub>> e : byGroup.entrySet()) {
            List<Sub> list = e.getValue();
            int i = Math.floorMod(groupCursors.computeIfAbsent(e.getKey(), k -> new AtomicInteger()).getAndIncrement(),
                    list.size());
            list.get(i).deliver(channel, payload);
        }
    }
}
