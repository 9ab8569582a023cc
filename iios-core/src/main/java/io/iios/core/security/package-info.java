/**
 * {@link io.iios.api.Authenticator}s a gateway facing the outside can use: bearer JWTs
 * ({@link io.iios.core.security.JwtAuthenticator}) and a user header set by a trusted proxy
 * ({@link io.iios.core.security.TrustedHeaderAuthenticator}).
 */
@NullMarked
package io.iios.core.security;

import org.jspecify.annotations.NullMarked;
