package io.iios.transport.redis.internal;

import io.iios.spi.SerialDispatcher;

import io.iios.spi.Channel;
import io.iios.spi.KvListener;
import io.iios.spi.KvStore;
import io.iios.spi.Subscription;
import io.iios.spi.TransportListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.ScanIteration;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * {@link KvStore} on Redis strings: GET, SET PX, SET NX PX, DEL, SCAN MATCH (never KEYS). Keys are the
 * escaped grammar names (see {@link RedisNames}); values are stored byte-exact. Watches use keyspace
 * notifications on the shared subscriber connection (on a Cluster, on one watch connection per master) when
 * the server has them, else polling.
 */
final class RedisKv implements KvStore {
    static final int SCAN_COUNT = 500;

    private final RedisClients clients;
    private final UnifiedJedis client;
    private final ConnectionHealth health;
    private final TransportListener listener;
    private final List<SubscriberConnection> watchSubscribers;
    private final KeyspaceNotifications notifications;
    private final Executor dispatch;
    private final Supplier<ScheduledExecutorService> poller;
    private final Set<Subscription> open;

    RedisKv(RedisClients clients, ConnectionHealth health, TransportListener listener, List<SubscriberConnection> watchSubscribers,
            KeyspaceNotifications notifications, Executor dispatch, Supplier<ScheduledExecutorService> poller,
            Set<Subscription> open) {
        this.clients = clients;
        this.client = clients.client;
        this.health = health;
        this.listener = listener;
        this.watchSubscribers = List.copyOf(watchSubscribers);
        this.notifications = notifications;
        this.dispatch = dispatch;
        this.poller = poller;
        this.open = open;
    }

    private static byte[] key(String key) {
        return RedisNames.bytes(RedisNames.toRedis(Channel.requireChannel(key)));
    }

