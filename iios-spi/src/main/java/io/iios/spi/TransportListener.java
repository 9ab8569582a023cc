package io.iios.spi;

/**
 * Where a transport reports what happens in its background threads: a lost connection, a
 * reconnect, a handler that threw, a message dropped. Core turns these into metrics and
 * rate-limited logs. Implementations must be fast and must not throw.
 */
public interface TransportListener {

    /** A listener that ignores everything. */
    TransportListener NONE = new TransportListener() {
    };

    /** A background failure; {@code context} says where (e.g. "subscription iios:_rpc:bob:x"). */
    default void onError(String context, Throwable error) {
    }

    /** The connection to the broker went down ({@code up=false}) or came back ({@code up=true}). */
    default void onConnectionChange(boolean up) {
    }

    /** A message was dropped by the transport (e.g. a slow consumer's buffer was full). */
    default void onDropped(String channel, String reason) {
    }
}
