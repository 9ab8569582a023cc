/**
 * The Redis transport: {@link io.iios.transport.redis.RedisTransportProvider} (found with
 * {@link java.util.ServiceLoader}) and its settings, {@link io.iios.transport.redis.RedisOptions}.
 * Everything else is in {@code io.iios.transport.redis.internal} and carries no compatibility promise.
 */
@NullMarked
package io.iios.transport.redis;

import org.jspecify.annotations.NullMarked;
