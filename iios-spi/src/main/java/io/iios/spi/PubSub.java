package io.iios.spi;

/**
 * Publish/subscribe on channels of the {@link Channel} grammar.
 *
 * <p>Contract for every transport:
 * <ul>
 *   <li>Delivery is at-most-once; on a healthy broker none is lost.</li>
 *   <li>Messages from one publisher on one channel reach each subscription in publish order.</li>
 *   <li>Handlers run off the broker client's I/O thread, one at a time per subscription; a slow
 *       handler may delay its own subscription but must not stall the connection.</li>
 *   <li>A handler that throws keeps its subscription; the failure goes to the transport's
 *       {@link TransportListener}.</li>
 *   <li>Segments may contain characters the broker forbids: the transport escapes them and
 *       delivers the original channel name to the handler.</li>
 * </ul>
 */
public interface PubSub {

    /**
     * Publishes a message. May return before the broker acknowledges it; the transport must keep
     * messages of one thread in order. The caller must not change the array afterwards.
     *
     * @throws MessageTooLargeException when the payload exceeds what the broker accepts
     * @throws TransportUnavailableException promptly while the broker is unreachable; only when the message was
     *     not handed to the broker (core may then send a call another way, e.g. over HTTP, without risking a
     *     second run). A failure after the message may have left must be reported otherwise (e.g. to the
     *     {@link TransportListener}, the message counted as dropped), never as this exception.
     */
    void publish(String channel, byte[] payload);

    /**
     * Subscribes every message whose channel matches the pattern ({@code *}, {@code >} wildcards).
     * The subscription is active when this method returns.
     */
    Subscription subscribe(String pattern, MessageHandler handler);

    /**
     * Subscribes as a member of a queue group: each matching message reaches exactly one member of
     * each group (capability {@link Capability#QUEUE_GROUPS}; without it this must throw
     * {@link UnsupportedCapabilityException}).
     */
    Subscription subscribe(String pattern, String group, MessageHandler handler);
}
