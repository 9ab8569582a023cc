package io.iios.api;

/**
 * Optional callbacks for a service object. Its methods are never remotely callable.
 */
public interface ServiceLifecycle {

    /** Called once the instance is registered, before discovery announces it. */
    default void onStart(ServiceHandle handle) {
    }

    /** Called after the instance is deregistered. */
    default void onStop() {
    }
}
