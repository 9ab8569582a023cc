package io.iios.spi;

import org.jspecify.annotations.Nullable;

/** A value could not be encoded, or bytes could not be decoded. Never fatal to a node. */
public final class EncodingException extends TransportException {
    private static final long serialVersionUID = 1L;

    public EncodingException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
