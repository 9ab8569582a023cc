package io.iios.core.extension;

import io.iios.core.Config;
import io.iios.core.IiosNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** What a {@link NodeExtension} gets from the node it joins. */
public interface NodeContext {

    /** The node (still starting: its services register after every extension attached). */
    IiosNode node();

    /** The node's configuration, every source merged. */
    Config config();

    /**
     * Handles an encoded request envelope for a service this node hosts exactly as the instance's
     * broker inbox would (size, signature, deadline, RBAC and argument checks included) and completes
     * with the encoded reply envelope (signed when the node has a key).
     *
     * <p>Completes exceptionally with {@link io.iios.api.ServiceUnavailableException} when the node does
     * not host the service, and with {@link io.iios.api.CallTimeoutException} when no reply comes within
     * {@code maxWait} (the request was dropped: undecodable, unsigned, forged, stale or expired — such
     * requests get no reply on the broker either).
     *
     * <p>Called on a virtual thread, it runs the method on that thread (no hand-off): the future is usually
     * complete when it returns.
     */
    CompletableFuture<byte[]> handleRequest(String service, byte[] request, Duration maxWait);

    /** Whether the transport's connection to its broker is up, as the transport last reported. */
    boolean brokerUp();
}
