package io.iios.core.internal.streams;

import io.iios.api.AccessDeniedException;
import io.iios.api.BadMessageException;
import io.iios.api.StreamException;
import io.iios.api.StreamException.Reason;
import io.iios.api.StreamHandle;
import io.iios.core.internal.wire.Wire;
import io.iios.spi.EncodingException;
import io.iios.spi.Subscription;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The reader side of one stream. Nothing is subscribed until the handle is consumed; then it grants
 * the window, buffers what arrives (never more than the credit it granted: a chunk beyond credit fails
 * the stream), and grants again as the consumer takes chunks, half a window at a time.
 */
final class IncomingStream implements StreamHandle {
    private enum Phase { IDLE, STARTED, DONE }

    /** One buffered element: bytes, or a decoded object, with the size it accounts for. */
    private record Item(byte @Nullable [] bytes, @Nullable Object object, int size) {
    }

    private static final Item END = new Item(null, null, 0);

    private final StreamHub hub;
    private final String id;
    private final boolean objects;
    private final String token;
    private final AtomicBoolean consumed = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Item> buffer = new ArrayDeque<>();
    private final int window;
    private final int grantBatch;
    private final int maxChunk;
    private Phase phase = Phase.IDLE;
    private volatile long buffered;
    private volatile long peak;
    private long expected;
    private long outstanding;
    private int consumedSinceGrant;
    private boolean ended;
    private boolean cancelled;
    private @Nullable StreamException failure;
    private @Nullable Subscription data;
    private volatile @Nullable CompletableFuture<StreamWire.Data> claimAnswer;
    private volatile long lastFromProducer = System.nanoTime();
    private volatile long lastToProducer = System.nanoTime();

    IncomingStream(StreamHub hub, String id, boolean objects) {
        this.hub = hub;
        this.id = id;
        this.objects = objects;
        this.token = hub.newId();
        this.window = hub.options().window();
        this.grantBatch = Math.max(1, window / 2);
        this.maxChunk = hub.chunkLimit();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean carriesObjects() {
        return objects;
    }

    @Override
    public long bufferedBytes() {
        return buffered;
    }

    @Override
    public long peakBufferedBytes() {
        return peak;
    }

    @Override
    public String toString() {
        return "stream " + id + (objects ? " (objects)" : " (bytes)");
    }

    /**
     * Claims a named stream whose announcement this reader deleted: listens on the data channel, tells the
     * producer who binds (a grant of 0, no credit yet) and waits for its answer, a heartbeat (bound) or
     * a failure (denied by RBAC, or closing).
     *
     * @return true when bound; false when the producer did not answer within {@code waitNanos}
     * @throws AccessDeniedException when the producer's RBAC denies the binder
     * @throws StreamException when the producer failed or closed meanwhile
     */
    boolean claim(@Nullable String user, boolean privileged, long waitNanos) throws InterruptedException {
        CompletableFuture<StreamWire.Data> answer = new CompletableFuture<>();
        claimAnswer = answer;
        try {
            data = hub.pubsub().subscribe(hub.names().streamData(id), this::onData);
        } catch (RuntimeException e) {
            throw new StreamException(id, Reason.CLOSED, "cannot subscribe stream " + id + ": " + e.getMessage());
        }
        sendControl(StreamWire.claim(token, maxChunk, user, privileged));
        StreamWire.Data a;
        try {
            a = answer.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            closeData();
            return false;
        } catch (ExecutionException e) {
            closeData();
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            closeData();
            throw e;
        }
        if (a instanceof StreamWire.Failure f) {
            closeData();
            if (StreamWire.DENIED.equals(f.code())) {
                throw new AccessDeniedException(f.message());
            }
            throw failureOf(f);
        }
        hub.track(this); // bound: this node's closing cancels it, read or not
        return true;
    }

    // ---------------------------------------------------------------- consumption doors

    private void consume(boolean wantObjects) {
        if (wantObjects != objects) {
            throw new IllegalStateException("stream " + id + " carries " + (objects ? "objects; use asObjects(type)"
                    : "bytes; use asInputStream() or asPublisher()"));
        }
        if (!consumed.compareAndSet(false, true)) {
            throw new IllegalStateException("stream " + id + " is already being consumed; a handle is consumed once");
        }
        start();
    }

    @Override
    public Flow.Publisher<byte[]> asPublisher() {
        consume(false);
        return subscriber -> deliver(subscriber, item -> Objects.requireNonNull(item.bytes()));
    }

    @Override
    public <T> Flow.Publisher<T> asObjects(Class<T> type) {
        consume(true);
        return subscriber -> deliver(subscriber, item -> {
            Object o = item.object();
            if (o == null || type == Object.class || type.isInstance(o)) {
                return type.cast(o);
            }
            try {
                return type.cast(hub.encoder().convert(o, type));
            } catch (EncodingException e) {
                throw new BadMessageException("an element of stream " + id + " does not fit " + type.getName() + ": "
                        + e.getMessage(), e);
            }
        });
    }

    @Override
    public InputStream asInputStream() {
        consume(false);
        return new Input();
    }

    private final AtomicBoolean subscribed = new AtomicBoolean();

    private <T> void deliver(Flow.Subscriber<? super T> subscriber, Function<Item, T> convert) {
        Objects.requireNonNull(subscriber, "subscriber");
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onError(new IllegalStateException("stream " + id + " has a subscriber already"));
            return;
        }
        Delivery<T> d = new Delivery<>(subscriber, convert);
        subscriber.onSubscribe(d);
        hub.execute(d::run);
    }

