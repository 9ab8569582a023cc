package io.iios.api;

import java.util.List;

/**
 * A running IIOS node: it hosts zero or more services and has a {@link Gateway} and {@link Events}.
 * Created and started by {@code io.iios.core.Iios.builder()}; several may live in one JVM.
 */
public interface Node extends AutoCloseable {

    /** Unique id of this node. */
    String nodeId();

    /** The namespace the node lives in. */
    String namespace();

    Gateway gateway();

    Events events();

    /** Named streams: open one, or bind to one another node opened. */
    Streams streams();

    /** Handles of the services this node hosts. */
    List<ServiceHandle> services();

    /** Deregisters hosted services (deleting only their own records), then disconnects. Idempotent. */
    @Override
    void close();
}
