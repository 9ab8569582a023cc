package io.iios.transport.redis.internal;

import io.iios.spi.TransportException;
import io.iios.spi.TransportUnavailableException;
import io.iios.transport.redis.RedisOptions;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
        javax.net.ssl.SSLException tls = tlsFailure(e);
        if (tls != null) {
            // not "unavailable": retrying will not help until the configuration changes
            return new TransportException("Redis TLS handshake failed during " + what + ": " + tls.getMessage()
                    + (tls instanceof javax.net.ssl.SSLHandshakeException
                            ? " — the server's certificate is not trusted or does not match its address; set "
                                    + RedisOptions.TRUSTSTORE + " (and " + RedisOptions.TRUSTSTORE_PASSWORD
                                    + ") to a trust store holding the server's CA"
                            : ""), e);
        }
        if (isUnavailable(e)) {
            return new TransportUnavailableException("Redis unavailable during " + what + ": " + e.getMessage(), e);
        }
        if (e instanceof JedisException) {
            return new TransportException("Redis failed during " + what + ": " + e.getMessage(), e);
        }
        return new TransportException("Redis transport failed during " + what + ": " + e, e);
    }

    /** The TLS failure in a cause chain, if any. */
    static javax.net.ssl.@org.jspecify.annotations.Nullable SSLException tlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException ssl) {
                return ssl;
            }
        }
        return null;
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

    /**
     * Waits up to {@code timeout} for Redis to confirm a subscription; on failure runs {@code cancel} and
     * throws {@link TransportUnavailableException} naming {@code what}.
     */
    static void awaitConfirmation(Future<?> confirmed, Duration timeout, String what, Runnable cancel) {
        try {
            confirmed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            cancel.run();
            throw new TransportUnavailableException("Redis did not confirm the " + what + " within "
                    + timeout.toMillis() + "ms", e);
        } catch (InterruptedException e) {
            cancel.run();
            Thread.currentThread().interrupt();
            throw new TransportUnavailableException("interrupted while waiting for the " + what + " (subscribing)", e);
        }
    }
}
