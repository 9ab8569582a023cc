package io.iios.core.internal.streams;

import io.iios.api.BadMessageException;
import io.iios.api.StreamException;
import io.iios.api.StreamException.Reason;
import io.iios.api.StreamHandle;
import io.iios.api.StreamSink;
import io.iios.api.Streams;
import io.iios.core.internal.StreamOptions;
import io.iios.core.internal.metrics.NodeMetrics;
import io.iios.core.internal.metrics.RateLimitedLog;
import io.iios.core.internal.rbac.AccessGuard;
import io.iios.core.internal.security.EnvelopeSigner;
import io.iios.core.internal.wire.Names;
import io.iios.core.internal.wire.Wire;
import io.iios.spi.Capability;
import io.iios.spi.Encoder;
import io.iios.spi.KvListener;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import io.iios.spi.TransportException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.Type;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The streams of one node: turns stream results of hosted methods into outgoing streams, stream
 * results of calls into handles, opens and binds named streams, and ticks every live stream
 * (heartbeats, idle timeouts). Pumps and deliveries run on its own virtual threads. With a key, every
 * stream message and announcement is signed and checked; with RBAC, the producer of a named stream checks
 * who binds it. As a {@link Streams} it opens streams no service owns and binds as an anonymous caller;
 * {@link #view} gives the views of a service, a user or a privileged caller.
 */
public final class StreamHub implements Streams, AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

    private final String nodeId;
    private final Names names;
    private final Transport transport;
    private final Encoder encoder;
    private final StreamOptions options;
    private final long messageLimit;
    private final int chunkLimit;
    private final NodeMetrics metrics;
    private final RateLimitedLog log;
    private final EnvelopeSigner signer;
    private final @Nullable AccessGuard guard;
    private final ExecutorService threads;
    private final Map<String, OutgoingStream> outgoing = new ConcurrentHashMap<>();
    private final Map<IncomingStream, Boolean> incoming = new ConcurrentHashMap<>();
    private final Map<Object, Gauge> gauges = new ConcurrentHashMap<>();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private final ScheduledFuture<?> ticker;
    private volatile boolean closed;

    public StreamHub(String nodeId, Names names, Transport transport, Encoder encoder, StreamOptions options,
            long maxMessageBytes, NodeMetrics metrics, RateLimitedLog log, ScheduledExecutorService timer,
            EnvelopeSigner signer, @Nullable AccessGuard guard) {
        this.nodeId = nodeId;
        this.names = names;
        this.transport = transport;
        this.encoder = encoder;
        this.options = options;
        this.messageLimit = Math.min(maxMessageBytes, transport.maxPayloadBytes());
        this.chunkLimit = Math.min(options.chunkSize(), StreamOptions.chunkFitting(messageLimit));
        this.metrics = metrics;
        this.log = log;
        this.signer = signer;
        this.guard = guard;
        this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("iios-stream-", 0).factory());
        long tick = Math.clamp(options.idleTimeout().toMillis() / 6, 20, 1000);
        this.ticker = timer.scheduleWithFixedDelay(this::scheduleTick, tick, tick, TimeUnit.MILLISECONDS);
        metrics.gauge("iios.streams.open", () -> outgoing.size() + incoming.size());
    }

    // ---------------------------------------------------------------- for the streams

    Names names() {
        return names;
    }

    PubSub pubsub() {
        return transport.pubsub();
    }

    Encoder encoder() {
        return encoder;
    }

    StreamOptions options() {
        return options;
    }

    long messageLimit() {
        return messageLimit;
    }

    int chunkLimit() {
        return chunkLimit;
    }

    void execute(Runnable task) {
        threads.execute(task);
    }

    void closeLater(Subscription s) {
        Runnable close = () -> {
            try {
                s.close();
            } catch (RuntimeException e) {
                drop("transport", "closing a stream subscription: " + e);
            }
        };
        try {
            threads.execute(close);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            close.run();
        }
    }

    /** Signs a stream envelope for stream {@code id} (nothing without a key). */
    Map<String, Object> seal(Map<String, Object> envelope, String id) {
        return signer.signStream(envelope, id);
    }

    /** Checks a received stream envelope; a drop is counted and logged. */
    boolean accept(Map<?, ?> envelope, String id, byte @Nullable [] chunkBytes, String channel) {
        return signer.acceptStream(envelope, id, chunkBytes, channel, metrics, log);
    }

    /**
     * The producer's RBAC check of a binder: null when it may bind (RBAC off on this node, a privileged
     * binder, or a granted one), else the denial for the binder.
     */
    @Nullable String denial(@Nullable String owner, String name, @Nullable String user, boolean privileged) {
        if (guard == null || privileged) {
            return null;
        }
        return guard.checkBind(owner, name, user).denial();
    }

    void drop(String reason, String message) {
        metrics.dropped(reason);
        log.warn(reason, message, null);
    }

    String newId() {
        char[] out = new char[16];
        out[0] = 's';
        for (int i = 1; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    void track(IncomingStream s) {
        if (incoming.putIfAbsent(s, Boolean.TRUE) == null) {
            gauge(s, s.id(), "reader", s::bufferedBytes);
            count("reader", "opened");
        }
    }

    void untrack(IncomingStream s) {
        incoming.remove(s);
    }

    /** The consumer saw the end, the failure or cancelled: the reader's gauge goes. */
    void released(IncomingStream s) {
        Gauge g = gauges.remove(s);
        if (g != null) {
            metrics.registry().remove(g);
        }
    }

    void finished(OutgoingStream s, String outcome) {
        outgoing.remove(s.id);
        Gauge g = gauges.remove(s);
        if (g != null) {
            metrics.registry().remove(g);
        }
        count("producer", outcome);
    }

    private void gauge(Object key, String id, String side, java.util.function.Supplier<Number> value) {
        MeterRegistry r = metrics.registry();
        gauges.put(key, Gauge.builder("iios.stream.buffered.bytes", value).tag("node", nodeId).tag("stream", id)
                .tag("side", side).strongReference(true).register(r));
    }

    private void count(String side, String outcome) {
        Counter.builder("iios.streams").tag("node", nodeId).tag("side", side).tag("outcome", outcome)
                .register(metrics.registry()).increment();
    }

    // ---------------------------------------------------------------- producing from a method result

    /**
     * Turns a method's stream result into an outgoing stream and returns what the reply carries;
     * any other result is returned unchanged.
     */
    public @Nullable Object adaptResult(Type declared, @Nullable Object result) {
        Sources.Source source = Sources.of(declared, result);
        if (source == null) {
            return result;
        }
        if (closed) {
            throw new IllegalStateException("node " + nodeId + " is closing; it opens no new stream");
        }
        OutgoingStream out = register(source.objects(), null, null);
        out.listen(() -> source.pump().run(out, threads));
        if (result instanceof AutoCloseable c && !(result instanceof java.util.concurrent.Flow.Publisher<?>)) {
            out.onStop(() -> {
                try {
                    c.close();
                } catch (Exception e) {
                    // stopping anyway
                }
            });
        }
        return new StreamWire.Descriptor(out.id, out.objects).asResult();
    }

    private OutgoingStream register(boolean objects, @Nullable String name, @Nullable String owner) {
        OutgoingStream out = new OutgoingStream(this, newId(), objects, name, owner);
        outgoing.put(out.id, out);
        gauge(out, out.id, "producer", out::bufferedBytes);
        count("producer", "opened");
        return out;
    }

    // ---------------------------------------------------------------- reading a call result

    /** A call result: a handle when it stands for a stream, else unchanged. */
    public @Nullable Object adopt(@Nullable Object result) {
        StreamWire.Descriptor d;
        try {
            d = StreamWire.Descriptor.inResult(result);
        } catch (Wire.MalformedMessage e) {
            throw new BadMessageException("malformed stream descriptor in a call result: " + e.getMessage());
        }
        return d == null ? result : new IncomingStream(this, d.id(), d.objects());
    }

    /** A call result that must stand for a stream. */
    public StreamHandle handle(@Nullable Object result, String service, String method) {
        if (adopt(result) instanceof StreamHandle h) {
            return h;
        }
        throw new BadMessageException(service + "." + method + " did not return a stream (got "
                + (result == null ? "null" : result.getClass().getSimpleName()) + ")");
    }

    // ---------------------------------------------------------------- named streams

    /**
     * The named streams as seen by a service, a user or a privileged caller.
     *
     * @param owner the service whose streams {@code open} makes (its binders need {@code read} on it), or null
     * @param user the user id {@code bind} claims with, or null for an anonymous caller
     * @param privileged whether {@code bind} is a service's own (RBAC skipped by the producer)
     */
    public Streams view(@Nullable String owner, @Nullable String user, boolean privileged) {
        return new Streams() {
            @Override
            public StreamSink open(String name) {
                return StreamHub.this.open(name, owner);
            }

            @Override
            public StreamHandle bind(String name, Duration timeout) {
                return StreamHub.this.bind(name, timeout, user, privileged);
            }

            @Override
            public String toString() {
                return "streams of " + (owner != null ? "service " + owner : "node " + nodeId) + " binding as "
                        + (privileged ? "privileged" : user != null ? "user '" + user + "'" : "anonymous");
            }
        };
    }

    @Override
    public StreamSink open(String name) {
        return open(name, null);
    }

    private StreamSink open(String name, @Nullable String owner) {
        Names.requireName(name, "stream name");
        if (closed) {
            throw new IllegalStateException("node " + nodeId + " is closed");
        }
        OutgoingStream out = register(false, name, owner);
        out.listen(null);
        announce(out);
        return new NamedSink(name, out, threads);
    }

    /** Writes (or refreshes) the signed announcement of a named stream. */
    void announce(OutgoingStream out) {
        Map<String, Object> value = new StreamWire.Descriptor(out.id, out.objects).toMap();
        value.put("n", nodeId);
        value.put("ts", System.currentTimeMillis());
        Duration ttl = transport.supports(Capability.KV_TTL) ? options.idleTimeout() : null;
        try {
            transport.kv().put(names.streamBindKey(String.valueOf(out.name)), encoder.encode(signer.sign(value)), ttl);
        } catch (RuntimeException e) {
            drop("transport", "cannot announce stream " + out.name + ": " + e.getMessage());
        }
    }

    /** Removes the announcement of a named stream nobody bound, if it is still this stream's. */
    void withdraw(OutgoingStream out) {
        String key = names.streamBindKey(String.valueOf(out.name));
        try {
            Optional<byte[]> v = transport.kv().get(key);
            if (v.isPresent() && StreamWire.Descriptor.from(Wire.asMap(encoder.decode(v.get()))).id().equals(out.id)) {
                transport.kv().delete(key);
            }
        } catch (RuntimeException e) {
            drop("transport", "cannot withdraw stream " + out.name + ": " + e.getMessage());
        }
    }

    /** Binds as an anonymous caller. */
    @Override
    public StreamHandle bind(String name, Duration timeout) {
        return bind(name, timeout, null, false);
    }

    private StreamHandle bind(String name, Duration timeout, @Nullable String user, boolean privileged) {
        Names.requireName(name, "stream name");
        String key = names.streamBindKey(name);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Announcements announcements = new Announcements(key)) {
            while (true) {
                IncomingStream s = tryClaim(name, key, user, privileged, deadline);
                if (s != null) {
                    return s;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new StreamException(name, Reason.NOT_FOUND, "no stream named '" + name + "' was announced in "
                            + names.namespace() + " within " + timeout.toMillis() + " ms");
                }
                announcements.await(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(name, Reason.NOT_FOUND, "interrupted while binding stream '" + name + "'");
        }
    }

    /**
     * Claims the stream announced under the key, if any: deleting the key claims it (of several binders, the
     * one whose delete removed it wins), then the producer answers the claim (accepted, or denied by RBAC).
     *
     * @return the handle, or null when there is nothing (valid) to claim, another binder won, or the
     *     producer did not answer
     * @throws io.iios.api.AccessDeniedException when the producer's RBAC denies this binder
     */
    private @Nullable IncomingStream tryClaim(String name, String key, @Nullable String user, boolean privileged,
            long deadline) throws InterruptedException {
        Optional<byte[]> v = transport.kv().get(key);
        if (v.isEmpty()) {
            return null;
        }
        StreamWire.Descriptor d;
        try {
            Map<?, ?> m = Wire.asMap(encoder.decode(v.get()));
            // refreshed every third of the idle timeout (and expiring with it where the KV has TTLs)
            if (!signer.accept(m, options.idleTimeout().toMillis(), key, metrics, log)) {
                return null;
            }
            d = StreamWire.Descriptor.from(m);
        } catch (RuntimeException e) {
            drop("malformed-stream", "malformed announcement of stream " + name + ": " + e.getMessage());
            return null;
        }
        if (!transport.kv().delete(key)) {
            return null;
        }
        IncomingStream s = new IncomingStream(this, d.id(), d.objects());
        long answer = Math.min(options.idleTimeout().toNanos(),
                Math.max(deadline - System.nanoTime(), options.heartbeat().toNanos()));
        return s.claim(user, privileged, answer) ? s : null;
    }

    /**
     * Wakes a binder when its name may have been announced: through a KV watch when the transport has
     * {@link Capability#KV_WATCH}, else by polling with backoff (5 ms doubling to 200 ms).
     */
    private final class Announcements implements AutoCloseable {
        private final Semaphore puts = new Semaphore(0);
        private final @Nullable Subscription watch;
        private long pause = 5_000_000L;

        Announcements(String key) {
            Subscription w = null;
            if (transport.supports(Capability.KV_WATCH)) {
                try {
                    w = transport.kv().watch(key, (k, change, value) -> {
                        if (k.equals(key) && change == KvListener.Change.PUT) {
                            puts.release();
                        }
                    });
                } catch (TransportException e) { // UnsupportedCapabilityException included
                    drop("transport", "cannot watch " + key + ", polling instead: " + e.getMessage());
                }
            }
            watch = w;
        }

        /** Waits at most {@code leftNanos} for a (possible) announcement. */
        void await(long leftNanos) throws InterruptedException {
            if (watch != null) {
                if (puts.tryAcquire(leftNanos, TimeUnit.NANOSECONDS)) {
                    puts.drainPermits();
                }
                return;
            }
            LockSupport.parkNanos(Math.min(pause, leftNanos));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            pause = Math.min(pause * 2, 200_000_000L);
        }

        @Override
        public void close() {
            if (watch != null) {
                try {
                    watch.close();
                } catch (RuntimeException e) {
                    drop("transport", "closing a watch: " + e);
                }
            }
        }
    }

    // ---------------------------------------------------------------- ticks and ends

    private void scheduleTick() {
        if (!ticking.compareAndSet(false, true)) {
            return;
        }
        try {
            threads.execute(() -> {
                try {
                    long now = System.nanoTime();
                    for (OutgoingStream o : List.copyOf(outgoing.values())) {
                        o.tick(now);
                    }
                    for (IncomingStream i : List.copyOf(incoming.keySet())) {
                        i.tick(now);
                    }
                } catch (RuntimeException e) {
                    drop("listener-failed", "stream tick failed: " + e);
                } finally {
                    ticking.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ticking.set(false);
        }
    }

    /** Streams open on this node (both sides), for tests and diagnostics. */
    public int openStreams() {
        return outgoing.size() + incoming.size();
    }

    /** Graceful: tells every peer, stops every source. */
    @Override
    public void close() {
        closed = true;
        ticker.cancel(false);
        for (OutgoingStream o : List.copyOf(outgoing.values())) {
            o.closeByNode(nodeId);
        }
        for (IncomingStream i : List.copyOf(incoming.keySet())) {
            i.closeByNode();
        }
        threads.shutdown();
    }

    /** As a crash: stops everything locally without a word to the peers. */
    public void abort() {
        closed = true;
        ticker.cancel(false);
        for (OutgoingStream o : List.copyOf(outgoing.values())) {
            o.abort();
        }
        incoming.clear();
        threads.shutdownNow();
    }
}
