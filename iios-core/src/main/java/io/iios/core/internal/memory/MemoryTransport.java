package io.iios.core.internal.memory;

import io.iios.spi.Capability;
import io.iios.spi.Channel;
import io.iios.spi.KvListener;
import io.iios.spi.KvStore;
import io.iios.spi.MessageHandler;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import io.iios.spi.TransportListener;
import io.iios.spi.TransportUnavailableException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One connection to a {@link MemoryBrokerState}. Closing it removes its subscriptions and watches,
 * as a dropped TCP connection would; keys it wrote stay until deleted or expired.
 */
public final class MemoryTransport implements Transport, KvStore, PubSub {
    public static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.allOf(Capability.class));

    private final MemoryBrokerState broker;
    private final TransportListener listener;
    private final @Nullable Runnable onClose;
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public MemoryTransport(MemoryBrokerState broker, TransportListener listener, @Nullable Runnable onClose) {
        this.broker = broker;
        this.listener = listener;
        this.onClose = onClose;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public KvStore kv() {
        return this;
    }

    @Override
    public PubSub pubsub() {
        return this;
    }

    private void checkOpen() {
        if (closed) {
            throw new TransportUnavailableException("memory transport connection is closed", null);
        }
    }

    // ---------------------------------------------------------------- KV

    @Override
    public Optional<byte[]> get(String key) {
        checkOpen();
        return broker.get(Channel.requireChannel(key));
    }

    @Override
    public void put(String key, byte[] value, @Nullable Duration ttl) {
        checkOpen();
        broker.put(Channel.requireChannel(key), value, ttl);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, @Nullable Duration ttl) {
        checkOpen();
        return broker.putIfAbsent(Channel.requireChannel(key), value, ttl);
    }

    @Override
    public boolean delete(String key) {
        checkOpen();
        return broker.delete(Channel.requireChannel(key));
    }

    @Override
    public List<String> keys(String prefix) {
        checkOpen();
        return broker.keys(prefix);
    }

    @Override
    public Subscription watch(String prefix, KvListener kvListener) {
        checkOpen();
        MemoryBrokerState.Watch w = broker.watch(prefix, kvListener, listener);
        return track(() -> broker.unwatch(w));
    }

    // ---------------------------------------------------------------- pub/sub

    @Override
    public void publish(String channel, byte[] payload) {
        checkOpen();
        broker.publish(Channel.requireChannel(channel), payload);
    }

    @Override
    public Subscription subscribe(String pattern, MessageHandler handler) {
        checkOpen();
        MemoryBrokerState.Sub s = broker.subscribe(Channel.requirePattern(pattern), null, handler, listener);
        return track(() -> broker.unsubscribe(s));
    }

    @Override
    public Subscription subscribe(String pattern, String group, MessageHandler handler) {
        checkOpen();
        Channel.requireSegment(group, "queue group");
        MemoryBrokerState.Sub s = broker.subscribe(Channel.requirePattern(pattern), group, handler, listener);
        return track(() -> broker.unsubscribe(s));
    }

    private Subscription track(Runnable cancel) {
        Subscription[] self = new Subscription[1];
        self[0] = new Subscription() {
            private volatile boolean done;

            @Override
            public void close() {
                if (!done) {
                    done = true;
                    open.remove(this);
                    cancel.run();
                }
            }
        };
        open.add(self[0]);
        return self[0];
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable c : List.copyOf(open)) {
            try {
                c.close();
            } catch (Exception e) {
                listener.onError("closing memory transport", e);
            }
        }
        if (onClose != null) {
            onClose.run();
        }
    }
}
