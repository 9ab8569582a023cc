package io.iios.api;

import java.io.OutputStream;
import java.util.concurrent.Flow;

/**
 * The producer side of a named stream ({@link Streams#open(String)}): feed it through exactly one of
 * {@link #asOutputStream()} or {@link #asSubscriber()}.
 *
 * <p>Writes block (and a subscribed publisher is not asked for more) while the reader has granted no
 * credit, so a fast producer never fills a slow reader's memory. Nothing flows until a reader binds.
 * When the reader cancels, or vanishes for longer than {@code iios.stream.idle-timeout},
 * {@code OutputStream.write} throws an {@code IOException} whose cause is a {@link StreamException}
 * and a subscribed publisher's subscription is cancelled.
 */
public interface StreamSink extends AutoCloseable {

    /** The name readers bind to. */
    String name();

    /** The stream id, as it appears in channel names. */
    String id();

    /**
     * The stream as an output stream (not thread-safe, like any output stream). Bytes are sent in
     * chunks of {@code iios.stream.chunk-size}; {@code flush()} sends a partial chunk; {@code close()}
     * ends the stream.
     *
     * @throws IllegalStateException when the sink is already fed through the other door
     */
    OutputStream asOutputStream();

    /**
     * The stream as a subscriber: subscribe it to a publisher of byte arrays; it requests one element
     * at a time, only when it can send it. {@code onComplete} ends the stream; {@code onError} fails it.
     *
     * @throws IllegalStateException when the sink is already fed through the other door
     */
    Flow.Subscriber<byte[]> asSubscriber();

    /** Fails the stream: the reader gets a {@link StreamException} with the error's type and message. */
    void fail(Throwable error);

    /** True once the reader cancelled or vanished, or the stream ended. */
    boolean isDone();

    /** Bytes sent and not yet consumed by the reader (the {@code iios.stream.buffered.bytes} gauge). */
    long bufferedBytes();

    /** The highest {@link #bufferedBytes()} seen so far. */
    long peakBufferedBytes();

    /**
     * Ends the stream normally after what was written (flushing an output stream), waiting for a reader
     * to bind if none did yet. A sink fed through {@link #asSubscriber()} ends when its publisher
     * completes; closing it then does nothing. Idempotent.
     */
    @Override
    void close();
}
