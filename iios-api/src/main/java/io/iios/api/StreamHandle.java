package io.iios.api;

import java.io.InputStream;
import java.util.concurrent.Flow;

/**
 * The reader side of a stream: what a caller gets when a service method returns a stream
 * ({@link ServiceApi#stream(String, Object...)}, a typed proxy method returning {@code InputStream} or
 * {@code Flow.Publisher}), or what {@link Streams#bind(String, java.time.Duration)} returns.
 *
 * <p>A handle is consumed once, through exactly one of {@link #asPublisher()}, {@link #asInputStream()}
 * or {@link #asObjects(Class)}; nothing flows before that. Chunks arrive complete and in order; the
 * reader grants the producer a window of {@code iios.stream.window} chunks, so the bytes buffered for
 * this handle never exceed the window whatever the producer does. Consume a handle within
 * {@code iios.stream.idle-timeout} of receiving it: a producer without a reader gives up after that.
 * Failures surface as {@link StreamException} (from an {@code InputStream} as the cause of an
 * {@code IOException}).
 */
public interface StreamHandle extends AutoCloseable {

    /** The stream id, as it appears in channel names. */
    String id();

    /** True when the stream carries encoded objects ({@link ObjectStream}), false for bytes. */
    boolean carriesObjects();

    /**
     * The chunks of a byte stream as a publisher of one subscriber; {@code request(n)} drives the
     * credit granted to the producer.
     *
     * @throws IllegalStateException when the handle was already consumed or carries objects
     */
    Flow.Publisher<byte[]> asPublisher();

    /**
     * The bytes of a byte stream; {@code read} blocks until data, end or failure. Closing it before the
     * end cancels the stream.
     *
     * @throws IllegalStateException when the handle was already consumed or carries objects
     */
    InputStream asInputStream();

    /**
     * The elements of an object stream, each converted to {@code type} as a call result would be.
     *
     * @throws IllegalStateException when the handle was already consumed or carries bytes
     */
    <T> Flow.Publisher<T> asObjects(Class<T> type);

    /** Bytes received and not yet consumed (the {@code iios.stream.buffered.bytes} gauge). */
    long bufferedBytes();

    /** The highest {@link #bufferedBytes()} seen so far. */
    long peakBufferedBytes();

    /** Stops the stream: the producer is told to stop, buffered chunks are discarded. Idempotent. */
    void cancel();

    /** Cancels the stream unless it already ended. */
    @Override
    default void close() {
        cancel();
    }
}
