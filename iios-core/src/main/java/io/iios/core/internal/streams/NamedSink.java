package io.iios.core.internal.streams;

import io.iios.api.StreamSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/** The producer side of a named stream, fed through an output stream or as a subscriber. */
final class NamedSink implements StreamSink {
    private final String name;
    private final OutgoingStream out;
    private final Executor executor;
    private final AtomicReference<Object> door = new AtomicReference<>();

    NamedSink(String name, OutgoingStream out, Executor executor) {
        this.name = name;
        this.out = out;
        this.executor = executor;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String id() {
        return out.id;
    }

    @Override
    public OutputStream asOutputStream() {
        Sources.ChunkingOutput os = new Sources.ChunkingOutput(out);
        if (!door.compareAndSet(null, os)) {
            throw new IllegalStateException("stream '" + name + "' is already fed through " + door.get());
        }
        return os;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Flow.Subscriber<byte[]> asSubscriber() {
        Sources.PublisherPump pump = new Sources.PublisherPump(out, executor, false);
        if (!door.compareAndSet(null, pump)) {
            throw new IllegalStateException("stream '" + name + "' is already fed through " + door.get());
        }
        return (Flow.Subscriber<byte[]>) (Flow.Subscriber<?>) pump;
    }

    @Override
    public void fail(Throwable error) {
        out.fail(error);
    }

    @Override
    public boolean isDone() {
        return out.stopped();
    }

    @Override
    public long bufferedBytes() {
        return out.bufferedBytes();
    }

    @Override
    public long peakBufferedBytes() {
        return out.peakBufferedBytes();
    }

    @Override
    public void close() {
        Object d = door.get();
        try {
            if (d instanceof OutputStream os) {
                os.close();
            } else if (d == null) {
                out.end();
            }
        } catch (IOException e) {
            if (!out.stopped()) {
                throw new UncheckedIOException(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "stream '" + name + "' (" + out.id + ")";
    }
}
