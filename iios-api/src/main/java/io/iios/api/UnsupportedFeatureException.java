package io.iios.api;

import org.jspecify.annotations.Nullable;

/** The transport lacks a capability the operation needs; the message names it (code {@code UNSUPPORTED}). */
public class UnsupportedFeatureException extends IiosException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFeatureException(String message) {
        super(ErrorCode.UNSUPPORTED, message);
    }

    public UnsupportedFeatureException(String message, @Nullable Throwable cause) {
        super(ErrorCode.UNSUPPORTED, message, cause);
    }
}
