package io.iios.transport.nats.internal;

import io.iios.spi.Capability;
import io.iios.spi.KvStore;
import io.iios.spi.LazyTimer;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportException;
import io.iios.spi.TransportListener;
import io.iios.spi.TransportUnavailableException;
import io.iios.transport.nats.NatsOptions;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One node's NATS connection: core pub/sub ({@link NatsPubSub}) and the namespace's KV bucket
 * ({@link NatsKv}). jnats reconnects and re-subscribes by itself; this class turns its connection and error
 * events into {@link TransportListener} calls and makes operations fail fast while disconnected.
 */
public final class NatsTransport implements Transport {
    public static final String NAME = "nats";
    public static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.allOf(Capability.class));

    private final TransportListener listener;
    private final NatsOptions options;
    private final Connection connection;
    private final Map<Consumer, String> consumers = new ConcurrentHashMap<>();
    private final Set<Subscription> open = ConcurrentHashMap.newKeySet();
    private final NatsPubSub pubsub;
    private final NatsKv kv;
    private final LazyTimer timer = new LazyTimer("iios-nats-kv-timer");
    private volatile boolean closed;

    public NatsTransport(TransportConfig config) {
        this(NatsOptions.from(config), config.namespace(), config.listener());
    }

    public NatsTransport(NatsOptions options, String namespace, TransportListener listener) {
        this.listener = listener;
        this.options = options;
        String bucket = NatsNames.bucket(namespace);
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        this.connection = NatsConnector.connect(options, "iios-" + namespace + "-" + id, this::onConnectionEvent,
                new Errors());
        this.pubsub = new NatsPubSub(this, connection, listener, consumers, open, options.pendingLimit());
        this.kv = new NatsKv(this, connection, options, bucket, namespace, listener, open);
    }

    private void onConnectionEvent(Connection c, ConnectionListener.Events event) {
        switch (event) {
            case CONNECTED, RECONNECTED -> listener.onConnectionChange(true);
            case DISCONNECTED -> listener.onConnectionChange(false);
            case CLOSED -> {
                if (!closed) {
                    listener.onConnectionChange(false);
                }
            }
            default -> {
            }
        }
    }

    /** jnats background errors, reported to the listener (and so to core's metrics). */
    private final class Errors implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            listener.onError("nats server", new TransportException("NATS server error: " + error));
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            if (!closed) {
                listener.onError("nats connection", NatsErrors.wrap("background I/O", exp));
            }
        }

        @Override
        public void slowConsumerDetected(Connection conn, Consumer consumer) {
            String where = consumers.getOrDefault(consumer, "(internal subscription)");
            listener.onDropped(where, "slow consumer: the subscription's pending limit (" + options.pendingLimit()
                    + " messages, " + NatsOptions.PENDING_LIMIT + ") was reached and the client dropped messages ("
                    + consumer.getDroppedCount() + " so far)");
        }

        @Override
        public void messageDiscarded(Connection conn, Message msg) {
            String channel = discardedChannel(msg);
            if (channel != null) {
                listener.onDropped(channel, "discarded by the NATS client (outgoing queue full)");
            }
        }
    }

    /**
     * The channel of a message jnats discarded, its raw subject when it is not one of ours, or null for a protocol
     * message (SUB, UNSUB, PING — no subject), which jnats discards while reconnecting: it re-subscribes what is
     * still open by itself. jnats calls the error listener on the thread that queued the message (a subscription
     * being closed, for an UNSUB), so this must not throw.
     */
    static @Nullable String discardedChannel(Message msg) {
        String subject = msg.getSubject();
        if (subject == null) {
            return null;
        }
        try {
            return NatsNames.fromSubject(subject);
        } catch (IllegalArgumentException notOurs) {
            return subject;
        }
    }

    /** Throws {@link TransportUnavailableException} at once unless connected. */
    void check(String what) {
        if (closed) {
            throw new TransportException("transport closed; " + what + " refused");
        }
        Connection.Status s = connection.getStatus();
        if (s != Connection.Status.CONNECTED) {
            throw new TransportUnavailableException("NATS is unreachable (" + s + ", servers " + options.servers()
                    + "); " + what + " failed fast", null);
        }
    }

    ScheduledExecutorService timer() {
        return timer.get();
    }

    /** Whether the connection is up now. */
    public boolean connected() {
        return connection.getStatus() == Connection.Status.CONNECTED;
    }

    /** The URL of the server this connection uses now, or null (diagnostics and tests). */
    public @Nullable String connectedUrl() {
        return connection.getConnectedUrl();
    }

    /** The KV bucket of this transport's namespace. */
    public String bucket() {
        return kv.bucket();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public KvStore kv() {
        return kv;
    }

    @Override
    public PubSub pubsub() {
        return pubsub;
    }

    @Override
    public long maxPayloadBytes() {
        long max = connection.getMaxPayload();
        return max > 0 ? max : Long.MAX_VALUE;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Subscription s : List.copyOf(open)) {
            try {
                s.close();
            } catch (RuntimeException e) {
                listener.onError("closing nats transport", e);
            }
        }
        timer.close();
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Duration timeout() {
        return options.timeout();
    }

    boolean isClosed() {
        return closed;
    }

    static long millis(java.time.Duration d) {
        return TimeUnit.NANOSECONDS.toMillis(d.toNanos());
    }
}
