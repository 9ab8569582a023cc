package io.iios.testsupport;

import io.iios.core.Config;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Real IIOS nodes on one transport, in a namespace of their own (short discovery TTL and heartbeat);
 * {@link #close()} closes them all and then cleans the namespace up on the broker.
 */
public class TestNodes implements AutoCloseable {
    public final String namespace = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    public final String transport;
    private final Map<String, String> settings;
    private final @Nullable Consumer<String> cleanup;
    private final List<IiosNode> nodes = new ArrayList<>();

    /**
     * @param transport the transport name ({@code iios.transport})
     * @param settings the transport's settings
     * @param cleanup deletes what the namespace left on the broker, or null
     */
    public TestNodes(String transport, Map<String, String> settings, @Nullable Consumer<String> cleanup) {
        this.transport = transport;
        this.settings = settings;
        this.cleanup = cleanup;
    }

    public Iios.Builder builder() {
        return Iios.builder().config(Config.of(settings))
                .set("iios.namespace", namespace)
                .set("iios.transport", transport)
                .set("iios.discovery.ttl", "1500ms")
                .set("iios.discovery.heartbeat", "300ms");
    }

    public IiosNode start(Iios.Builder b) {
        IiosNode n = b.start();
        nodes.add(n);
        return n;
    }

    /** A node hosting no service. */
    public IiosNode gateway() {
        return start(builder());
    }

    /** A node hosting one {@link Bob}. */
    public IiosNode bob() {
        return start(builder().service(new Bob()));
    }

    @Override
    public void close() {
        for (IiosNode n : nodes) {
            try {
                n.close();
            } catch (RuntimeException e) {
                // keep closing the others
            }
        }
        if (cleanup != null) {
            cleanup.accept(namespace);
        }
    }
}
