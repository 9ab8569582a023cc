package io.iios.examples.transport;

import io.iios.spi.Capability;
import io.iios.spi.Transport;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportProvider;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The provider, found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.iios.spi.TransportProvider}. {@code iios.example.broker} names the
 * broker to join (as a real transport's URI would); connections with the same name share one broker.
 */
public final class ExampleTransportProvider implements TransportProvider {
    public static final String NAME = "example";
    public static final String BROKER_KEY = "iios.example.broker";

    /** The "network": in-process brokers by name. */
    private static final Map<String, ExampleBroker> BROKERS = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return ExampleTransport.CAPABILITIES;
    }

    @Override
    public Set<String> configKeys() {
        return Set.of(BROKER_KEY);
    }

    @Override
    public Transport create(TransportConfig config) {
        String broker = config.get(BROKER_KEY).orElse("default");
        return new ExampleTransport(BROKERS.computeIfAbsent(broker, b -> new ExampleBroker()), config.listener());
    }
}