    /** Delivers to one subscriber on a virtual thread, as the subscriber requests. */
    private final class Delivery<T> implements Flow.Subscription {
        private final Flow.Subscriber<? super T> subscriber;
        private final Function<Item, T> convert;
        private final ReentrantLock demandLock = new ReentrantLock();
        private final Condition demandChanged = demandLock.newCondition();
        private long demand;
        private volatile boolean stopped;
        private @Nullable Throwable badRequest;

        Delivery(Flow.Subscriber<? super T> subscriber, Function<Item, T> convert) {
            this.subscriber = subscriber;
            this.convert = convert;
        }

        @Override
        public void request(long n) {
            demandLock.lock();
            try {
                if (n <= 0) {
                    badRequest = new IllegalArgumentException("request(" + n + "): n must be positive (rule 3.9)");
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
                demandChanged.signalAll();
            } finally {
                demandLock.unlock();
            }
        }

        @Override
        public void cancel() {
            stopped = true;
            IncomingStream.this.cancel();
            demandLock.lock();
            try {
                demandChanged.signalAll();
            } finally {
                demandLock.unlock();
            }
        }

        void run() {
            try {
                while (!stopped) {
                    demandLock.lock();
                    try {
                        while (demand == 0 && !stopped && badRequest == null) {
                            demandChanged.await();
                        }
                        if (stopped) {
                            return;
                        }
                        if (badRequest != null) {
                            throw badRequest;
                        }
                        if (demand != Long.MAX_VALUE) {
                            demand--;
                        }
                    } finally {
                        demandLock.unlock();
                    }
                    Item item = take();
                    if (item == END) {
                        subscriber.onComplete();
                        return;
                    }
                    subscriber.onNext(convert.apply(item));
                }
            } catch (Throwable t) {
                if (!stopped) {
                    stopped = true;
                    IncomingStream.this.cancel();
                    subscriber.onError(t);
                }
            }
        }
    }

    /** The bytes as an input stream. */
    private final class Input extends InputStream {
        private byte @Nullable [] current;
        private int pos;
        private boolean eof;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (eof) {
                return -1;
            }
            while (current == null || pos == current.length) {
                Item item;
                try {
                    item = take();
                } catch (StreamException e) {
                    throw new IOException(e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading stream " + id);
                }
                if (item == END) {
                    eof = true;
                    current = null;
                    return -1;
                }
                current = item.bytes();
                pos = 0;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            byte[] c = current;
            return c == null ? 0 : c.length - pos;
        }

        @Override
        public void close() {
            if (!eof) {
                cancel();
            }
        }
    }

    // ---------------------------------------------------------------- flow

