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
}
