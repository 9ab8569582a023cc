package io.iios.api;

import org.jspecify.annotations.Nullable;

/** One event received by an {@link EventListener}: the payload and its {@link EventMeta}. */
public interface Event {

    /** The payload in the generic value model. */
    @Nullable Object payload();

    /** The payload converted to a type. */
    <T> @Nullable T payload(Class<T> type);

    EventMeta meta();
}
