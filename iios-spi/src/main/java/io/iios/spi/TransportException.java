package io.iios.spi;

import org.jspecify.annotations.Nullable;

/**
 * Root of the SPI's unchecked exceptions. Transports wrap their broker client's exceptions in it
 * (keeping the cause) so that no broker type reaches core or a user.
 */
public class TransportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
