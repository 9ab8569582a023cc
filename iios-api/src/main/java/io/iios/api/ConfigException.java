package io.iios.api;

import org.jspecify.annotations.Nullable;

/** A configuration value is invalid; the message names the key, the value and the expected form (code {@code CONFIG}). */
public class ConfigException extends IiosException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(ErrorCode.CONFIG, message);
    }

    public ConfigException(String message, @Nullable Throwable cause) {
        super(ErrorCode.CONFIG, message, cause);
    }
}
