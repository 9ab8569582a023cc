package io.iios.spi;

import org.jspecify.annotations.Nullable;

/**
 * The broker cannot be reached right now. Transports must throw it promptly while disconnected
 * (fail fast) rather than block until a caller's timeout.
 */
public class TransportUnavailableException extends TransportException {
    private static final long serialVersionUID = 1L;

    public TransportUnavailableException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
