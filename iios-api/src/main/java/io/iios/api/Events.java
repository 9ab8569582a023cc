package io.iios.api;

/**
 * Subscribes to events with the seed's names, where {@code ns} is the node's namespace:
 * <ul>
 *   <li>{@code ns:bob:event:coucou} — event {@code coucou} of service {@code bob};</li>
 *   <li>{@code ns:bob:event} — every event of {@code bob};</li>
 *   <li>{@code ns:event} — every event of the namespace.</li>
 * </ul>
 * {@code *} may stand for the service or the event name ({@code ns:*:event:coucou}).
 */
public interface Events {

    /** Broadcast subscription: every subscriber gets every event. */
    EventSubscription on(String name, EventListener listener);

    /**
     * Consumer-group subscription: each event reaches one member of the group. Needs a transport with
     * queue groups; otherwise fails with {@link UnsupportedFeatureException}.
     */
    EventSubscription on(String name, String group, EventListener listener);
}
