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

    /**
     * node-v2 only: serves Node IIOS 2.x's HTTP RPC route {@code <verb> /api/<method>} for the services this
     * node hosts (docs/migrating-from-node.md): {@code body} is the request body as received (JSON
     * {@code {"rq": base64 BSON}} or urlencoded {@code rq=}), {@code userId} and {@code privileged} the
     * headers of those names (or null). Completes with the JSON answer ({@code {"result": base64 BSON}} or
     * {@code {"err": ...}}), always to be sent with status 200; fails with
     * {@link io.iios.api.ServiceUnavailableException} when no hosted service serves that verb and method
     * (HTTP 404, as Node answers).
     */
    default CompletableFuture<byte[]> handleNodeV2Api(String verb, String method, byte[] body, String contentType,
            @org.jspecify.annotations.Nullable String userId, @org.jspecify.annotations.Nullable String privileged,
            Duration maxWait) {
        return CompletableFuture.failedFuture(new io.iios.api.ServiceUnavailableException("not a node-v2 node"));
    }

    /** Whether the transport's connection to its broker is up, as the transport last reported. */
    boolean brokerUp();
}
