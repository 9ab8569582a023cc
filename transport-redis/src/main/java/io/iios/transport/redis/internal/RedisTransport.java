package io.iios.transport.redis.internal;

import io.iios.spi.Capability;
import io.iios.spi.KvStore;
import io.iios.spi.LazyTimer;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportListener;
import io.iios.transport.redis.RedisOptions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Connection;

/**
 * One node's connection to Redis: a pooled client for KV, one dedicated subscriber connection, one
 * dedicated publisher connection (two threads in all, plus a poller only when a watch must poll). On a
 * Cluster, sharded channels add one subscriber connection and thread per master that serves some of them,
 * and one SPUBLISH connection per master.
 */
public final class RedisTransport implements Transport {
    public static final String NAME = "redis";
    public static final Set<Capability> CAPABILITIES = Set.copyOf(
            EnumSet.of(Capability.KV_TTL, Capability.KV_CAS, Capability.KV_WATCH));
    /** Redis's default proto-max-bulk-len, used when CONFIG cannot be read. */
    static final long DEFAULT_MAX_BULK = 512L * 1024 * 1024;

    private final TransportListener listener;
    private final RedisClients clients;
    private final ConnectionHealth health;
    private final SubscriberConnection subscriber;
    private final @Nullable ShardedSubscriber sharded;
    /** Cluster: one keyspace-notification subscriber per master (notifications are local to a node). */
    private final List<SubscriberConnection> masterWatchers = new java.util.ArrayList<>();
    private final PublishWriter writer;
    private final KeyspaceNotifications notifications;
    private final RedisKv kv;
    private final RedisPubSub pubsub;
    private final Set<Subscription> open = RedisKv.newOpenSet();
    private final LazyTimer poller = new LazyTimer("iios-redis-watch-poller");
    private final long maxPayload;
    private volatile boolean closed;

    public RedisTransport(TransportConfig config) {
        this(RedisOptions.from(config), config.namespace(), config.listener());
    }

    public RedisTransport(RedisOptions options, String namespace, TransportListener listener) {
        this.listener = listener;
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.clients = new RedisClients(options, "iios-" + namespace + "-" + id);
        this.notifications = new KeyspaceNotifications(clients);
        this.health = new ConnectionHealth(listener, RedisClients.describe(options), this::onReconnect);
        this.subscriber = new SubscriberConnection(clients, health, listener,
                RedisNames.toRedis(namespace) + ":_transport:" + id);
        this.writer = new PublishWriter(clients, health, listener);
        ShardedChannels shardedChannels = new ShardedChannels(options.shardedChannels());
        this.sharded = clients.cluster() && shardedChannels.any() ? new ShardedSubscriber(clients, listener) : null;
        Executor dispatch = dispatcher();
        try {
            subscriber.start();
            notifications.ensure();
            if (clients.cluster() && notifications.enabled()) {
                startMasterWatchers(namespace, id);
            }
            this.maxPayload = readMaxPayload();
            writer.start();
        } catch (RuntimeException e) {
            masterWatchers.forEach(SubscriberConnection::close);
            subscriber.close();
            clients.close();
            throw e;
        }
        this.kv = new RedisKv(clients, health, listener, clients.cluster() && notifications.enabled()
                ? masterWatchers : List.of(subscriber), notifications, dispatch, poller, open);
        this.pubsub = new RedisPubSub(writer, subscriber, sharded, shardedChannels, listener, dispatch, open,
                maxPayload);
    }

    /**
     * One subscriber connection per Cluster master for keyspace notifications, each following "the master
     * serving slot S" so that it finds the promoted replica after a failover. Its ups and downs are its
     * own (a lost master is reported as an error, not as the whole transport down).
     */
    private void startMasterWatchers(String namespace, String id) {
        TransportListener errorsOnly = new TransportListener() {
            @Override
            public void onError(String context, Throwable error) {
                listener.onError(context, error);
            }
        };
        for (int slot : clients.oneSlotPerMaster()) {
            ConnectionHealth h = new ConnectionHealth(errorsOnly, "Cluster master serving slot " + slot, () ->
                    Thread.ofVirtual().name("iios-redis-reconnect").start(() -> {
                        try {
                            notifications.ensureOnMasterOf(slot);
                        } catch (RuntimeException e) {
                            listener.onError("redis reconnect: keyspace notifications on the master of slot "
                                    + slot, e);
                        }
                    }));
            SubscriberConnection w = new SubscriberConnection(clients, h, errorsOnly,
                    RedisNames.toRedis(namespace) + ":_transport:" + id + ":" + slot, () -> {
                        clients.renewSlots();
                        return clients.openTo(clients.slotOwner(slot));
                    }, "iios-redis-watch-" + slot);
            masterWatchers.add(w);
            w.start();
        }
    }

    private static Executor dispatcher() {
        ThreadFactory vt = Thread.ofVirtual().name("iios-redis-dispatch-", 0).factory();
        return r -> vt.newThread(r).start();
    }

    private void onReconnect() {
        clients.clearIdle();
        Thread.ofVirtual().name("iios-redis-reconnect").start(() -> {
            try {
                notifications.ensure();
            } catch (RuntimeException e) {
                listener.onError("redis reconnect: keyspace notifications", e);
            }
        });
    }

    private long readMaxPayload() {
        if (clients.cluster()) {
            return DEFAULT_MAX_BULK;
        }
        try (Connection c = clients.openDedicated()) {
            return Long.parseLong(KeyspaceNotifications.configGet(c, "proto-max-bulk-len"));
        } catch (RuntimeException e) {
            return DEFAULT_MAX_BULK;
        }
    }

    /**
     * Messages PUBLISHed so far and the socket flushes that carried them (a flush sends a batch), for tests and
     * diagnostics.
     */
    public long[] publishBatching() {
        return writer.batching();
    }

    /** Whether watches use keyspace notifications (false: polling), for tests and diagnostics. */
    public boolean watchUsesNotifications() {
        return notifications.enabled();
    }

    /** Whether the broker is reachable now. */
    public boolean connected() {
        return health.isUp();
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
        return maxPayload;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
        for (Subscription s : List.copyOf(open)) {
            try {
                s.close();
            } catch (RuntimeException e) {
                listener.onError("closing redis transport", e);
            }
        }
        subscriber.close();
        masterWatchers.forEach(SubscriberConnection::close);
        if (sharded != null) {
            sharded.close();
        }
        poller.close();
        clients.close();
    }
}
