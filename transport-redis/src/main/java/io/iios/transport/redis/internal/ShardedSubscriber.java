package io.iios.transport.redis.internal;

import io.iios.spi.TransportListener;
import io.iios.spi.TransportUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.BinaryJedisShardedPubSub;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Sharded pub/sub on a Cluster: exact point-to-point channels ({@link ShardedChannels}) are
 * {@code SSUBSCRIBE}d on the master that serves their hash slot, one connection and one reader thread
 * per master that has such channels (a shard ends by itself when its last channel is unsubscribed).
 * When a slot moves away (the server sends an unrequested {@code sunsubscribe}) or a shard's connection
 * is lost (master failover, node restart), its channels are re-subscribed on the slot's current master
 * after reloading the slot map, with backoff while no master serves it.
 */
final class ShardedSubscriber implements AutoCloseable {

    private static final class Remote {
        final String name;
        final byte[] bytes;
        final int slot;
        final List<SubscriberConnection.Sink> sinks = new CopyOnWriteArrayList<>();
        volatile CompletableFuture<Void> confirmed = new CompletableFuture<>();
        @Nullable Shard shard; // guarded by lock

        Remote(String name) {
            this.name = name;
            this.bytes = name.getBytes(StandardCharsets.UTF_8);
            this.slot = JedisClusterCRC16.getSlot(bytes);
        }
    }

    private final RedisClients clients;
    private final TransportListener listener;
    private final Duration timeout;
    private final Duration backoff;
    private final Duration backoffMax;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Remote> channels = new ConcurrentHashMap<>();
    private final Map<HostAndPort, Shard> shards = new HashMap<>(); // guarded by lock
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ShardedSubscriber(RedisClients clients, TransportListener listener) {
        this.clients = clients;
        this.listener = listener;
        this.timeout = clients.options.timeout();
        this.backoff = clients.options.reconnectBackoff();
        this.backoffMax = clients.options.reconnectBackoffMax();
    }

    /** SSUBSCRIBEs an exact Redis channel name; returns when its master confirmed. */
    Runnable subscribe(String redisName, SubscriberConnection.Sink sink) {
        Remote r;
        CompletableFuture<Void> confirmed;
        lock.lock();
        try {
            if (closed) {
                throw new TransportUnavailableException("the Redis transport is closed", null);
            }
            r = channels.get(redisName);
            if (r == null) {
                r = new Remote(redisName);
                r.sinks.add(sink);
                channels.put(redisName, r);
                try {
                    place(r);
                } catch (RuntimeException e) {
                    channels.remove(redisName);
                    throw RedisErrors.wrap("ssubscribe " + redisName, e);
                }
            } else {
                r.sinks.add(sink);
            }
            confirmed = r.confirmed;
        } finally {
            lock.unlock();
        }
        Remote remote = r;
        Runnable cancel = () -> unsubscribe(remote, sink);
        RedisErrors.awaitConfirmation(confirmed, timeout, "sharded subscription to " + redisName, cancel);
        return cancel;
    }

    /** Under {@link #lock}: SSUBSCRIBE on the master serving the channel's slot, opening its shard if needed. */
    private void place(Remote r) {
        HostAndPort node = clients.slotOwner(r.slot);
        Shard s = shards.get(node);
        if (s == null) {
            s = new Shard(node, clients.openTo(node));
            shards.put(node, s);
            r.shard = s;
            s.members.add(r);
            s.start(r.bytes);
            return;
        }
        r.shard = s;
        s.members.add(r);
        if (s.ready) {
            s.pubsub.ssubscribe(r.bytes);
        } else {
            s.pending.add(r);
        }
    }

