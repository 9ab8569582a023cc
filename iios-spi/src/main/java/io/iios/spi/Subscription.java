package io.iios.spi;

/** A live subscription or watch; closing it stops delivery. Idempotent. */
public interface Subscription extends AutoCloseable {

    /** Stops delivery; after it returns no new message starts being handled. */
    @Override
    void close();
}
