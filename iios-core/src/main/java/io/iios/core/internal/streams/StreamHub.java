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
import io.iios.core.internal.wire.Names;
import io.iios.core.internal.wire.Wire;
import io.iios.spi.Capability;
import io.iios.spi.Encoder;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The streams of one node: turns stream results of hosted methods into outgoing streams, stream
 * results of calls into handles, opens and binds named streams, and ticks every live stream
 * (heartbeats, idle timeouts). Pumps and deliveries run on its own virtual threads.
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
    private final ExecutorService threads;
    private final Map<String, OutgoingStream> outgoing = new ConcurrentHashMap<>();
    private final Map<IncomingStream, Boolean> incoming = new ConcurrentHashMap<>();
    private final Map<Object, Gauge> gauges = new ConcurrentHashMap<>();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private final ScheduledFuture<?> ticker;
    private volatile boolean closed;

    public StreamHub(String nodeId, Names names, Transport transport, Encoder encoder, StreamOptions options,
            long maxMessageBytes, NodeMetrics metrics, RateLimitedLog log, ScheduledExecutorService timer) {
        this.nodeId = nodeId;
        this.names = names;
        this.transport = transport;
        this.encoder = encoder;
        this.options = options;
        this.messageLimit = Math.min(maxMessageBytes, transport.maxPayloadBytes());
        this.chunkLimit = Math.min(options.chunkSize(), StreamOptions.chunkFitting(messageLimit));
        this.metrics = metrics;
        this.log = log;
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
        OutgoingStream out = register(source.objects(), null);
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

    private OutgoingStream register(boolean objects, @Nullable String name) {
        OutgoingStream out = new OutgoingStream(this, newId(), objects, name);
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

    @Override
    public StreamSink open(String name) {
        Names.requireName(name, "stream name");
        if (closed) {
            throw new IllegalStateException("node " + nodeId + " is closed");
        }
        OutgoingStream out = register(false, name);
        out.listen(null);
        announce(out);
        return new NamedSink(name, out, threads);
    }

    /** Writes (or refreshes) the announcement of a named stream. */
    void announce(OutgoingStream out) {
        Map<String, Object> value = new StreamWire.Descriptor(out.id, out.objects).toMap();
        value.put("n", nodeId);
        value.put("ts", System.currentTimeMillis());
        Duration ttl = transport.supports(Capability.KV_TTL) ? options.idleTimeout() : null;
        try {
            transport.kv().put(names.streamBindKey(String.valueOf(out.name)), encoder.encode(value), ttl);
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

    @Override
    public StreamHandle bind(String name, Duration timeout) {
        Names.requireName(name, "stream name");
        String key = names.streamBindKey(name);
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 5_000_000L;
        while (true) {
            Optional<byte[]> v = transport.kv().get(key);
            if (v.isPresent()) {
                StreamWire.Descriptor d;
                try {
                    d = StreamWire.Descriptor.from(Wire.asMap(encoder.decode(v.get())));
                } catch (RuntimeException e) {
                    drop("malformed-stream", "malformed announcement of stream " + name + ": " + e.getMessage());
                    d = null;
                }
                // deleting claims it: of several binders, the one whose delete removed the key wins
                if (d != null && transport.kv().delete(key)) {
                    IncomingStream s = new IncomingStream(this, d.id(), d.objects());
                    s.claim();
                    return s;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new StreamException(name, Reason.NOT_FOUND, "no stream named '" + name + "' was announced in "
                        + names.namespace() + " within " + timeout.toMillis() + " ms");
            }
            // polling keeps binding transport-agnostic; the announcement lives until claimed
            LockSupport.parkNanos(Math.min(pause, left));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new StreamException(name, Reason.NOT_FOUND, "interrupted while binding stream '" + name + "'");
            }
            pause = Math.min(pause * 2, 200_000_000L);
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
