package io.iios.examples.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A toy in-process broker, standing in for a real one. Topics are levels joined by {@code /};
 * filters use {@code +} (one level) and {@code #} (every remaining level, including none), as MQTT
 * does. The KV store keeps an expiry time per key and forgets expired keys when they are read.
 * It knows nothing of IIOS: mapping the IIOS grammar onto it is the transport's job.
 */
public final class ExampleBroker {
    private record Entry(byte[] value, long expiresAtNanos) {
        boolean live(long now) {
            return expiresAtNanos == 0 || now - expiresAtNanos < 0;
        }
    }

    /** A subscriber: a topic filter and where matching messages go. */
    public record Subscriber(String filter, BiConsumer<String, byte[]> sink) {
    }

    private final Map<String, Entry> store = new ConcurrentHashMap<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    // ------------------------------------------------------------------ KV

    public Optional<byte[]> get(String key) {
        Entry e = store.get(key);
        if (e == null || !e.live(System.nanoTime())) {
            return Optional.empty();
        }
        return Optional.of(e.value().clone());
    }

    /** Stores a value; {@code ttlNanos} 0 means no expiry. */
    public void set(String key, byte[] value, long ttlNanos) {
        store.put(key, new Entry(value.clone(), expiry(ttlNanos)));
    }

    /** Stores a value only when the key is absent or expired; atomic. */
    public boolean setIfAbsent(String key, byte[] value, long ttlNanos) {
        boolean[] stored = new boolean[1];
        store.compute(key, (k, old) -> {
            if (old != null && old.live(System.nanoTime())) {
                return old;
            }
            stored[0] = true;
            return new Entry(value.clone(), expiry(ttlNanos));
        });
        return stored[0];
    }

    /** Removes a key; true when it was there and live. */
    public boolean remove(String key) {
        Entry old = store.remove(key);
        return old != null && old.live(System.nanoTime());
    }

    /** Live keys starting with a prefix; drops expired keys on the way. */
    public List<String> scan(String prefix) {
        long now = System.nanoTime();
        List<String> out = new ArrayList<>();
        store.forEach((k, e) -> {
            if (!e.live(now)) {
                store.remove(k, e);
            } else if (k.startsWith(prefix)) {
                out.add(k);
            }
        });
        return out;
    }

    private static long expiry(long ttlNanos) {
        if (ttlNanos <= 0) {
            return 0;
        }
        long at = System.nanoTime() + ttlNanos;
        return at == 0 ? 1 : at;
    }

    // ------------------------------------------------------------------ pub/sub

    public void subscribe(Subscriber s) {
        subscribers.add(s);
    }

    public void unsubscribe(Subscriber s) {
        subscribers.remove(s);
    }

    /** Hands a copy of the message to every subscriber whose filter matches, on the caller's thread. */
    public void publish(String topic, byte[] payload) {
        for (Subscriber s : subscribers) {
            if (matches(s.filter(), topic)) {
                s.sink().accept(topic, payload.clone());
            }
        }
    }

    /** MQTT-style matching: {@code +} is one level, a final {@code #} is every remaining level (or none). */
    static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