    private void start() {
        boolean listening;
        lock.lock();
        try {
            if (phase != Phase.IDLE) {
                return;
            }
            phase = Phase.STARTED;
            outstanding = window;
            lastFromProducer = System.nanoTime();
            if (failure != null) {
                return; // the producer of a claimed stream failed or closed before the consumer started
            }
            listening = data != null; // a claimed named stream listens since its claim
        } finally {
            lock.unlock();
        }
        hub.track(this);
        if (!listening) {
            try {
                data = hub.pubsub().subscribe(hub.names().streamData(id), this::onData);
            } catch (RuntimeException e) {
                fail(new StreamException(id, Reason.CLOSED, "cannot subscribe stream " + id + ": " + e.getMessage()),
                        false, true);
                return;
            }
        }
        sendControl(StreamWire.grant(token, window, maxChunk));
    }

    /** Takes the next element, blocking; {@link #END} at the end; throws the stream's failure after the buffer. */
    private Item take() throws InterruptedException {
        Item item;
        long grant = 0;
        lock.lock();
        try {
            while (buffer.isEmpty() && !ended && failure == null && !cancelled) {
                changed.await();
            }
            if (cancelled) {
                throw new StreamException(id, Reason.CANCELLED, "stream " + id + " was cancelled");
            }
            item = buffer.poll();
            if (item == null) {
                if (failure != null) {
                    throw failure;
                }
                hub.released(this);
                return END;
            }
            buffered -= item.size();
            consumedSinceGrant++;
            if (consumedSinceGrant >= grantBatch && !ended && failure == null) {
                grant = consumedSinceGrant;
                outstanding += grant;
                consumedSinceGrant = 0;
            }
        } finally {
            lock.unlock();
        }
        if (grant > 0) {
            sendControl(StreamWire.grant(token, grant, maxChunk));
        }
        return item;
    }

