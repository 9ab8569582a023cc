package io.iios.core.internal;

import io.iios.api.ConfigException;
import io.iios.core.internal.memory.MemoryTransportProvider;
import io.iios.spi.EncoderProvider;
import io.iios.spi.TransportProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deterministic choice of a transport and an encoder among the providers on the classpath (design §3):
 * an explicit {@code iios.transport} must name one; otherwise exactly one non-memory provider is used;
 * with several the error lists them; with none the embedded memory transport is used, said once at INFO.
 * Never "first on the classpath".
 */
public final class ProviderSelection {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderSelection.class);

    private ProviderSelection() {
    }

    /** Every transport provider visible to a class loader. */
    public static List<TransportProvider> transports(ClassLoader loader) {
        List<TransportProvider> out = new ArrayList<>();
        ServiceLoader.load(TransportProvider.class, loader).forEach(out::add);
        return out;
    }

    /** Every node extension visible to a class loader (e.g. the HTTP module's route and gateway). */
    public static List<io.iios.core.extension.NodeExtension> extensions(ClassLoader loader) {
        List<io.iios.core.extension.NodeExtension> out = new ArrayList<>();
        ServiceLoader.load(io.iios.core.extension.NodeExtension.class, loader).forEach(out::add);
        return out;
    }

    /** Every encoder provider visible to a class loader. */
    public static List<EncoderProvider> encoders(ClassLoader loader) {
        List<EncoderProvider> out = new ArrayList<>();
        ServiceLoader.load(EncoderProvider.class, loader).forEach(out::add);
        return out;
    }

    /**
     * Picks the transport provider.
     *
     * @param requested the value of {@code iios.transport}, empty when unset
     */
    public static TransportProvider transport(Optional<String> requested, List<TransportProvider> available) {
        TreeSet<String> names = new TreeSet<>();
        available.forEach(p -> names.add(p.name()));
        if (requested.isPresent()) {
            String name = requested.get();
            List<TransportProvider> matching = available.stream().filter(p -> p.name().equals(name)).toList();
            if (matching.isEmpty()) {
                throw new ConfigException("unknown transport '" + name + "' in iios.transport; available: " + names
                        + hint(name));
            }
            if (matching.size() > 1) {
                throw new ConfigException("several providers are named '" + name + "' on the classpath: "
                        + matching.stream().map(p -> p.getClass().getName()).toList());
            }
            return matching.get(0);
        }
        List<TransportProvider> real = available.stream()
                .filter(p -> !p.name().equals(MemoryTransportProvider.NAME) && p.selectedImplicitly()).toList();
        if (real.size() == 1) {
            return real.get(0);
        }
        if (real.size() > 1) {
            throw new ConfigException("several transports are on the classpath: "
                    + real.stream().map(TransportProvider::name).sorted().toList()
                    + "; choose one with iios.transport=NAME (environment IIOS_TRANSPORT)");
        }
        TransportProvider memory = available.stream().filter(p -> p.name().equals(MemoryTransportProvider.NAME))
                .findFirst().orElseGet(MemoryTransportProvider::new);
        LOG.info("no broker transport on the classpath: using the embedded in-memory transport "
                + "(add e.g. io.iios:iios-transport-redis to reach other processes)");
        return memory;
    }

    private static String hint(String name) {
        return switch (name) {
            case "redis", "nats", "mqtt", "http" -> " (add the artifact io.iios:iios-transport-" + name
                    + " to the classpath)";
            default -> "";
        };
    }

    /** Picks the encoder provider named by {@code iios.encoder}. */
    public static EncoderProvider encoder(String requested, List<EncoderProvider> available) {
        List<EncoderProvider> matching = available.stream().filter(p -> p.name().equals(requested)).toList();
        if (matching.size() == 1) {
            return matching.get(0);
        }
        TreeSet<String> names = new TreeSet<>();
        available.forEach(p -> names.add(p.name()));
        if (matching.isEmpty()) {
            throw new ConfigException("unknown encoder '" + requested + "' in iios.encoder; available: " + names);
        }
        throw new ConfigException("several encoders are named '" + requested + "': "
                + matching.stream().map(p -> p.getClass().getName()).toList());
    }
}
