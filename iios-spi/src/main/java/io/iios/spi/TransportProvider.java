package io.iios.spi;

import java.util.Set;

/**
 * Factory for a {@link Transport}, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.iios.spi.TransportProvider}). A small factory: no logic at load time.
 *
 * <p>Selection (done by core): exactly one non-memory provider on the classpath is used; with several,
 * {@code iios.transport} must name one; with none, the embedded {@code memory} transport is used.
 */
public interface TransportProvider {

    /** Unique, lower-case name: {@code memory}, {@code redis}, {@code nats}, {@code mqtt}, {@code http}, … */
    String name();

    /** The optional capabilities every transport this provider creates supports. */
    Set<Capability> capabilities();

    /**
     * The configuration keys this transport reads (e.g. {@code iios.redis.uri}), so that core can map
     * environment variables to them and warn about unknown keys.
     */
    default Set<String> configKeys() {
        return Set.of();
    }

    /**
     * Whether core may pick this provider without {@code iios.transport} naming it (when it is the only
     * non-memory provider on the classpath). A provider whose jar is mostly added for something else
     * (the {@code http} module brings an HTTP route and gateway to nodes on any broker) returns false, so
     * adding that jar never changes which broker a node uses.
     */
    default boolean selectedImplicitly() {
        return true;
    }

    /**
     * Creates a connected transport.
     *
     * @throws TransportException when the configuration is invalid (naming the key) or the broker
     *     cannot be reached
     */
    Transport create(TransportConfig config);
}
