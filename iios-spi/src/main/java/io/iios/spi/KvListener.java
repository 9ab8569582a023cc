package io.iios.spi;

import org.jspecify.annotations.Nullable;

/** Receives the changes of a {@link KvStore#watch(String, KvListener)}. */
@FunctionalInterface
public interface KvListener {

    /** What happened to a key. */
    enum Change {
        PUT, DELETE, EXPIRE
    }

    /**
     * One change.
     *
     * @param value the new value for {@link Change#PUT} when the transport has it, else null
     */
    void onChange(String key, Change change, byte @Nullable [] value);
}
