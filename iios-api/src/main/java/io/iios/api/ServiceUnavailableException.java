package io.iios.api;

import org.jspecify.annotations.Nullable;

/** No live instance of the called service (code {@code SERVICE_UNAVAILABLE}). */
public class ServiceUnavailableException extends IiosException {
    private static final long serialVersionUID = 1L;

    public ServiceUnavailableException(String message) {
        super(ErrorCode.SERVICE_UNAVAILABLE, message);
    }

    public ServiceUnavailableException(String message, @Nullable Throwable cause) {
        super(ErrorCode.SERVICE_UNAVAILABLE, message, cause);
    }
}
