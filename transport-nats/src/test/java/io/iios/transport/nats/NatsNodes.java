package io.iios.transport.nats;

import io.iios.core.Config;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Real IIOS nodes on a NATS deployment, in a namespace of their own; closes them and deletes their bucket. */
final class NatsNodes implements AutoCloseable {
    final String namespace = NatsTestSupport.namespace();
    private final Map<String, String> settings;
    private final String cleanupUrl;
    private final List<IiosNode> nodes = new ArrayList<>();

    /** @param settings {@code iios.nats.*} settings; @param cleanupUrl where to delete the bucket afterwards, or null */
    NatsNodes(Map<String, String> settings, String cleanupUrl) {
        this.settings = settings;
        this.cleanupUrl = cleanupUrl;
    }

    Iios.Builder builder() {
        return Iios.builder().config(Config.of(settings))
                .set("iios.namespace", namespace)
                .set("iios.transport", "nats")
                .set("iios.discovery.ttl", "1500ms")
                .set("iios.discovery.heartbeat", "300ms");
    }

    IiosNode start(Iios.Builder b) {
        IiosNode n = b.start();
        nodes.add(n);
        return n;
    }

    IiosNode gateway() {
        return start(builder());
    }

    IiosNode bob() {
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
        if (cleanupUrl != null) {
            NatsTestSupport.deleteBucket(cleanupUrl, namespace);
        }
    }
}
