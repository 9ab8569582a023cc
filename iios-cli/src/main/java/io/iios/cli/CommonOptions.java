package io.iios.cli;

import io.iios.core.Config;
import io.iios.core.ConfigKeys;
import io.iios.core.extension.NodeExtension;
import io.iios.spi.TransportProvider;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.ServiceLoader;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options every subcommand takes: {@code --config}, {@code --transport}, {@code --verbose}. */
final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with iios.* settings (default: $IIOS_CONFIG, else iios.properties on the classpath).")
    @Nullable Path configFile;

    @Option(names = "--transport", paramLabel = "NAME",
            description = "Transport to use (sets iios.transport), e.g. memory, redis, nats, mqtt, http.")
    @Nullable String transport;

    @Option(names = {"-v", "--verbose"}, description = "Log at INFO and print stack traces of errors.")
    boolean verbose;

    /**
     * The settings: file, environment (including the environment form of every transport's keys
     * visible to the loader), system properties, then {@code --transport}.
     */
    Config config(ClassLoader loader) {
        Set<String> transportKeys = new HashSet<>();
        for (TransportProvider p : ServiceLoader.load(TransportProvider.class, loader)) {
            transportKeys.addAll(p.configKeys());
        }
        for (NodeExtension e : ServiceLoader.load(NodeExtension.class, loader)) {
            transportKeys.addAll(e.configKeys());
        }
        Config c = Config.load(configFile, System.getenv(), System.getProperties(), transportKeys);
        return transport == null ? c : c.with(ConfigKeys.TRANSPORT.key(), transport);
    }
}
