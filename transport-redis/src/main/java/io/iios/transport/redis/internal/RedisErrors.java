package io.iios.transport.redis.internal;

import io.iios.spi.TransportException;
import io.iios.spi.TransportUnavailableException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** Wraps Jedis exceptions at the transport edge, keeping the cause. */
final class RedisErrors {
    private RedisErrors() {
    }

    static TransportException wrap(String what, RuntimeException e) {
        if (e instanceof TransportException te) {
            return te;
        }
        if (isUnavailable(e)) {
            return new TransportUnavailableException("Redis unavailable during " + what + ": " + e.getMessage(), e);
        }
        if (e instanceof JedisException) {
            return new TransportException("Redis failed during " + what + ": " + e.getMessage(), e);
        }
        return new TransportException("Redis transport failed during " + what + ": " + e, e);
    }

    /** A lost or refused connection, or a server that cannot serve right now (loading, demoted master). */
    static boolean isUnavailable(Throwable e) {
        if (e instanceof JedisConnectionException) {
            return true;
        }
        if (e instanceof JedisDataException de && de.getMessage() != null) {
            String m = de.getMessage();
            return m.startsWith("READONLY") || m.startsWith("LOADING") || m.startsWith("MASTERDOWN")
                    || m.startsWith("CLUSTERDOWN") || m.startsWith("TRYAGAIN");
        }
        return e.getCause() != null && e.getCause() != e && isUnavailable(e.getCause());
    }
}
