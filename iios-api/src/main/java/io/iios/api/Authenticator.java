package io.iios.api;

import java.util.Optional;

/**
 * Turns a caller's credentials into a {@link Principal}; the only way a user id enters IIOS.
 * A gateway that faces the outside (e.g. the HTTP gateway) calls it for every request and then calls
 * services with {@link Gateway#as(Principal)}; it never takes a user id from the request itself.
 *
 * <p>Implementations must be thread-safe, must not throw for bad credentials (return empty), and
 * must check everything that makes credentials valid (signature, expiry, issuer, audience, origin).
 */
@FunctionalInterface
public interface Authenticator {

    /** The authenticated caller, or empty when the credentials are missing or not valid. */
    Optional<Principal> authenticate(Credentials credentials);
}
