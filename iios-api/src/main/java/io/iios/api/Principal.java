package io.iios.api;

import java.util.Map;

/**
 * An authenticated caller, as an {@link Authenticator} returns it.
 *
 * @param userId the user id RBAC binds to a role; never empty
 * @param claims what the authenticator learnt about the caller (e.g. JWT claims); may be empty
 */
public record Principal(String userId, Map<String, Object> claims) {

    public Principal {
        if (userId.isEmpty()) {
            throw new IllegalArgumentException("a principal needs a non-empty user id");
        }
        claims = Map.copyOf(claims);
    }

    public static Principal of(String userId) {
        return new Principal(userId, Map.of());
    }
}
