package io.iios.api;

import org.jspecify.annotations.Nullable;

/** The broker could not be reached or refused the operation (code {@code TRANSPORT_FAILURE}). */
public class TransportFailureException extends IiosException {
    private static final long serialVersionUID = 1L;

    public TransportFailureException(String message) {
        super(ErrorCode.TRANSPORT_FAILURE, message);
    }

    public TransportFailureException(String message, @Nullable Throwable cause) {
        super(ErrorCode.TRANSPORT_FAILURE, message, cause);
    }
}
