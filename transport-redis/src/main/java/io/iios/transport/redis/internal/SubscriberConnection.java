package io.iios.transport.redis.internal;

import io.iios.spi.TransportException;
import io.iios.spi.TransportListener;
import io.iios.spi.TransportUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Connection;

/**
 * The one dedicated subscriber connection of a transport. Every exact channel (SUBSCRIBE) and glob
 * (PSUBSCRIBE) of the node shares it; local subscriptions on the same Redis name share one Redis
 * subscription. A reader thread owns the connection: it hands messages to {@link Sink}s (which only
 * queue them), and when the connection is lost it marks the broker down, reconnects with exponential
 * backoff and re-subscribes everything.
 */
final class SubscriberConnection implements AutoCloseable {

    /** Receives messages on the reader thread; must only queue them. */
    interface Sink {
        void deliver(byte[] redisChannel, byte[] payload);
    }

    private static final class Remote {
        final String name;
        final byte[] bytes;
        final boolean pattern;
        final List<Sink> sinks = new CopyOnWriteArrayList<>();
        volatile CompletableFuture<Void> confirmed = new CompletableFuture<>();

        Remote(String name, boolean pattern) {
            this.name = name;
            this.bytes = name.getBytes(StandardCharsets.UTF_8);
            this.pattern = pattern;
        }
    }

    private final RedisClients clients;
    private final Supplier<? extends Connection> opener;
    private final ConnectionHealth health;
    private final TransportListener listener;
    private final Duration timeout;
    private final Duration backoff;
    private final Duration backoffMax;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Remote> channels = new ConcurrentHashMap<>();
    private final Map<String, Remote> patterns = new ConcurrentHashMap<>();
    private final String bootstrap;
    private final byte[] bootstrapBytes;
    private final Thread reader;
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    private @Nullable Listener current; // guarded by lock
    private volatile @Nullable Connection connection;
    private volatile boolean closed;

    SubscriberConnection(RedisClients clients, ConnectionHealth health, TransportListener listener, String bootstrap) {
        this(clients, health, listener, bootstrap, clients::openDedicated, "iios-redis-subscriber");
    }

    /** @param opener opens the connection at every (re)connect; @param threadName the reader thread's name */
    SubscriberConnection(RedisClients clients, ConnectionHealth health, TransportListener listener, String bootstrap,
            Supplier<? extends Connection> opener, String threadName) {
        this.clients = clients;
        this.opener = opener;
        this.health = health;
        this.listener = listener;
        this.timeout = clients.options.timeout();
        this.backoff = clients.options.reconnectBackoff();
        this.backoffMax = clients.options.reconnectBackoffMax();
        this.bootstrap = bootstrap;
        this.bootstrapBytes = bootstrap.getBytes(StandardCharsets.UTF_8);
        this.reader = Thread.ofPlatform().daemon().name(threadName).unstarted(this::run);
    }

