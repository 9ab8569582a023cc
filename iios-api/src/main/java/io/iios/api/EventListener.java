package io.iios.api;

/**
 * Receives events. Called one event at a time per subscription, in the order each service pushed
 * them; an exception is logged and counted, and the subscription goes on.
 */
@FunctionalInterface
public interface EventListener {
    void onEvent(Event event);
}
