package io.iios.api;

import org.jspecify.annotations.Nullable;

/** A message could not be decoded, named an unknown method, had wrong arguments or was too large (code {@code BAD_MESSAGE}). */
public class BadMessageException extends IiosException {
    private static final long serialVersionUID = 1L;

    public BadMessageException(String message) {
        super(ErrorCode.BAD_MESSAGE, message);
    }

    public BadMessageException(String message, @Nullable Throwable cause) {
        super(ErrorCode.BAD_MESSAGE, message, cause);
    }
}
