package io.iios.api;

import org.jspecify.annotations.Nullable;

/** A running service instance, as its own code sees it. */
public interface ServiceHandle {

    String name();

    String instanceId();

    /**
     * Pushes an event to every subscriber of {@code ns:<service>:event:<name>}, {@code ns:<service>:event}
     * and {@code ns:event}. Inside a call, the caller's user id goes into the meta.
     */
    void pushEvent(String name, @Nullable Object payload);

    /** Named streams of the node hosting this instance. */
    Streams streams();

    /**
     * A gateway for calls this service makes on its own behalf: they carry no user id and the callee
     * skips RBAC, showing {@link CallContext#privileged()}. Only in-process service code can get one;
     * no message from outside can make a call privileged (with {@code iios.security.key} set, the flag
     * is covered by the envelope's signature).
     */
    Gateway privilegedGateway();
}
