package io.iios.api;

import org.jspecify.annotations.Nullable;

/**
 * A stream ended abnormally. {@link #reason()} says how; when the producer failed, {@link #remoteType()}
 * and {@link #remoteMessage()} carry its exception's class name and message.
 */
public class StreamException extends IiosException {
    private static final long serialVersionUID = 1L;

    /** Why a stream broke. */
    public enum Reason {
        /** The producer's source threw, or the producer failed the stream. */
        PRODUCER_FAILED,
        /** The reader cancelled. */
        CANCELLED,
        /** No message from the other side for {@code iios.stream.idle-timeout}: it vanished. */
        IDLE_TIMEOUT,
        /** The other side broke the protocol: a missing chunk, a chunk beyond credit, an oversized chunk. */
        PROTOCOL,
        /** This node or the producing node closed, or the transport failed. */
        CLOSED,
        /** No stream was announced under the name within the timeout. */
        NOT_FOUND
    }

    private final String streamId;
    private final Reason reason;
    private final @Nullable String remoteType;
    private final @Nullable String remoteMessage;

    public StreamException(String streamId, Reason reason, String message) {
        this(streamId, reason, message, null, null);
    }

    public StreamException(String streamId, Reason reason, String message, @Nullable String remoteType,
            @Nullable String remoteMessage) {
        super(ErrorCode.STREAM_FAILURE, message);
        this.streamId = streamId;
        this.reason = reason;
        this.remoteType = remoteType;
        this.remoteMessage = remoteMessage;
    }

    /** The stream id (or the name, for {@link Reason#NOT_FOUND}). */
    public String streamId() {
        return streamId;
    }

    public Reason reason() {
        return reason;
    }

    /** Class name of the producer's exception, for {@link Reason#PRODUCER_FAILED}. */
    public @Nullable String remoteType() {
        return remoteType;
    }

    /** Message of the producer's exception (may be empty), for {@link Reason#PRODUCER_FAILED}. */
    public @Nullable String remoteMessage() {
        return remoteMessage;
    }
}
