package io.iios.api;

/** A live event subscription; closing it stops delivery. Idempotent. */
public interface EventSubscription extends AutoCloseable {
    @Override
    void close();
}
