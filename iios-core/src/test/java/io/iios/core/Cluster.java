package io.iios.core;

import io.iios.spi.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Several nodes on one in-JVM broker, in a namespace of their own; closes everything. */
final class Cluster implements AutoCloseable {
    final MemoryBroker broker = MemoryBroker.create();
    final String namespace = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<IiosNode> nodes = new ArrayList<>();

    Iios.Builder builder() {
        return Iios.builder().config(Config.of(java.util.Map.of()))
                .set("iios.namespace", namespace)
                .set("iios.discovery.ttl", "1500ms")
                .set("iios.discovery.heartbeat", "300ms")
                .transport(broker::connect);
    }

    IiosNode start(Iios.Builder b) {
        IiosNode n = b.start();
        nodes.add(n);
        return n;
    }

    IiosNode gateway() {
        return start(builder());
    }

    IiosNode bob(Bob bob) {
        return start(builder().service(bob));
    }

    /** A raw connection to the broker, as an attacker or a foreign client would have. */
    Transport raw() {
        return broker.connect();
    }

    static Duration wait(int seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Override
    public void close() {
        nodes.forEach(IiosNode::close);
        broker.close();
    }
}
