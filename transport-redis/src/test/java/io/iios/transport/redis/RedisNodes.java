package io.iios.transport.redis;

import io.iios.core.Config;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Real IIOS nodes on a Redis deployment, in a namespace of their own; closes them and deletes their keys. */
final class RedisNodes implements AutoCloseable {
    final String namespace = RedisTestSupport.namespace();
    private final Map<String, String> settings;
    private final String cleanupUri;
    private final List<IiosNode> nodes = new ArrayList<>();

    /** @param settings {@code iios.redis.*} settings; @param cleanupUri where to delete keys afterwards, or null */
    RedisNodes(Map<String, String> settings, String cleanupUri) {
        this.settings = settings;
        this.cleanupUri = cleanupUri;
    }

    Iios.Builder builder() {
        return Iios.builder().config(Config.of(settings))
                .set("iios.namespace", namespace)
                .set("iios.transport", "redis")
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
        if (cleanupUri != null) {
            RedisTestSupport.deleteNamespace(cleanupUri, namespace);
        }
    }
}
