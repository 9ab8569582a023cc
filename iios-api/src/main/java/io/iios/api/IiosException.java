package io.iios.api;

import org.jspecify.annotations.Nullable;

/** Root of every exception IIOS throws to users; each subclass has a stable {@link ErrorCode}. */
public class IiosException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public IiosException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public IiosException(ErrorCode code, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
