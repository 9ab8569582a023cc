package io.iios.tck;

import io.iios.core.MemoryBroker;
import io.iios.spi.Capability;
import io.iios.spi.Transport;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportListener;
import io.iios.spi.TransportProvider;
import io.iios.tck.internal.TckProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one thing a kit needs from a transport: new connections to one broker.
 *
 * <p>The kits build several nodes and raw clients per test on the same broker, each with its own
 * {@link #connect(TransportListener)}; they use random namespaces and delete what they wrote, so the
 * broker may be shared with other tests. A kit calls its hook once per test and uses that target for
 * the whole test.
 *
 * <p>A transport may ship a {@code tck.properties} resource next to its provider class (same package)
 * with {@code timeout.multiplier} (a factor applied to every wait of the kits, for slow brokers) and
 * {@code restart.command} (a shell command that restarts the broker, enabling {@link #brokerControl()}).
 * The system property {@code iios.tck.timeout-multiplier} overrides the multiplier.
 */
public interface TransportUnderTest {

    /** The transport's name, as its provider declares it. */
    String name();

    /** The capabilities the transport declares; the kits check both what is and what is not declared. */
    Set<Capability> capabilities();

    /**
     * A new connection to the same broker as every other connection of this target.
     *
     * @param listener where the connection reports background failures
     */
    Transport connect(TransportListener listener);

    /** A factor (at least 1) applied to every wait of the kits; from {@code tck.properties}. */
    default double timeoutMultiplier() {
        return TckProperties.of(getClass()).timeoutMultiplier();
    }

    /** Control over the broker, when the target offers it; recovery tests are skipped otherwise. */
    default Optional<BrokerControl> brokerControl() {
        return TckProperties.of(getClass()).restartCommand();
    }

    /**
     * The same target with this control over its broker, e.g. a broker process the test owns, so the
     * recovery tests run: {@code base.withBrokerControl(() -> { server.kill(); server.startAgain(); })}.
     */
    default TransportUnderTest withBrokerControl(BrokerControl control) {
        TransportUnderTest base = this;
        return new TransportUnderTest() {
            @Override
            public String name() {
                return base.name();
            }

            @Override
            public Set<Capability> capabilities() {
                return base.capabilities();
            }

            @Override
            public Transport connect(TransportListener listener) {
                return base.connect(listener);
            }

            @Override
            public double timeoutMultiplier() {
                return base.timeoutMultiplier();
            }

            @Override
            public Optional<BrokerControl> brokerControl() {
                return Optional.of(control);
            }

            @Override
            public String toString() {
                return base + " (with broker control)";
            }
        };
    }

    /**
     * A target on one new in-JVM {@link MemoryBroker}. Every connection of the returned target reaches
     * the same broker; keep one target per test class (or share it) rather than one per test.
     */
    static TransportUnderTest memory() {
        MemoryBroker broker = MemoryBroker.create();
        Set<Capability> caps;
        try (Transport probe = broker.connect()) {
            caps = Set.copyOf(probe.capabilities());
        }
        return new TransportUnderTest() {
            @Override
            public String name() {
                return "memory";
            }

            @Override
            public Set<Capability> capabilities() {
                return caps;
            }

            @Override
            public Transport connect(TransportListener listener) {
                return broker.connect(listener);
            }

            @Override
            public String toString() {
                return "memory (one in-JVM broker)";
            }
        };
    }

    /**
     * A target whose connections are {@code provider.create(...)} with this configuration; the provider
     * must connect every transport it creates with one configuration to the same broker. The namespace
     * given to the provider is {@code iios.namespace} from the configuration, else {@code iios}; the
     * kits put their own namespace in front of every key and channel anyway.
     */
    static TransportUnderTest fromProvider(TransportProvider provider, Map<String, String> config) {
        Map<String, String> settings = Map.copyOf(config);
        String namespace = settings.getOrDefault("iios.namespace", "iios");
        TckProperties props = TckProperties.of(provider.getClass());
        Set<Capability> caps = Set.copyOf(provider.capabilities());
        return new TransportUnderTest() {
            @Override
            public String name() {
                return provider.name();
            }

            @Override
            public Set<Capability> capabilities() {
                return caps;
            }

            @Override
            public Transport connect(TransportListener listener) {
                return provider.create(TransportConfig.of(namespace, settings, listener));
            }

            @Override
            public double timeoutMultiplier() {
                return props.timeoutMultiplier();
            }

            @Override
            public Optional<BrokerControl> brokerControl() {
                return props.restartCommand();
            }

            @Override
            public String toString() {
                return provider.name() + " (provider " + provider.getClass().getName() + ")";
            }
        };
    }

    /**
     * The target for a transport found by name with {@link ServiceLoader}. {@code memory} gives
     * {@link #memory()}, since a provider-created memory transport is a private broker per connection.
     *
     * @throws IllegalArgumentException when no provider has that name; the message lists the names found
     */
    static TransportUnderTest fromProviderName(String name, Map<String, String> config, ClassLoader loader) {
        if (name.equals("memory")) {
            return memory();
        }
        Set<String> known = new TreeSet<>();
        List<TransportProvider> found = new ArrayList<>();
        for (TransportProvider p : ServiceLoader.load(TransportProvider.class, loader)) {
            known.add(p.name());
            if (p.name().equals(name)) {
                found.add(p);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no transport named '" + name + "' on the classpath; available: "
                    + String.join(", ", known) + " (add the transport's jar with --classpath JAR)");
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException("several providers are named '" + name + "': "
                    + found.stream().map(p -> p.getClass().getName()).toList());
        }
        return fromProvider(found.get(0), config);
    }
}
