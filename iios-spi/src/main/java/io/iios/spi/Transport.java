package io.iios.spi;

import java.util.Set;

/**
 * One node's connection to a broker: a {@link KvStore} and a {@link PubSub}. Created by a
 * {@link TransportProvider}; closed by the node that owns it.
 */
public interface Transport extends AutoCloseable {

    /** The provider name, e.g. {@code redis}. */
    String name();

    /** What this connection supports; the same set as its provider declares. */
    Set<Capability> capabilities();

    /** Whether a capability is declared. */
    default boolean supports(Capability capability) {
        return capabilities().contains(capability);
    }

    KvStore kv();

    PubSub pubsub();

    /**
     * The largest payload {@link PubSub#publish(String, byte[])} accepts, as the broker reports it,
     * or {@link Long#MAX_VALUE} when the broker sets no practical limit.
     */
    default long maxPayloadBytes() {
        return Long.MAX_VALUE;
    }

    /** Releases connections, threads and subscriptions. Idempotent. */
    @Override
    void close();
}
