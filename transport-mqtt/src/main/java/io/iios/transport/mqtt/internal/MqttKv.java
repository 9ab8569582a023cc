package io.iios.transport.mqtt.internal;

import io.iios.spi.SerialDispatcher;

import io.iios.spi.Capability;
import io.iios.spi.Channel;
import io.iios.spi.KvListener;
import io.iios.spi.KvListener.Change;
import io.iios.spi.KvStore;
import io.iios.spi.Subscription;
import io.iios.spi.TransportListener;
import io.iios.spi.UnsupportedCapabilityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.jspecify.annotations.Nullable;

/**
 * {@link KvStore} on retained messages. A key is the retained topic {@code ns/%kv/...} (see {@link MqttNames});
 * put is a retained QoS 1 publish (returns on the broker's PUBACK), a TTL is the MQTT 5 message expiry interval
 * (whole seconds, rounded up) plus a user property with the exact milliseconds, delete is an empty retained
 * message. An empty value is stored as one byte with the user property {@code iios-kv=empty}, since an empty
 * retained payload means "delete" in MQTT.
 *
 * <p>Reads come from a <em>local mirror</em> per namespace: the first read of a namespace subscribes
 * {@code ns/%kv/#} (which makes the broker send every retained key, then every change), and every read first
 * sends a {@linkplain MqttSession#fence fence}, so it sees every write acknowledged before it started, by any
 * client (read-your-writes and monotonic reads across connections). Expiry is tracked in the mirror with the
 * writer's TTL: the broker does not announce expiries, so the mirror removes the key when its time is up and
 * reports {@link Change#EXPIRE} to watches itself. After a reconnect the mirror re-syncs: keys the broker no
 * longer has are reported deleted.
 */
final class MqttKv implements KvStore {
    static final String TTL_PROPERTY = "iios-ttl-ms";
    static final String KIND_PROPERTY = "iios-kv";

    private final MqttSession session;
    private final TransportListener listener;
    private final Executor dispatch;
    private final Supplier<ScheduledExecutorService> timer;
    private final Set<Subscription> open;
    private final Map<String, Mirror> mirrors = new ConcurrentHashMap<>();
    private final ReentrantLock mirrorsLock = new ReentrantLock();
    private final long maxPayload;

    MqttKv(MqttSession session, TransportListener listener, Executor dispatch, Supplier<ScheduledExecutorService> timer,
            Set<Subscription> open, long maxPayload) {
        this.session = session;
        this.listener = listener;
        this.dispatch = dispatch;
        this.timer = timer;
        this.open = open;
        this.maxPayload = maxPayload;
        session.onDisconnect(() -> mirrors.values().forEach(Mirror::markStale));
        session.onReconnect(() -> mirrors.values().forEach(Mirror::resync));
    }

