package io.iios.core.internal;

/** The transport's connection state as it reported it, for call routing and discovery expiry. */
public interface BrokerHealth {

    /** A broker that is never reported down. */
    BrokerHealth ALWAYS_UP = new BrokerHealth() {
        @Override
        public boolean up() {
            return true;
        }

        @Override
        public long outages() {
            return 0;
        }
    };

    /** Whether the connection is up now. */
    boolean up();

    /** How many times the connection went down since the node started. */
    long outages();

    /**
     * Runs {@code action} each time the connection goes down (on the transport's thread: it must not block).
     * Brokers that are never reported down never run it.
     */
    default void whenDown(Runnable action) {
    }

    /** {@link System#nanoTime()} when the connection last came back after an outage, or 0 if it never did. */
    default long recoveredAtNanos() {
        return 0;
    }

    /**
     * True while the broker came back less than {@code grace} ago ({@code iios.call.recovery-grace}): other nodes
     * may not have re-subscribed yet, and a request published to an inbox nobody listens on is lost (pub/sub is
     * at-most-once), so calls to instances with an HTTP route keep taking it.
     */
    default boolean recovering(java.time.Duration grace) {
        long at = recoveredAtNanos();
        return at != 0 && System.nanoTime() - at < grace.toNanos();
    }
}
