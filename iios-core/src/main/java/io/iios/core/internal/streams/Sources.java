package io.iios.core.internal.streams;

import io.iios.api.ByteStream;
import io.iios.api.ObjectStream;
import io.iios.api.StreamException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/** What a service method may return as a stream, and the pumps that feed an {@link OutgoingStream} from it. */
final class Sources {

    private Sources() {
    }

    /** A recognised stream result: its kind and how to pump it once a reader is there. */
    record Source(boolean objects, Pump pump) {
    }

    /** Feeds a stream until its end, failure or stop; runs on a virtual thread. */
    interface Pump {
        void run(OutgoingStream out, Executor executor);
    }

    /** The source a method result stands for, or null when the result is not a stream. */
    static @Nullable Source of(Type declared, @Nullable Object result) {
        return switch (result) {
            case null -> null;
            case ByteStream.FromInputStream s -> new Source(false, (out, ex) -> pumpInput(s.in(), out));
            case ByteStream.FromPublisher s -> new Source(false, (out, ex) -> subscribe(s.publisher(), out, ex, false));
            case ByteStream.Written s -> new Source(false, (out, ex) -> pumpWriter(s.writer(), out));
            case ObjectStream.FromPublisher<?> s -> new Source(true, (out, ex) -> subscribe(s.publisher(), out, ex, true));
            case ObjectStream.FromIterable<?> s -> new Source(true, (out, ex) -> pumpIterable(s.elements(), out));
            case InputStream in -> new Source(false, (out, ex) -> pumpInput(in, out));
            case Flow.Publisher<?> p -> {
                boolean bytes = elementIsBytes(declared);
                yield new Source(!bytes, (out, ex) -> subscribe(p, out, ex, !bytes));
            }
            default -> null;
        };
    }

    /** True for {@code Flow.Publisher<byte[]>}, also inside a {@code CompletionStage}. */
    private static boolean elementIsBytes(Type declared) {
        Type t = declared;
        if (t instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> c
                && CompletionStage.class.isAssignableFrom(c)) {
            t = pt.getActualTypeArguments()[0];
        }
        if (t instanceof ParameterizedType pt && pt.getRawType() == Flow.Publisher.class) {
            Type e = pt.getActualTypeArguments()[0];
            return e == byte[].class || e instanceof GenericArrayType g && g.getGenericComponentType() == byte.class;
        }
        return false;
    }

    // ---------------------------------------------------------------- pumps

    static void pumpInput(InputStream in, OutgoingStream out) {
        out.onStop(() -> closeQuietly(in));
        try (in) {
            byte[] buf = new byte[out.maxChunk()];
            int n;
            // full chunks: an input stream's read may return little at a time
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                out.sendBytes(n == buf.length ? buf.clone() : Arrays.copyOf(buf, n), 0, n);
            }
            out.end();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.fail(e);
        } catch (Exception e) {
            failUnlessStopped(out, e);
        }
    }

    static void pumpWriter(ByteStream.Writer writer, OutgoingStream out) {
        ChunkingOutput os = new ChunkingOutput(out);
        try {
            writer.writeTo(os);
            os.close();
        } catch (Exception e) {
            failUnlessStopped(out, e);
        }
    }

    static void pumpIterable(Iterable<?> elements, OutgoingStream out) {
        try {
            for (Object e : elements) {
                out.sendObject(e);
            }
            out.end();
        } catch (Exception e) {
            failUnlessStopped(out, e);
        }
    }

    static void subscribe(Flow.Publisher<?> publisher, OutgoingStream out, Executor executor, boolean objects) {
        publisher.subscribe(new PublisherPump(out, executor, objects));
    }

    private static void failUnlessStopped(OutgoingStream out, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (!out.stopped()) {
            out.fail(e instanceof StreamException && e.getCause() != null ? e.getCause() : e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // the stream is stopping anyway
        }
    }

    /**
     * A subscriber that asks its publisher for one element at a time and sends it (waiting for credit)
     * on its own virtual thread, so a publisher's thread never blocks on the reader.
     */
    static final class PublisherPump implements Flow.Subscriber<Object> {
        private static final Object COMPLETE = new Object();
        private static final Object STOP = new Object();
        private static final Object NULL = new Object();

        private record Failed(Throwable error) {
        }

        private final OutgoingStream out;
        private final Executor executor;
        private final boolean objects;
        private final AtomicBoolean subscribed = new AtomicBoolean();
        private final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();

        PublisherPump(OutgoingStream out, Executor executor, boolean objects) {
            this.out = out;
            this.executor = executor;
            this.objects = objects;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            if (!subscribed.compareAndSet(false, true)) {
                s.cancel();
                return;
            }
            out.onStop(() -> {
                s.cancel();
                signals.add(STOP);
            });
            executor.execute(() -> loop(s));
        }

        @Override
        public void onNext(Object item) {
            signals.add(item == null ? NULL : item);
        }

        @Override
        public void onError(Throwable error) {
            signals.add(new Failed(error));
        }

        @Override
        public void onComplete() {
            signals.add(COMPLETE);
        }

        private void loop(Flow.Subscription s) {
            try {
                while (!out.stopped()) {
                    s.request(1);
                    Object signal = signals.take();
                    if (signal == STOP) {
                        return;
                    } else if (signal == COMPLETE) {
                        out.end();
                        return;
                    } else if (signal instanceof Failed f) {
                        out.fail(f.error());
                        return;
                    } else if (objects) {
                        out.sendObject(signal == NULL ? null : signal);
                    } else if (signal instanceof byte[] b) {
                        if (b.length > 0) {
                            out.sendBytes(b, 0, b.length);
                        }
                    } else {
                        throw new IllegalArgumentException("a byte stream's publisher emitted a "
                                + signal.getClass().getName() + ", not a byte[]");
                    }
                }
            } catch (Exception e) {
                s.cancel();
                failUnlessStopped(out, e);
            }
        }
    }

    /** An output stream that sends full chunks, blocking while the reader has no credit left. */
    static final class ChunkingOutput extends OutputStream {
        private final OutgoingStream out;
        private final byte[] buf;
        private int count;
        private boolean closed;

        ChunkingOutput(OutgoingStream out) {
            this.out = out;
            this.buf = new byte[out.maxChunk()];
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new IOException("stream " + out.id + " is closed");
            }
            StreamException stop = out.stopReason();
            if (stop != null && out.stopped()) {
                throw new IOException(stop.getMessage(), stop);
            }
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            buf[count++] = (byte) b;
            if (count == buf.length) {
                sendBuffer();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            ensureOpen();
            while (len > 0) {
                int n = Math.min(len, buf.length - count);
                System.arraycopy(b, off, buf, count, n);
                count += n;
                off += n;
                len -= n;
                if (count == buf.length) {
                    sendBuffer();
                }
            }
        }

        @Override
        public void flush() throws IOException {
            ensureOpen();
            if (count > 0) {
                sendBuffer();
            }
        }

        private void sendBuffer() throws IOException {
            byte[] chunk = Arrays.copyOf(buf, count);
            count = 0;
            try {
                out.sendBytes(chunk, 0, chunk.length);
            } catch (StreamException e) {
                throw new IOException(e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for credit on stream " + out.id);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            flush();
            closed = true;
            try {
                out.end();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a reader of stream " + out.id);
            }
        }
    }
}
