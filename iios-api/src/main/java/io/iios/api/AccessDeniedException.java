package io.iios.api;

import org.jspecify.annotations.Nullable;

/** RBAC denied the call; the message names service, method, user and the missing grant (code {@code ACCESS_DENIED}). */
public class AccessDeniedException extends IiosException {
    private static final long serialVersionUID = 1L;

    public AccessDeniedException(String message) {
        super(ErrorCode.ACCESS_DENIED, message);
    }

    public AccessDeniedException(String message, @Nullable Throwable cause) {
        super(ErrorCode.ACCESS_DENIED, message, cause);
    }
}
