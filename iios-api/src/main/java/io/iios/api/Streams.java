package io.iios.api;

import java.time.Duration;

/**
 * Named streams, for workflows where one service produces and another, found by name, consumes
 * ({@link Node#streams()}, {@link ServiceHandle#streams()}).
 *
 * <pre>{@code
 * // service A
 * try (StreamSink sink = handle.streams().open("daily-report");
 *      OutputStream out = sink.asOutputStream()) {
 *     out.write(...);
 * }
 * // service B, possibly on another node
 * try (InputStream in = node.streams().bind("daily-report", Duration.ofMinutes(1)).asInputStream()) {
 *     in.transferTo(...);
 * }
 * }</pre>
 *
 * <p>A name is announced in the key-value store until one reader binds it; each name carries one
 * stream at a time and one reader per stream (the first to bind wins). With RBAC on the producing node,
 * binding needs {@code read} on the service that opened the stream; who binds depends on where this
 * {@code Streams} came from: anonymous from {@link Node#streams()} and {@link ServiceHandle#streams()},
 * the view's user from {@link Gateway#streams()} (e.g. {@code gateway.asUser(id).streams()}).
 */
public interface Streams {

    /**
     * Opens a byte stream under a name and announces it. The sink waits for a reader without limit;
     * close or fail it to withdraw.
     *
     * @throws IllegalArgumentException when the name is not one segment of letters, digits, {@code _} or
     *     {@code -} starting with a letter
     */
    StreamSink open(String name);

    /**
     * Binds to the stream announced under a name, waiting for one to be announced.
     *
     * @throws StreamException when none is announced within the timeout
     * @throws AccessDeniedException when the producing node's RBAC denies this binder (the stream stays
     *     announced for others)
     */
    StreamHandle bind(String name, Duration timeout);
}
