package io.iios.core.testprovider;

import io.iios.core.MemoryBroker;
import io.iios.spi.Capability;
import io.iios.spi.KvStore;
import io.iios.spi.PubSub;
import io.iios.spi.Transport;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportProvider;
import java.util.EnumSet;
import java.util.Set;

/**
 * A stand-in for a broker transport jar (registered in the test classpath's
 * {@code META-INF/services}), so selection can be tested end to end through {@link java.util.ServiceLoader}.
 * Each {@link #create} makes its own private {@link MemoryBroker}, so it behaves exactly like the
 * memory transport and nodes created through it never see each other.
 */
public final class FakeBrokerTransportProvider implements TransportProvider {
    public static final String NAME = "fake";
    private final String name;

    /** The instance {@link java.util.ServiceLoader} creates, named {@value #NAME}. */
    public FakeBrokerTransportProvider() {
        this(NAME);
    }

    /** A provider with another name, to put several "broker" transports side by side. */
    public FakeBrokerTransportProvider(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.copyOf(EnumSet.allOf(Capability.class));
    }

    @Override
    public Transport create(TransportConfig config) {
        MemoryBroker broker = MemoryBroker.create();
        Transport delegate = broker.connect(config.listener());
        return new Transport() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<Capability> capabilities() {
                return delegate.capabilities();
            }

            @Override
            public KvStore kv() {
                return delegate.kv();
            }

            @Override
            public PubSub pubsub() {
                return delegate.pubsub();
            }

            @Override
            public void close() {
                try {
                    delegate.close();
                } finally {
                    broker.close();
                }
            }
        };
    }

    @Override
    public String toString() {
        return "FakeBrokerTransportProvider[" + name + "]";
    }
}
