package io.iios.api;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the callee knows about a call. A service method receives it by declaring a parameter of this
 * type (anywhere in its parameter list; it is not a positional argument).
 *
 * @param service the service called
 * @param method the method called
 * @param userId the authenticated user, or null for anonymous calls
 * @param role the user's role when RBAC is enabled, else null
 * @param possession whether the caller's grant is {@code any} or only {@code own}; null when RBAC is off
 * @param deadline when the caller stops waiting; work past it is wasted
 * @param traceparent W3C trace context of the call, if any
 * @param callerNode the node id of the caller
 * @param privileged true only for calls a service makes on its own behalf, never from outside input
 */
public record CallContext(
        String service,
        String method,
        @Nullable String userId,
        @Nullable String role,
        @Nullable Possession possession,
        Instant deadline,
        @Nullable String traceparent,
        String callerNode,
        boolean privileged) {

    /** The user id, if the call is not anonymous. */
    public Optional<String> user() {
        return Optional.ofNullable(userId);
    }
}