    @Override
    public Optional<byte[]> get(String key) {
        Channel.requireChannel(key);
        Mirror m = read(MqttNames.keyRoot(key), "get " + key);
        byte[] v = m.value(key);
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    @Override
    public void put(String key, byte[] value, @Nullable Duration ttl) {
        String topic = MqttNames.keyTopic(key);
        MqttPubSub.checkSize(session, topic, value.length, maxPayload);
        MqttProperties props = new MqttProperties();
        List<UserProperty> user = new ArrayList<>(2);
        if (ttl != null) {
            long ms = Math.max(1, ttl.toMillis());
            props.setMessageExpiryInterval(Math.max(1, (ms + 999) / 1000));
            user.add(new UserProperty(TTL_PROPERTY, Long.toString(ms)));
        }
        byte[] payload = value;
        if (value.length == 0) {
            payload = new byte[] {0};
            user.add(new UserProperty(KIND_PROPERTY, "empty"));
        }
        if (!user.isEmpty()) {
            props.setUserProperties(user);
        }
        session.await(session.publishQos1(topic, payload, true, props), "put " + key);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, @Nullable Duration ttl) {
        throw new UnsupportedCapabilityException(MqttTransport.NAME, Capability.KV_CAS);
    }

    @Override
    public boolean delete(String key) {
        String topic = MqttNames.keyTopic(key);
        Mirror m = read(MqttNames.keyRoot(key), "delete " + key);
        boolean existed = m.value(key) != null;
        // always sent: the broker may still hold a value the mirror already expired (expiry is whole seconds there)
        session.await(session.publishQos1(topic, new byte[0], true, null), "delete " + key);
        return existed;
    }

    @Override
    public List<String> keys(String prefix) {
        Mirror m = read(MqttNames.kvRoot(prefix), "keys " + prefix);
        return m.keys(prefix);
    }

    @Override
    public Subscription watch(String prefix, KvListener kvListener) {
        Mirror m = read(MqttNames.kvRoot(prefix), "watch " + prefix);
        Watcher w = new Watcher(prefix, kvListener, m);
        m.watchers.add(w);
        open.add(w);
        return w;
    }

    /** The mirror of a root, created on first use, after a fence so that it holds every acknowledged write. */
    private Mirror read(String root, String what) {
        session.check(what);
        Mirror m = mirrors.get(root);
        if (m == null) {
            mirrorsLock.lock();
            try {
                m = mirrors.get(root);
                if (m == null) {
                    Mirror fresh = new Mirror(root);
                    fresh.route = session.subscribe(MqttNames.kvFilter(root), 1, 0, fresh::onMessage);
                    session.fence(what);
                    mirrors.put(root, fresh);
                    return fresh;
                }
            } finally {
                mirrorsLock.unlock();
            }
        }
        session.fence(what);
        return m;
    }

    private record Event(String key, Change change, byte @Nullable [] value) {
    }

    private final class Watcher implements Subscription {
        final String prefix;
        final SerialDispatcher<Event> queue;
        final Mirror mirror;
        volatile boolean done;

        Watcher(String prefix, KvListener kvListener, Mirror mirror) {
            this.prefix = prefix;
            this.mirror = mirror;
            this.queue = new SerialDispatcher<>(dispatch, 200_000, e -> kvListener.onChange(e.key, e.change, e.value),
                    t -> listener.onError("kv watch " + prefix, t));
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                queue.close();
                mirror.watchers.remove(this);
                open.remove(this);
            }
        }
    }

    private static final class Entry {
        final byte[] value;
        final long expiresAt; // System.nanoTime(), 0 = never
        long epoch;
        @Nullable ScheduledFuture<?> expiry;

        Entry(byte[] value, long expiresAt, long epoch) {
            this.value = value;
            this.expiresAt = expiresAt;
            this.epoch = epoch;
        }

        boolean live(long now) {
            return expiresAt == 0 || now - expiresAt < 0;
        }
    }

    /** The local copy of every retained key under one root, fed by the wildcard subscription. */
    private final class Mirror {
        final String root;
        final ReentrantLock lock = new ReentrantLock();
        final Map<String, Entry> entries = new HashMap<>();
        final List<Watcher> watchers = new CopyOnWriteArrayList<>();
        MqttSession.Route route;
        long epoch;

        Mirror(String root) {
            this.root = root;
        }

        byte @Nullable [] value(String key) {
            lock.lock();
            try {
                Entry e = entries.get(key);
                return e != null && e.live(System.nanoTime()) ? e.value : null;
            } finally {
                lock.unlock();
            }
        }

        List<String> keys(String prefix) {
            long now = System.nanoTime();
            List<String> out = new ArrayList<>();
            lock.lock();
            try {
                for (Map.Entry<String, Entry> e : entries.entrySet()) {
                    if (e.getKey().startsWith(prefix) && e.getValue().live(now)) {
                        out.add(e.getKey());
                    }
                }
            } finally {
                lock.unlock();
            }
            return out;
        }

