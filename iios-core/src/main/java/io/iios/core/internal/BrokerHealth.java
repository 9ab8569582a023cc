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

    /**
     * How long after the broker comes back calls still prefer an instance's HTTP route (when it has one
     * and {@code iios.call.route=auto}): other nodes may not have re-subscribed yet, and a request published
     * to an inbox nobody listens on is lost (pub/sub is at-most-once). Longer than the default reconnect
     * back-off ceiling of the transports (Redis 5 s), so every node has re-subscribed when it ends.
     */
    long RECOVERY_GRACE_NANOS = 6_000_000_000L;

    /** Whether the connection is up now. */
    boolean up();

    /** How many times the connection went down since the node started. */
    long outages();

    /** {@link System#nanoTime()} when the connection last came back after an outage, or 0 if it never did. */
    default long recoveredAtNanos() {
        return 0;
    }

    /** True while the broker came back less than {@link #RECOVERY_GRACE_NANOS} ago. */
    default boolean recovering() {
        long at = recoveredAtNanos();
        return at != 0 && System.nanoTime() - at < RECOVERY_GRACE_NANOS;
    }
}
