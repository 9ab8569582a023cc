package io.iios.api;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * A byte stream a service method returns. A method may also return an {@link InputStream} or a
 * {@code Flow.Publisher<byte[]>} directly; this type adds {@link #writing(Writer)}, where the method's
 * code writes to an {@link OutputStream} that blocks while the reader has no credit left.
 *
 * <pre>{@code
 * public ByteStream download(String name) {
 *     return ByteStream.writing(out -> Files.copy(root.resolve(name), out));
 * }
 * }</pre>
 *
 * <p>The source is not touched until a reader starts consuming; it is closed (input stream) or
 * cancelled (publisher) when the reader cancels or vanishes.
 */
public sealed interface ByteStream {

    /** Writes a stream's bytes; runs on a virtual thread of the producing node once a reader is there. */
    @FunctionalInterface
    interface Writer {
        /**
         * Writes every byte, then returns (the stream ends) or throws (the reader gets the error's type
         * and message). {@code out.write} throws an {@code IOException} once the reader cancelled.
         */
        void writeTo(OutputStream out) throws Exception;
    }

    /** The bytes of an input stream, read in chunks; it is closed at the end. */
    static ByteStream of(InputStream in) {
        return new FromInputStream(in);
    }

    /** The elements of a publisher, each sent as one or more chunks. */
    static ByteStream of(Flow.Publisher<byte[]> publisher) {
        return new FromPublisher(publisher);
    }

    /** What a writer writes. */
    static ByteStream writing(Writer writer) {
        return new Written(writer);
    }

    /** See {@link #of(InputStream)}. */
    record FromInputStream(InputStream in) implements ByteStream {
        public FromInputStream {
            Objects.requireNonNull(in, "in");
        }
    }

    /** See {@link #of(Flow.Publisher)}. */
    record FromPublisher(Flow.Publisher<byte[]> publisher) implements ByteStream {
        public FromPublisher {
            Objects.requireNonNull(publisher, "publisher");
        }
    }

    /** See {@link #writing(Writer)}. */
    record Written(Writer writer) implements ByteStream {
        public Written {
            Objects.requireNonNull(writer, "writer");
        }
    }
}
