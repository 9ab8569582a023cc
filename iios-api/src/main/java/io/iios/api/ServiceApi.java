package io.iios.api;

import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** Calls on one service, from {@link Gateway#api(String)}. */
public interface ServiceApi {

    /** The service name. */
    String name();

    /**
     * Calls a method and waits for its result in the generic value model (maps, lists, strings,
     * numbers, booleans, byte arrays, null).
     *
     * @throws IiosException {@link ServiceUnavailableException}, {@link CallTimeoutException},
     *     {@link AccessDeniedException}, {@link RemoteFailureException}, {@link BadMessageException}
     */
    @Nullable Object call(String method, @Nullable Object... args);

    /** Calls a method and converts its result to a type. */
    <T> @Nullable T call(Class<T> resultType, String method, @Nullable Object... args);

    /** Calls a method without blocking; the future fails with an {@link IiosException}. */
    CompletableFuture<@Nullable Object> callAsync(String method, @Nullable Object... args);

    /** Calls a method without blocking and converts its result to a (possibly generic) type. */
    CompletableFuture<@Nullable Object> callAsync(Type resultType, String method, @Nullable Object... args);

    /**
     * Calls a method that returns a stream ({@link ByteStream}, {@link ObjectStream}, an
     * {@code InputStream} or a {@code Flow.Publisher}) and returns the reader side, not yet consuming.
     *
     * @throws BadMessageException when the method returned something other than a stream
     */
    StreamHandle stream(String method, @Nullable Object... args);

    /**
     * {@link #stream(String, Object...)} without blocking: the future completes with the reader side (on a
     * virtual thread, not consuming yet) or fails with an {@link IiosException} — a
     * {@link BadMessageException} when the method returned something other than a stream.
     */
    CompletableFuture<StreamHandle> streamAsync(String method, @Nullable Object... args);
}
