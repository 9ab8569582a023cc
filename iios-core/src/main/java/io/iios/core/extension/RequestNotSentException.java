package io.iios.core.extension;

import io.iios.api.TransportFailureException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CallRoute} failed before any byte of the request left this node (e.g. the connection was
 * refused): the callee certainly did not receive it, so core may send the call another way without
 * risking running it twice. A route must not use it once it started writing the request.
 */
public final class RequestNotSentException extends TransportFailureException {
    private static final long serialVersionUID = 1L;

    public RequestNotSentException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
