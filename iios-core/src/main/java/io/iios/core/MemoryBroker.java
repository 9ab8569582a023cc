package io.iios.core;

import io.iios.core.internal.memory.MemoryBrokerState;
import io.iios.core.internal.memory.MemoryTransport;
import io.iios.spi.Transport;
import io.iios.spi.TransportListener;

/**
 * An in-JVM broker with every capability (TTL, CAS, watch, queue groups). Nodes that should see each
 * other connect to the same broker:
 *
 * <pre>{@code
 * MemoryBroker broker = MemoryBroker.create();
 * IiosNode bob = Iios.builder().transport(broker.connect()).service(new Bob()).start();
 * IiosNode gw  = Iios.builder().transport(broker.connect()).start();
 * }</pre>
 */
public final class MemoryBroker implements AutoCloseable {
    private final MemoryBrokerState state = new MemoryBrokerState();

    private MemoryBroker() {
    }

    public static MemoryBroker create() {
        return new MemoryBroker();
    }

    /** A new connection; closing it drops its subscriptions, as a lost TCP connection would. */
    public Transport connect() {
        return connect(TransportListener.NONE);
    }

    /** A new connection reporting background events to a listener. */
    public Transport connect(TransportListener listener) {
        return new MemoryTransport(state, listener, null);
    }

    /** Stops the broker's timer thread; connections stop seeing expiries. */
    @Override
    public void close() {
        state.shutdown();
    }
}
