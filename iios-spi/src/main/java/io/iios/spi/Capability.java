package io.iios.spi;

/**
 * Optional abilities a transport may declare in {@link TransportProvider#capabilities()}.
 *
 * <p>A declared capability must work as its contract says; an operation whose capability is
 * not declared must fail at once with {@link UnsupportedCapabilityException}, never hang or
 * half-work. The TCK checks both directions.
 */
public enum Capability {
    /** {@link KvStore#put(String, byte[], java.time.Duration)} honours a time-to-live. */
    KV_TTL,
    /** {@link KvStore#putIfAbsent(String, byte[], java.time.Duration)} is atomic across all clients. */
    KV_CAS,
    /** {@link KvStore#watch(String, KvListener)} reports puts, deletes and expiries. */
    KV_WATCH,
    /** {@link PubSub#subscribe(String, String, MessageHandler)} delivers each message to one member of a group. */
    QUEUE_GROUPS
}
