package io.iios.transport.nats.internal;

import io.iios.spi.TransportException;
import io.iios.spi.TransportUnavailableException;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Wraps jnats exceptions at the transport edge, keeping the cause. */
final class NatsErrors {
    /** JetStream API error: the stream's last sequence for the subject is not the expected one. */
    static final int WRONG_LAST_SEQUENCE = 10071;
    /** JetStream API error: no message found. */
    static final int NO_MESSAGE = 10037;
    /** JetStream API error: stream not found. */
    static final int STREAM_NOT_FOUND = 10059;

    private NatsErrors() {
    }

    static TransportException wrap(String what, Throwable e) {
        if (e instanceof TransportException te) {
            return te;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new TransportException("interrupted during " + what, e);
        }
        if (isUnavailable(e)) {
            return new TransportUnavailableException("NATS unavailable during " + what + ": " + e.getMessage(), e);
        }
        if (e instanceof JetStreamApiException je) {
            return new TransportException("NATS JetStream refused " + what + ": " + je.getErrorDescription()
                    + " (error " + je.getApiErrorCode() + ")", e);
        }
        return new TransportException("NATS transport failed during " + what + ": " + e, e);
    }

    /** A lost connection or a request that timed out (no JetStream answered, e.g. during a failover). */
    static boolean isUnavailable(Throwable e) {
        if (e instanceof IOException || e instanceof TimeoutException) {
            return true;
        }
        if (e instanceof IllegalStateException ise && ise.getMessage() != null
                && ise.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connection")) {
            return true;
        }
        if (e instanceof JetStreamApiException je) {
            return je.getErrorCode() == 503; // no responders / JetStream temporarily unavailable
        }
        return e.getCause() != null && e.getCause() != e && isUnavailable(e.getCause());
    }

    static int apiCode(Throwable e) {
        return e instanceof JetStreamApiException je ? je.getApiErrorCode() : -1;
    }
}