        /** On Paho's callback thread: one retained message (replayed at subscribe) or a live write. */
        void onMessage(String topic, MqttMessage m) {
            String key = MqttNames.key(topic);
            if (key == null) {
                return;
            }
            byte[] payload = m.getPayload();
            long now = System.nanoTime();
            lock.lock();
            try {
                Entry old = entries.get(key);
                if (payload.length == 0) {
                    if (old != null) {
                        entries.remove(key);
                        cancel(old);
                        if (old.live(now)) {
                            emit(key, Change.DELETE, null);
                        }
                    }
                    return;
                }
                byte[] value = decode(m.getProperties(), payload);
                long ttlMs = ttlMillis(m.getProperties(), m.isRetained());
                if (ttlMs == 0) { // expired on the way
                    if (old != null) {
                        entries.remove(key);
                        cancel(old);
                        if (old.live(now)) {
                            emit(key, Change.EXPIRE, null);
                        }
                    }
                    return;
                }
                Entry e = new Entry(value, ttlMs < 0 ? 0 : now + TimeUnit.MILLISECONDS.toNanos(ttlMs), epoch);
                entries.put(key, e);
                if (old != null) {
                    cancel(old);
                }
                if (ttlMs > 0) {
                    e.expiry = timer.get().schedule(() -> expire(key, e), ttlMs, TimeUnit.MILLISECONDS);
                }
                boolean unchangedReplay = m.isRetained() && old != null && old.live(now)
                        && Arrays.equals(old.value, value);
                if (!unchangedReplay) {
                    emit(key, Change.PUT, value);
                }
            } finally {
                lock.unlock();
            }
        }

        private void expire(String key, Entry e) {
            lock.lock();
            try {
                if (entries.get(key) == e) {
                    entries.remove(key);
                    emit(key, Change.EXPIRE, null);
                }
            } finally {
                lock.unlock();
            }
        }

        private void cancel(Entry e) {
            ScheduledFuture<?> f = e.expiry;
            if (f != null) {
                f.cancel(false);
            }
        }

        /** Called with the lock held, so events of one key keep their order. */
        private void emit(String key, Change change, byte @Nullable [] value) {
            for (Watcher w : watchers) {
                if (!w.done && key.startsWith(w.prefix)) {
                    if (!w.queue.offer(new Event(key, change, value == null ? null : value.clone()))) {
                        listener.onDropped(key, "kv watch " + w.prefix + " has too many pending changes");
                    }
                }
            }
        }

        /** The connection dropped: entries not confirmed after the next re-subscribe are gone. */
        void markStale() {
            lock.lock();
            try {
                epoch++;
            } finally {
                lock.unlock();
            }
        }

        /** After the re-subscribe (which replays every retained key): drop and report what was not replayed. */
        void resync() {
            session.fence("kv resync " + root);
            lock.lock();
            try {
                for (var it = entries.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<String, Entry> me = it.next();
                    Entry e = me.getValue();
                    if (e.epoch < epoch) {
                        it.remove();
                        cancel(e);
                        if (e.live(System.nanoTime())) {
                            emit(me.getKey(), Change.DELETE, null);
                        }
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private static byte[] decode(@Nullable MqttProperties p, byte[] payload) {
        if (payload.length == 1 && p != null && p.getUserProperties() != null) {
            for (UserProperty u : p.getUserProperties()) {
                if (KIND_PROPERTY.equals(u.getKey()) && "empty".equals(u.getValue())) {
                    return new byte[0];
                }
            }
        }
        return payload;
    }

    /**
     * The remaining life of a value in milliseconds, -1 for none. A live write carries the writer's exact TTL;
     * a replayed one has spent part of it, which the broker's remaining expiry interval (whole seconds) bounds.
     */
    private static long ttlMillis(@Nullable MqttProperties p, boolean replayed) {
        if (p == null) {
            return -1;
        }
        Long brokerSeconds = p.getMessageExpiryInterval();
        long exact = -1;
        if (p.getUserProperties() != null) {
            for (UserProperty u : p.getUserProperties()) {
                if (TTL_PROPERTY.equals(u.getKey())) {
                    try {
                        exact = Long.parseLong(u.getValue());
                    } catch (NumberFormatException ignored) {
                        // a foreign writer's property
                    }
                }
            }
        }
        if (brokerSeconds == null) {
            return exact;
        }
        long broker = brokerSeconds * 1000;
        if (exact < 0) {
            return broker;
        }
        return replayed ? Math.min(exact, broker) : exact;
    }
}
