package io.iios.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A key-value store shared by every node of a deployment.
 *
 * <p>Keys follow the {@link Channel} grammar (no wildcards); values are opaque bytes and must be
 * stored byte-exact (all 256 byte values, empty arrays, at least 1 MiB). Methods block the calling
 * thread (core calls them from virtual threads) and must be thread-safe. Broker failures surface as
 * {@link TransportException}, and promptly as {@link TransportUnavailableException} while the broker
 * is unreachable.
 */
public interface KvStore {

    /** The value stored under a key, or empty when absent or expired. */
    Optional<byte[]> get(String key);

    /**
     * Stores a value, replacing any previous one.
     *
     * @param ttl when non-null the key must disappear after about this long (capability
     *     {@link Capability#KV_TTL}; without it a non-null ttl must throw
     *     {@link UnsupportedCapabilityException}); null keeps the key until deleted
     */
    void put(String key, byte[] value, @Nullable Duration ttl);

    /** Stores a value with no time-to-live. */
    default void put(String key, byte[] value) {
        put(key, value, null);
    }

    /**
     * Stores a value only if the key is absent, atomically across every client of the store
     * (capability {@link Capability#KV_CAS}; without it this must throw
     * {@link UnsupportedCapabilityException}). Exactly one of concurrent callers wins.
     *
     * @return true when this call stored the value
     */
    boolean putIfAbsent(String key, byte[] value, @Nullable Duration ttl);

    /**
     * Removes a key.
     *
     * @return true when the key existed
     */
    boolean delete(String key);

    /**
     * Keys that start with the prefix (a plain string prefix, usually ending in {@code ':'}), in no
     * particular order. Must not block the broker for large key sets (e.g. Redis SCAN, never KEYS).
     */
    List<String> keys(String prefix);

    /**
     * Reports changes under a prefix (capability {@link Capability#KV_WATCH}; without it this must
     * throw {@link UnsupportedCapabilityException} and core falls back to polling). Puts, deletes and
     * expiries made by any client must reach the listener, in order per key, off the broker's I/O
     * thread; a throwing listener must not end the watch.
     *
     * @return a handle that stops the watch when closed
     */
    Subscription watch(String prefix, KvListener listener);
}