    /** Starts the reader and waits for the first connection. */
    void start() {
        reader.start();
        try {
            firstConnect.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw RedisErrors.wrap("connecting to " + RedisClients.describe(clients.options),
                    e.getCause() instanceof RuntimeException re ? re : new TransportException("connect", e.getCause()));
        } catch (TimeoutException e) {
            throw new TransportUnavailableException("Redis at " + RedisClients.describe(clients.options)
                    + " did not answer within " + timeout.toMillis() + "ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportUnavailableException("interrupted while connecting to Redis", e);
        }
    }

    /** Adds a sink on an exact channel or a glob; returns when Redis confirmed the subscription. */
    Runnable subscribe(String redisName, boolean pattern, Sink sink) {
        Map<String, Remote> map = pattern ? patterns : channels;
        Remote r;
        CompletableFuture<Void> confirmed;
        lock.lock();
        try {
            health.check("subscribe " + redisName);
            Listener l = current;
            if (l == null) {
                health.check("subscribe " + redisName);
                throw new TransportUnavailableException("Redis subscriber is reconnecting", null);
            }
            r = map.get(redisName);
            if (r == null) {
                r = new Remote(redisName, pattern);
                r.sinks.add(sink);
                map.put(redisName, r);
                try {
                    send(l, r);
                } catch (RuntimeException e) {
                    map.remove(redisName);
                    throw RedisErrors.wrap("subscribe " + redisName, e);
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
        RedisErrors.awaitConfirmation(confirmed, timeout, "subscription to " + redisName, cancel);
        return cancel;
    }

    private static void send(Listener l, Remote r) {
        if (r.pattern) {
            l.psubscribe(r.bytes);
        } else {
            l.subscribe(r.bytes);
        }
    }

    private void unsubscribe(Remote r, Sink sink) {
        lock.lock();
        try {
            r.sinks.remove(sink);
            Map<String, Remote> map = r.pattern ? patterns : channels;
            if (r.sinks.isEmpty() && map.get(r.name) == r) {
                map.remove(r.name);
                Listener l = current;
                if (l != null) {
                    try {
                        if (r.pattern) {
                            l.punsubscribe(r.bytes);
                        } else {
                            l.unsubscribe(r.bytes);
                        }
                    } catch (RuntimeException e) {
                        // the connection is going down; nothing will be re-subscribed for it
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Number of Redis-level subscriptions (channels, globs), for tests. */
    int[] counts() {
        return new int[] {channels.size(), patterns.size()};
    }

    private void run() {
        long delay = backoff.toNanos();
        while (!closed) {
            Listener l = new Listener();
            Throwable failure = null;
            try {
                Connection c = opener.get();
                connection = c;
                if (closed) {
                    c.close();
                    break;
                }
                delay = backoff.toNanos();
                l.proceed(c, bootstrapBytes);
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                lock.lock();
                try {
                    current = null;
                } finally {
                    lock.unlock();
                }
                Connection c = connection;
                connection = null;
                if (c != null) {
                    c.close();
                }
            }
            if (closed) {
                break;
            }
            if (!firstConnect.isDone()) {
                firstConnect.completeExceptionally(failure != null ? failure
                        : new TransportUnavailableException("subscriber connection ended", null));
            }
            if (health.isUp()) {
                listener.onError("redis subscriber connection lost", failure != null
                        ? RedisErrors.wrap("subscriber", failure instanceof RuntimeException re ? re
                                : new RuntimeException(failure))
                        : new TransportUnavailableException("subscriber connection closed by the server", null));
            }
            health.markDown(failure);
            for (Map<String, Remote> m : List.of(channels, patterns)) {
                for (Remote r : m.values()) {
                    if (!r.confirmed.isDone()) {
                        r.confirmed.completeExceptionally(new TransportUnavailableException("connection lost", failure));
                    }
                    r.confirmed = new CompletableFuture<>();
                }
            }
            try {
                TimeUnit.NANOSECONDS.sleep(delay);
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            }
            delay = Math.min(delay * 2, backoffMax.toNanos());
        }
    }

    /** Runs on the reader thread once the new connection is subscribed: re-subscribe and go up. */
    private void onConnected(Listener l) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            current = l;
            List<byte[]> ch = new ArrayList<>();
            for (Remote r : channels.values()) {
                ch.add(r.bytes);
            }
            List<byte[]> pat = new ArrayList<>();
            for (Remote r : patterns.values()) {
                pat.add(r.bytes);
            }
            if (!ch.isEmpty()) {
                l.subscribe(ch.toArray(new byte[0][]));
            }
            if (!pat.isEmpty()) {
                l.psubscribe(pat.toArray(new byte[0][]));
            }
        } finally {
            lock.unlock();
        }
        health.markUp();
        firstConnect.complete(null);
    }

    private final class Listener extends BinaryJedisPubSub {
        @Override
        public void onSubscribe(byte[] channel, int count) {
            if (java.util.Arrays.equals(channel, bootstrapBytes)) {
                onConnected(this);
                return;
            }
            Remote r = channels.get(new String(channel, StandardCharsets.UTF_8));
            if (r != null) {
                r.confirmed.complete(null);
            }
        }

        @Override
        public void onPSubscribe(byte[] pattern, int count) {
            Remote r = patterns.get(new String(pattern, StandardCharsets.UTF_8));
            if (r != null) {
                r.confirmed.complete(null);
            }
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
            Remote r = channels.get(new String(channel, StandardCharsets.UTF_8));
            if (r != null) {
                deliver(r, channel, message);
            }
        }

        @Override
        public void onPMessage(byte[] pattern, byte[] channel, byte[] message) {
            Remote r = patterns.get(new String(pattern, StandardCharsets.UTF_8));
            if (r != null) {
                deliver(r, channel, message);
            }
        }

        private void deliver(Remote r, byte[] channel, byte[] message) {
            boolean first = true;
            for (Sink s : r.sinks) {
                try {
                    s.deliver(channel, first ? message : message.clone());
                } catch (RuntimeException e) {
                    listener.onError("redis delivery on " + r.name, e);
                }
                first = false;
            }
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
            Listener l = current;
            current = null;
            if (l != null) {
                try {
                    l.unsubscribe();
                    l.punsubscribe();
                } catch (RuntimeException ignored) {
                    // closing anyway
                }
            }
        } finally {
            lock.unlock();
        }
        Connection c = connection;
        if (c != null) {
            c.close();
        }
        reader.interrupt();
        try {
            reader.join(timeout.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
