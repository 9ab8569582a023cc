/** Internals of the Redis transport (Jedis lives only here); no compatibility promise. */
@NullMarked
package io.iios.transport.redis.internal;

import org.jspecify.annotations.NullMarked;
