package io.iios.core.internal.memory;

import io.iios.spi.Capability;
import io.iios.spi.Transport;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportProvider;
import java.util.Set;

/**
 * The embedded default: each {@link #create} makes a private in-JVM broker for one node. To connect
 * several nodes of one JVM, share an {@code io.iios.core.MemoryBroker} instead.
 */
public final class MemoryTransportProvider implements TransportProvider {
    public static final String NAME = "memory";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return MemoryTransport.CAPABILITIES;
    }

    @Override
    public Transport create(TransportConfig config) {
        MemoryBrokerState state = new MemoryBrokerState();
        return new MemoryTransport(state, config.listener(), state::shutdown);
    }
}
