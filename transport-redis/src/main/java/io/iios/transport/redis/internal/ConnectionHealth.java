package io.iios.transport.redis.internal;

import io.iios.spi.TransportListener;
import io.iios.spi.TransportUnavailableException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Whether the broker is reachable, as the subscriber connection sees it (it is the one connection that
 * is always open, so it notices a lost broker first). Operations fail fast while it is down.
 */
final class ConnectionHealth {
    private final TransportListener listener;
    private final String where;
    private final Runnable onReconnect;
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean up;
    private volatile boolean everUp;
    private volatile @Nullable Throwable lastFailure;

    ConnectionHealth(TransportListener listener, String where, Runnable onReconnect) {
        this.listener = listener;
        this.where = where;
        this.onReconnect = onReconnect;
    }

    boolean isUp() {
        return up;
    }

    /** Incremented on every (re)connect, so that dedicated connections know to reopen. */
    long generation() {
        return generation.get();
    }

    void markUp() {
        if (!up) {
            generation.incrementAndGet();
            if (everUp) {
                onReconnect.run();
            }
            up = true;
            everUp = true;
            listener.onConnectionChange(true);
        }
    }

    void markDown(@Nullable Throwable cause) {
        lastFailure = cause;
        if (up) {
            up = false;
            listener.onConnectionChange(false);
        }
    }

    /** Throws {@link TransportUnavailableException} at once while disconnected. */
    void check(String what) {
        if (!up) {
            Throwable cause = lastFailure;
            throw new TransportUnavailableException("Redis at " + where + " is unreachable; " + what
                    + " failed fast" + (cause == null ? "" : " (" + cause.getMessage() + ")"), cause);
        }
    }
}