    private void onData(String channel, byte[] payload) {
        if (payload.length > hub.messageLimit()) {
            hub.drop("oversized", "dropped a stream message of " + payload.length + " bytes on " + channel);
            return;
        }
        StreamWire.Data msg;
        Map<?, ?> m;
        try {
            m = Wire.asMap(hub.encoder().decode(payload));
            msg = StreamWire.data(m, this::bytesOf);
        } catch (RuntimeException e) {
            hub.drop("malformed-stream", "dropped a malformed message on " + channel + ": " + e.getMessage());
            return;
        }
        if (!hub.accept(m, id, msg instanceof StreamWire.Chunk c ? c.bytes() : null, channel)) {
            return;
        }
        StreamException broken = null;
        boolean discard = false; // a producer that overruns its credit loses what it sent: free the memory now
        lock.lock();
        try {
            if (phase == Phase.IDLE) {
                // claimed, not consumed yet: the answer to the claim, or the producer's end before any credit
                CompletableFuture<StreamWire.Data> answer = claimAnswer;
                if (answer != null && !answer.complete(msg) && msg instanceof StreamWire.Failure f && failure == null) {
                    failure = failureOf(f);
                    closeData(); // reentrant: only swaps the field and closes later
                }
                return;
            }
            if (phase != Phase.STARTED || ended || failure != null) {
                return;
            }
            lastFromProducer = System.nanoTime();
            switch (msg) {
                case StreamWire.Chunk c -> {
                    if (c.seq() < expected) {
                        hub.drop("stream-duplicate", "dropped duplicate chunk " + c.seq() + " of stream " + id);
                        return;
                    }
                    if (c.seq() > expected) {
                        broken = protocol("chunk " + expected + " of stream " + id + " is missing (got chunk "
                                + c.seq() + ")");
                    } else if (outstanding == 0) {
                        discard = true;
                        broken = protocol("the producer of stream " + id + " sent chunk " + c.seq()
                                + " beyond the credit granted (window " + window + ")");
                    } else if (objects == (c.bytes() != null)) {
                        broken = protocol("chunk " + c.seq() + " of stream " + id + " carries "
                                + (objects ? "bytes in an object stream" : "an object in a byte stream"));
                    } else if (c.bytes() != null && c.bytes().length > maxChunk) {
                        discard = true;
                        broken = protocol("chunk " + c.seq() + " of stream " + id + " is " + c.bytes().length
                                + " bytes, over the " + maxChunk + " granted");
                    } else {
                        int size = c.bytes() != null ? c.bytes().length : payload.length;
                        buffer.add(new Item(c.bytes(), c.object(), size));
                        expected++;
                        outstanding--;
                        buffered += size;
                        if (buffered > peak) {
                            peak = buffered;
                        }
                    }
                }
                case StreamWire.End e -> {
                    if (e.count() != expected) {
                        broken = protocol("stream " + id + " ended after " + e.count() + " chunks but " + expected
                                + " arrived");
                    } else {
                        ended = true;
                    }
                }
                case StreamWire.Failure f -> failure = failureOf(f);
                case StreamWire.Heartbeat h -> {
                    return;
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (broken != null) {
            fail(broken, true, discard);
        } else if (ended || failure != null) {
            closeData();
            hub.untrack(this);
        }
    }

    private byte[] bytesOf(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        Object b = hub.encoder().convert(v, byte[].class);
        if (b instanceof byte[] bytes) {
            return bytes;
        }
        throw new Wire.MalformedMessage("chunk field 'b' is not bytes");
    }

    /** The reader's error for an {@code sf}: its node closing ({@code CLOSED}) or its source failing. */
    private StreamException failureOf(StreamWire.Failure f) {
        if (StreamWire.CLOSING.equals(f.code())) {
            return new StreamException(id, Reason.CLOSED, "producer node closing: " + f.message(), f.type(),
                    f.message());
        }
        return new StreamException(id, Reason.PRODUCER_FAILED, "the producer of stream " + id + " failed: " + f.type()
                + ": " + f.message(), f.type(), f.message());
    }

    private StreamException protocol(String message) {
        return new StreamException(id, Reason.PROTOCOL, message);
    }

    /**
     * Fails the stream, telling the producer to stop when asked to. Unless {@code discard}, chunks already
     * buffered (in order, all before the failure) are still delivered first, as TCP would.
     */
    private void fail(StreamException e, boolean tellProducer, boolean discard) {
        lock.lock();
        try {
            if (phase == Phase.DONE || ended || failure != null) {
                return;
            }
            failure = e;
            if (discard) {
                buffer.clear();
                buffered = 0;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (tellProducer) {
            sendControl(StreamWire.cancel(token));
        }
        closeData();
        hub.untrack(this);
    }

    @Override
    public void cancel() {
        boolean tell;
        lock.lock();
        try {
            if (cancelled || phase == Phase.DONE) {
                return;
            }
            tell = !ended && failure == null;
            cancelled = true;
            phase = Phase.DONE;
            buffer.clear();
            buffered = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (tell) {
            sendControl(StreamWire.cancel(token));
        }
        closeData();
        hub.untrack(this);
        hub.released(this);
    }

    void tick(long now) {
        long idle = hub.options().idleTimeout().toNanos();
        boolean live;
        lock.lock();
        try {
            live = phase == Phase.STARTED && !ended && failure == null;
        } finally {
            lock.unlock();
        }
        if (!live) {
            return;
        }
        if (now - lastFromProducer > idle) {
            StreamException e = new StreamException(id, Reason.IDLE_TIMEOUT, "no message from the producer of stream " + id
                    + " for " + hub.options().idleTimeout().toMillis() + " ms (iios.stream.idle-timeout): it vanished,"
                    + " or gave up because the stream was not consumed in time");
            lock.lock();
            try {
                if (failure == null && !ended) {
                    failure = e;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
            closeData();
            hub.untrack(this);
        } else if (now - lastToProducer >= hub.options().heartbeat().toNanos()) {
            sendControl(StreamWire.grant(token, 0, maxChunk));
        }
    }

    /** This node closes: stop, telling the producer. */
    void closeByNode() {
        cancel();
    }

    private void sendControl(Map<String, Object> envelope) {
        try {
            hub.pubsub().publish(hub.names().streamControl(id), hub.encoder().encode(hub.seal(envelope, id)));
            lastToProducer = System.nanoTime();
        } catch (RuntimeException e) {
            hub.drop("stream-send-failed", "cannot send on the control channel of stream " + id + ": " + e.getMessage());
        }
    }

    private void closeData() {
        Subscription d;
        lock.lock();
        try {
            d = data;
            data = null;
        } finally {
            lock.unlock();
        }
        if (d != null) {
            hub.closeLater(d);
        }
    }
}