    private void unsubscribe(Remote r, SubscriberConnection.Sink sink) {
        lock.lock();
        try {
            r.sinks.remove(sink);
            if (!r.sinks.isEmpty() || channels.get(r.name) != r) {
                return;
            }
            channels.remove(r.name);
            Shard s = r.shard;
            r.shard = null;
            if (s != null) {
                s.members.remove(r);
                s.pending.remove(r);
                if (s.members.isEmpty()) {
                    // its reader ends when Redis confirms the last SUNSUBSCRIBE: new channels go to a new shard
                    shards.remove(s.node, s);
                }
                if (s.ready) {
                    try {
                        s.pubsub.sunsubscribe(r.bytes);
                    } catch (RuntimeException e) {
                        // the shard's connection is going down; nothing will be re-subscribed for it
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under {@link #lock}: takes a channel off its shard so that it can be placed again. */
    private void detach(Remote r) {
        r.shard = null;
        if (r.confirmed.isDone()) {
            r.confirmed = new CompletableFuture<>();
        }
    }

    /** Re-subscribes channels whose shard lost them, reloading the slot map, with backoff; runs until placed. */
    private void replace(List<Remote> orphans) {
        long delay = backoff.toNanos();
        List<Remote> left = orphans;
        while (!left.isEmpty() && !closed) {
            try {
                TimeUnit.NANOSECONDS.sleep(delay);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            }
            RuntimeException failure = null;
            try {
                clients.renewSlots();
            } catch (RuntimeException e) {
                failure = e;
            }
            List<Remote> again = new ArrayList<>();
            lock.lock();
            try {
                for (Remote r : left) {
                    if (closed || channels.get(r.name) != r || r.shard != null) {
                        continue;
                    }
                    try {
                        place(r);
                    } catch (RuntimeException e) {
                        failure = e;
                        again.add(r);
                    }
                }
            } finally {
                lock.unlock();
            }
            if (!again.isEmpty()) {
                listener.onError("redis sharded subscriber: re-subscribing " + again.size() + " channels",
                        RedisErrors.wrap("ssubscribe", failure));
            }
            left = again;
            delay = Math.min(delay * 2, backoffMax.toNanos());
        }
    }

    /** One master's connection for sharded subscriptions and its reader thread. */
    private final class Shard extends BinaryJedisShardedPubSub {
        final HostAndPort node;
        final RedisClients.PublishConnection connection;
        final Set<Remote> members = new LinkedHashSet<>(); // guarded by lock
        final List<Remote> pending = new ArrayList<>(); // guarded by lock; sent once the reader runs
        boolean ready; // guarded by lock
        final BinaryJedisShardedPubSub pubsub = this;

        Shard(HostAndPort node, RedisClients.PublishConnection connection) {
            this.node = node;
            this.connection = connection;
        }

        void start(byte[] first) {
            Thread t = Thread.ofPlatform().daemon().name("iios-redis-shard-" + node.getPort()).unstarted(() -> run(first));
            threads.add(t);
            t.start();
        }

        private void run(byte[] first) {
            Throwable failure = null;
            try {
                proceed(connection, first);
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                connection.close();
            }
            List<Remote> orphans = new ArrayList<>();
            lock.lock();
            try {
                shards.remove(node, this);
                for (Remote r : members) {
                    if (channels.get(r.name) == r && r.shard == this) {
                        detach(r);
                        orphans.add(r);
                    }
                }
                members.clear();
                pending.clear();
            } finally {
                lock.unlock();
            }
            try {
                if (!orphans.isEmpty() && !closed) {
                    listener.onError("redis sharded subscriber connection to " + node + " lost; re-subscribing "
                            + orphans.size() + " channels", RedisErrors.wrap("sharded subscriber", failure == null
                                    ? new TransportUnavailableException("connection closed by the server", null)
                                    : failure instanceof RuntimeException re ? re : new RuntimeException(failure)));
                    replace(orphans);
                }
            } finally {
                threads.remove(Thread.currentThread());
            }
        }

        @Override
        public void onSSubscribe(byte[] channel, int count) {
            Remote r = channels.get(new String(channel, StandardCharsets.UTF_8));
            lock.lock();
            try {
                if (!ready) {
                    ready = true;
                    for (Remote p : pending) {
                        ssubscribe(p.bytes);
                    }
                    pending.clear();
                }
                if (r == null || r.shard != this) {
                    sunsubscribe(channel); // unsubscribed (or moved) while the confirmation was on its way
                    return;
                }
            } finally {
                lock.unlock();
            }
            r.confirmed.complete(null);
        }

        @Override
        public void onSUnsubscribe(byte[] channel, int count) {
            Remote r = channels.get(new String(channel, StandardCharsets.UTF_8));
            if (r == null) {
                return; // our own SUNSUBSCRIBE
            }
            lock.lock();
            try {
                if (r.shard != this) {
                    return;
                }
                // not asked for: the slot moved to another master
                members.remove(r);
                detach(r);
            } finally {
                lock.unlock();
            }
            Thread.ofVirtual().name("iios-redis-shard-move").start(() -> replace(List.of(r)));
        }

        @Override
        public void onSMessage(byte[] channel, byte[] message) {
            Remote r = channels.get(new String(channel, StandardCharsets.UTF_8));
            if (r == null) {
                return;
            }
            boolean first = true;
            for (SubscriberConnection.Sink s : r.sinks) {
                try {
                    s.deliver(channel, first ? message : message.clone());
                } catch (RuntimeException e) {
                    listener.onError("redis delivery on " + r.name, e);
                }
                first = false;
            }
        }
    }

    /** Number of sharded channels and open shards, for tests. */
    int[] counts() {
        lock.lock();
        try {
            return new int[] {channels.size(), shards.size()};
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        lock.lock();
        try {
            for (Shard s : shards.values()) {
                s.connection.close();
            }
            shards.clear();
        } finally {
            lock.unlock();
        }
        for (Thread t : List.copyOf(threads)) {
            t.interrupt();
            try {
                t.join(timeout.toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
