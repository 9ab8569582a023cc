package io.iios.core.extension;

import io.iios.api.InstanceInfo;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Carries a call straight to an instance's HTTP endpoint ({@link InstanceInfo#httpEndpoint()}), for
 * {@code iios.call.route=http}, for {@code auto} when the broker path fails, and for broker-less nodes.
 * The caller's pending-call table, signatures and typed errors stay in core: the route only moves bytes.
 */
public interface CallRoute {

    /**
     * Sends an encoded request envelope and completes with the encoded reply envelope.
     *
     * @param method the method called (the envelope names it too; the route may put it in a URL)
     * @param timeout the time left until the call's deadline; the route must give up by then, or abort the
     *     exchange when core cancels the returned future (core does so when the deadline passes first)
     * @return completes exceptionally with an {@link io.iios.api.IiosException} (e.g.
     *     {@link io.iios.api.TransportFailureException} when the endpoint cannot be reached)
     */
    CompletableFuture<byte[]> send(InstanceInfo target, String method, byte[] request, Duration timeout);

    /**
     * True when {@code iios.call.route=auto} should use this route before the broker, e.g. when the node's
     * transport is itself HTTP and relays through discovery servers.
     */
    default boolean preferred() {
        return false;
    }
}
