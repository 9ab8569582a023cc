package io.iios.core.internal.streams;

import io.iios.api.AccessDeniedException;
import io.iios.api.StreamException;
import io.iios.api.StreamException.Reason;
import io.iios.spi.EncodingException;
import io.iios.spi.Subscription;
import io.iios.spi.TransportException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The producer side of one stream: waits for a reader's claim, then sends chunks only against the
 * credit the reader grants. One thread sends at a time (the pump, or the user's writes on a named sink);
 * grants, cancels and ticks come from other threads.
 */
final class OutgoingStream {
    private enum Phase { WAITING, BOUND, DONE }

    final String id;
    final boolean objects;
    final @Nullable String name;
    /** The service that opened a named stream (its binders need read on it), or null. */
    final @Nullable String owner;
    private final StreamHub hub;
    private final String dataChannel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Integer> inFlight = new ArrayDeque<>();
    private final long created = System.nanoTime();
    private Phase phase = Phase.WAITING;
    private @Nullable String reader;
    private long credit;
    private int maxChunk;
    private long seq;
    private volatile long buffered;
    private volatile long peak;
    private @Nullable StreamException stop;
    private @Nullable Runnable onBound;
    private @Nullable Runnable closeSource;
    private @Nullable Subscription control;
    private volatile long lastFromReader = System.nanoTime();
    private volatile long lastSent = System.nanoTime();
    private volatile long lastAnnounce = System.nanoTime();

    OutgoingStream(StreamHub hub, String id, boolean objects, @Nullable String name, @Nullable String owner) {
        this.hub = hub;
        this.id = id;
        this.objects = objects;
        this.name = name;
        this.owner = owner;
        this.dataChannel = hub.names().streamData(id);
        this.maxChunk = hub.chunkLimit();
    }

    /** Subscribes the control channel; must happen before anyone learns the id. */
    void listen(@Nullable Runnable whenBound) {
        this.onBound = whenBound;
        control = hub.pubsub().subscribe(hub.names().streamControl(id), this::onControl);
    }

    /** What stops the source when the stream stops early (close an input stream, cancel a subscription). */
    void onStop(Runnable closer) {
        boolean now;
        lock.lock();
        try {
            now = phase == Phase.DONE;
            if (!now) {
                closeSource = closer;
            }
        } finally {
            lock.unlock();
        }
        if (now) {
            closer.run();
        }
    }

    long bufferedBytes() {
        return buffered;
    }

    long peakBufferedBytes() {
        return peak;
    }

    boolean isDone() {
        return phase == Phase.DONE;
    }

    /** The largest chunk this stream may send: the reader's limit and ours. */
    int maxChunk() {
        return maxChunk;
    }

    // ---------------------------------------------------------------- control

    private void onControl(String channel, byte[] payload) {
        if (payload.length > hub.messageLimit()) {
            hub.drop("oversized", "dropped a stream control message of " + payload.length + " bytes on " + channel);
            return;
        }
        StreamWire.Control c;
        Map<?, ?> m;
        try {
            m = io.iios.core.internal.wire.Wire.asMap(hub.encoder().decode(payload));
            c = StreamWire.control(m);
        } catch (RuntimeException e) {
            hub.drop("malformed-stream", "dropped a malformed message on " + channel + ": " + e.getMessage());
            return;
        }
        if (!hub.accept(m, id, null, channel)) {
            return;
        }
        // a named stream's first reader is its claim: the producer's RBAC decides (handlers of one
        // subscription run one at a time, so no other claim interleaves)
        String denial = null;
        if (name != null && unclaimed()) {
            if (!(c instanceof StreamWire.Grant claim)) {
                hub.drop("stream-foreign-reader", "dropped a cancel of unclaimed stream " + id);
                return;
            }
            denial = hub.denial(owner, name, claim.user(), claim.privileged());
        }
        Runnable start = null;
        boolean cancelled = false;
        boolean accepted = false;
        lock.lock();
        try {
            if (phase == Phase.DONE) {
                return;
            }
            if (reader == null) {
                if (denial == null) {
                    reader = c.reader();
                }
            } else if (!reader.equals(c.reader())) {
                hub.drop("stream-foreign-reader", "dropped a message of a second reader of stream " + id);
                return;
            }
            if (denial != null) {
                // fall through: answered below, the stream waits for another binder
            } else if (c instanceof StreamWire.Grant g) {
                lastFromReader = System.nanoTime();
                if (phase == Phase.WAITING) {
                    phase = Phase.BOUND;
                    maxChunk = Math.min(maxChunk, g.maxChunk());
                    start = onBound;
                    accepted = name != null;
                }
                credit = Math.min(credit + g.credit(), 1L << 40);
                for (long i = 0; i < g.credit() && !inFlight.isEmpty(); i++) {
                    buffered -= inFlight.poll();
                }
                changed.signalAll();
            } else {
                lastFromReader = System.nanoTime();
                cancelled = true;
            }
        } finally {
            lock.unlock();
        }
        if (denial != null) {
            // the binder deleted the announcement to claim: put it back for a binder that may bind
            publishQuietly(StreamWire.failure(0, AccessDeniedException.class.getName(), denial, StreamWire.DENIED));
            if (!stopped()) {
                hub.announce(this);
            }
            return;
        }
        if (accepted) {
            publishQuietly(StreamWire.heartbeat()); // answers the claim: bound
        }
        if (start != null) {
            hub.execute(start);
        }
        if (cancelled) {
            finish("cancelled", new StreamException(id, Reason.CANCELLED, "stream " + id + " was cancelled by its reader"));
        }
    }

    private boolean unclaimed() {
        lock.lock();
        try {
            return reader == null && phase == Phase.WAITING;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- sending (one thread at a time)

    /** Blocks until the reader has granted a chunk of credit, and takes it. */
    private void awaitCredit() throws InterruptedException {
        lock.lock();
        try {
            while (credit == 0 && stop == null) {
                changed.await(hub.options().heartbeat().toNanos(), TimeUnit.NANOSECONDS);
            }
            if (stop != null) {
                throw stop;
            }
            credit--;
        } finally {
            lock.unlock();
        }
    }

    /** Sends bytes as chunks of at most {@link #maxChunk()}, each against one credit. */
    void sendBytes(byte[] data, int off, int len) throws InterruptedException {
        int pos = off;
        int end = off + len;
        do {
            awaitCredit();
            int n = Math.min(end - pos, maxChunk);
            byte[] chunk = pos == 0 && n == data.length ? data : java.util.Arrays.copyOfRange(data, pos, pos + n);
            publishChunk(seq, StreamWire.chunk(seq, chunk), n);
            pos += n;
        } while (pos < end);
    }

    /** Sends one element of an object stream against one credit. */
    void sendObject(@Nullable Object element) throws InterruptedException {
        awaitCredit();
        publishChunk(seq, StreamWire.objectChunk(seq, element), -1);
    }

    private void publishChunk(long q, Map<String, Object> envelope, int size) {
        byte[] bytes;
        try {
            bytes = hub.encoder().encode(hub.seal(envelope, id));
        } catch (EncodingException e) {
            throw new IllegalArgumentException("element " + q + " of stream " + id + " cannot be encoded: "
                    + e.getMessage(), e);
        }
        if (bytes.length > hub.messageLimit()) {
            throw new IllegalArgumentException("element " + q + " of stream " + id + " is " + bytes.length
                    + " bytes encoded, over the message limit of " + hub.messageLimit() + " bytes");
        }
        int accounted = size >= 0 ? size : bytes.length;
        lock.lock();
        try {
            seq = q + 1;
            inFlight.add(accounted);
            buffered += accounted;
            peak = Math.max(peak, buffered);
        } finally {
            lock.unlock();
        }
        publish(bytes);
    }

    private void publish(byte[] bytes) {
        try {
            hub.pubsub().publish(dataChannel, bytes);
            lastSent = System.nanoTime();
        } catch (TransportException | IllegalArgumentException e) {
            StreamException broken = new StreamException(id, Reason.CLOSED, "cannot send on stream " + id + ": "
                    + e.getMessage());
            finish("failed", broken);
            throw broken;
        }
    }

    private void publishQuietly(Map<String, Object> envelope) {
        try {
            hub.pubsub().publish(dataChannel, hub.encoder().encode(hub.seal(envelope, id)));
            lastSent = System.nanoTime();
        } catch (RuntimeException e) {
            hub.drop("stream-send-failed", "cannot send on stream " + id + ": " + e.getMessage());
        }
    }

    /** Ends the stream normally after what was sent (waiting for a reader to bind first, if none did yet). */
    void end() throws InterruptedException {
        lock.lock();
        try {
            while (phase == Phase.WAITING && stop == null) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
        if (stopped()) {
            return;
        }
        publishQuietly(StreamWire.end(seq));
        finish("complete", null);
    }

    /** Fails the stream; the reader gets the error's type and message. */
    void fail(Throwable error) {
        if (stopped()) {
            return;
        }
        String message = error.getMessage() == null ? "" : error.getMessage();
        publishQuietly(StreamWire.failure(seq, error.getClass().getName(), message));
        finish("failed", null);
    }

    /** True once the stream must not send anymore. */
    boolean stopped() {
        lock.lock();
        try {
            return stop != null || phase == Phase.DONE;
        } finally {
            lock.unlock();
        }
    }

    /** Why the stream stopped, if it did early. */
    @Nullable StreamException stopReason() {
        return stop;
    }

    // ---------------------------------------------------------------- ticks and ends

    void tick(long now) {
        long idle = hub.options().idleTimeout().toNanos();
        long hb = hub.options().heartbeat().toNanos();
        Phase p = phase;
        if (p == Phase.WAITING) {
            if (name != null) {
                if (now - lastAnnounce >= hb) {
                    lastAnnounce = now;
                    hub.announce(this);
                }
            } else if (now - created > idle) {
                finish("unclaimed", new StreamException(id, Reason.IDLE_TIMEOUT, "no reader consumed stream " + id
                        + " within " + hub.options().idleTimeout().toMillis() + " ms (iios.stream.idle-timeout)"));
            }
        } else if (p == Phase.BOUND) {
            if (now - lastFromReader > idle) {
                finish("vanished", new StreamException(id, Reason.IDLE_TIMEOUT, "the reader of stream " + id
                        + " sent nothing for " + hub.options().idleTimeout().toMillis()
                        + " ms (iios.stream.idle-timeout): it vanished"));
            } else if (now - lastSent >= hb) {
                publishQuietly(StreamWire.heartbeat());
            }
        }
    }

    /** The node is closing: tell the reader (a typed {@code CLOSED} failure), stop the source. */
    void closeByNode(String nodeId) {
        if (!stopped()) {
            publishQuietly(StreamWire.failure(seq, StreamException.class.getName(), "the producing node " + nodeId
                    + " closed before the end of stream " + id, StreamWire.CLOSING));
        }
        finish("closed", new StreamException(id, Reason.CLOSED, "node " + nodeId + " closed"));
    }

    /** The node crashes: stop without a word. */
    void abort() {
        finish("closed", new StreamException(id, Reason.CLOSED, "node aborted"));
    }

    void finish(String outcome, @Nullable StreamException why) {
        Runnable closer;
        boolean wasWaiting;
        lock.lock();
        try {
            if (phase == Phase.DONE) {
                return;
            }
            wasWaiting = phase == Phase.WAITING;
            phase = Phase.DONE;
            if (why != null && stop == null) {
                stop = why;
            } else if (stop == null) {
                stop = new StreamException(id, Reason.CLOSED, "stream " + id + " ended");
            }
            closer = why != null ? closeSource : null;
            closeSource = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Subscription c = control;
        if (c != null) {
            hub.closeLater(c);
        }
        if (wasWaiting && name != null) {
            hub.withdraw(this);
        }
        hub.finished(this, outcome);
        if (closer != null) {
            try {
                closer.run();
            } catch (RuntimeException e) {
                hub.drop("listener-failed", "stopping the source of stream " + id + " threw " + e);
            }
        }
    }
}
