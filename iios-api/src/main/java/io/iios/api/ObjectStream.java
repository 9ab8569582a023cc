package io.iios.api;

import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * A stream of objects a service method returns: each element travels as one message, encoded like a
 * call result, and the reader converts it with {@link StreamHandle#asObjects(Class)}. A method declared
 * to return {@code Flow.Publisher<T>} with {@code T} other than {@code byte[]} is an object stream too.
 * An encoded element must fit {@code iios.message.max-bytes}.
 *
 * @param <T> the element type
 */
public sealed interface ObjectStream<T> {

    /** The elements of a publisher. */
    static <T> ObjectStream<T> of(Flow.Publisher<? extends T> publisher) {
        return new FromPublisher<>(publisher);
    }

    /** The elements of an iterable, iterated lazily as the reader grants credit. */
    static <T> ObjectStream<T> of(Iterable<? extends T> elements) {
        return new FromIterable<>(elements);
    }

    /** See {@link #of(Flow.Publisher)}. */
    record FromPublisher<T>(Flow.Publisher<? extends T> publisher) implements ObjectStream<T> {
        public FromPublisher {
            Objects.requireNonNull(publisher, "publisher");
        }
    }

    /** See {@link #of(Iterable)}. */
    record FromIterable<T>(Iterable<? extends T> elements) implements ObjectStream<T> {
        public FromIterable {
            Objects.requireNonNull(elements, "elements");
        }
    }
}