    private <T> T call(String what, boolean idempotent, Supplier<T> op) {
        health.check(what);
        try {
            return op.get();
        } catch (RuntimeException e) {
            if (idempotent && RedisErrors.isUnavailable(e) && health.isUp()) {
                try {
                    return op.get(); // a pooled connection may have died with a restarted server
                } catch (RuntimeException again) {
                    throw RedisErrors.wrap(what, again);
                }
            }
            throw RedisErrors.wrap(what, e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        byte[] k = key(key);
        return Optional.ofNullable(call("get " + key, true, () -> client.get(k)));
    }

    @Override
    public void put(String key, byte[] value, @Nullable Duration ttl) {
        byte[] k = key(key);
        call("put " + key, true, () -> ttl == null ? client.set(k, value) : client.set(k, value, px(new SetParams(), ttl)));
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, @Nullable Duration ttl) {
        byte[] k = key(key);
        SetParams p = new SetParams().nx();
        if (ttl != null) {
            px(p, ttl);
        }
        return call("putIfAbsent " + key, false, () -> client.set(k, value, p)) != null;
    }

    private static SetParams px(SetParams p, Duration ttl) {
        return p.px(Math.max(1, ttl.toMillis()));
    }

    @Override
    public boolean delete(String key) {
        byte[] k = key(key);
        return call("delete " + key, false, () -> client.del(k)) > 0;
    }

    @Override
    public List<String> keys(String prefix) {
        String glob = RedisNames.prefixGlob(prefix);
        return call("keys " + prefix, true, () -> {
            ScanIteration it = client.scanIteration(SCAN_COUNT, glob);
            List<String> out = new ArrayList<>();
            while (!it.isIterationCompleted()) {
                for (String k : it.nextBatchList()) {
                    out.add(RedisNames.fromRedis(k));
                }
            }
            return out;
        });
    }

    @Override
    public Subscription watch(String prefix, KvListener kvListener) {
        health.check("watch " + prefix);
        record Change(String key, KvListener.Change change, byte @Nullable [] value) {
        }
        SerialDispatcher<Change> d = new SerialDispatcher<>(dispatch, 200_000, c -> {
            byte[] value = c.value;
            if (c.change == KvListener.Change.PUT && value == null) {
                // may be null when the key was deleted meanwhile: the PUT is still reported (the SPI allows a
                // null value), so a listener sees every change in order; its DELETE/EXPIRE event follows
                value = fetch(c.key);
            }
            kvListener.onChange(c.key, c.change, value);
        }, t -> listener.onError("kv watch " + prefix, t));
        Runnable cancel;
        if (notifications.enabled()) {
            String channelPrefix = notifications.channelPrefix();
            int skip = channelPrefix.length();
            SubscriberConnection.Sink sink = (channel, payload) -> {
                KvListener.Change change = KeyspaceNotifications.change(
                        new String(payload, StandardCharsets.US_ASCII));
                if (change == null) {
                    return;
                }
                String key;
                try {
                    key = RedisNames.fromRedis(new String(channel, skip, channel.length - skip,
                            StandardCharsets.UTF_8));
                } catch (IllegalArgumentException notOurs) {
                    return;
                }
                if (key.startsWith(prefix)) {
                    if (!d.offer(new Change(key, change, null))) {
                        listener.onDropped(key, "kv watch " + prefix + " has too many pending changes");
                    }
                }
            };
            List<Runnable> unsubscribes = new java.util.ArrayList<>();
            try {
                for (SubscriberConnection sc : watchSubscribers) {
                    unsubscribes.add(sc.subscribe(channelPrefix + RedisNames.prefixGlob(prefix), true, sink));
                }
            } catch (RuntimeException e) {
                unsubscribes.forEach(Runnable::run);
                throw e;
            }
            Runnable unsubscribe = () -> unsubscribes.forEach(Runnable::run);
            cancel = unsubscribe;
        } else {
            cancel = poll(prefix, (key, change, value) -> d.offer(new Change(key, change, value)));
        }
        return track(() -> {
            d.close();
            cancel.run();
        });
    }

    private byte @Nullable [] fetch(String key) {
        try {
            return get(key).orElse(null);
        } catch (RuntimeException e) {
            listener.onError("kv watch: reading " + key, e);
            return null;
        }
    }

    /** Polling fallback: list and read the keys every interval and report the differences. */
    private Runnable poll(String prefix, KvListener sink) {
        Map<String, byte[]> known = new HashMap<>();
        Runnable once = () -> {
            if (!health.isUp()) {
                return;
            }
            try {
                Map<String, byte[]> now = new HashMap<>();
                for (String k : keys(prefix)) {
                    get(k).ifPresent(v -> now.put(k, v));
                }
                for (Map.Entry<String, byte[]> e : now.entrySet()) {
                    byte[] old = known.get(e.getKey());
                    if (old == null || !Arrays.equals(old, e.getValue())) {
                        sink.onChange(e.getKey(), KvListener.Change.PUT, e.getValue());
                    }
                }
                for (String k : known.keySet()) {
                    if (!now.containsKey(k)) {
                        sink.onChange(k, KvListener.Change.DELETE, null);
                    }
                }
                known.clear();
                known.putAll(now);
            } catch (RuntimeException e) {
                listener.onError("kv watch (polling) " + prefix, e);
            }
        };
        // The first listing is the baseline: a watch reports changes, not what already exists.
        try {
            for (String k : keys(prefix)) {
                get(k).ifPresent(v -> known.put(k, v));
            }
        } catch (RuntimeException e) {
            throw RedisErrors.wrap("watch " + prefix, e);
        }
        long every = clients.options.watchPollInterval().toNanos();
        ScheduledFuture<?> f = poller.get().scheduleWithFixedDelay(once, every, every, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    private Subscription track(Runnable cancel) {
        Subscription[] self = new Subscription[1];
        self[0] = new Subscription() {
            private volatile boolean done;

            @Override
            public void close() {
                if (!done) {
                    done = true;
                    open.remove(this);
                    cancel.run();
                }
            }
        };
        open.add(self[0]);
        return self[0];
    }

    static Set<Subscription> newOpenSet() {
        return ConcurrentHashMap.newKeySet();
    }
}
