package io.iios.core.extension;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Joins every node started while its jar is on the classpath, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.iios.core.extension.NodeExtension}). No work at class-load time.
 *
 * <p>{@link #attach(NodeContext)} runs once per node, after the transport is connected and before the
 * node's services register, so that an endpoint it returns is in their instance records. It must not
 * block for long; a failure stops the node's start.
 */
public interface NodeExtension {

    /** A short lower-case name, for logs. */
    String name();

    /** The configuration keys the extension reads, so core neither warns about them nor misses their environment form. */
    default Set<String> configKeys() {
        return Set.of();
    }

    /**
     * Joins a starting node.
     *
     * @return what the extension runs for this node, closed with it; null when it stays inactive (e.g.
     *     switched off by configuration)
     */
    @Nullable Attachment attach(NodeContext node);

    /** What an extension runs for one node. */
    interface Attachment extends AutoCloseable {

        /** Base URL of this node's HTTP intercall route, advertised in its instance records; null for none. */
        default @Nullable String httpEndpoint() {
            return null;
        }

        /** A route for calls to instances that advertise an HTTP endpoint; null for none. */
        default @Nullable CallRoute callRoute() {
            return null;
        }

        /** Stops what {@link #attach} started. Called once, when the node closes or aborts. */
        @Override
        void close();
    }
}
