package io.iios.api;

import org.jspecify.annotations.Nullable;

/** No reply came before the call's deadline (code {@code CALL_TIMEOUT}). */
public class CallTimeoutException extends IiosException {
    private static final long serialVersionUID = 1L;

    public CallTimeoutException(String message) {
        super(ErrorCode.CALL_TIMEOUT, message);
    }

    public CallTimeoutException(String message, @Nullable Throwable cause) {
        super(ErrorCode.CALL_TIMEOUT, message, cause);
    }
}
