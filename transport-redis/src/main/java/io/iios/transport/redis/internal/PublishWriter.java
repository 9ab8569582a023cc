package io.iios.transport.redis.internal;

import io.iios.spi.TransportListener;
import io.iios.spi.TransportUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The publish path: callers queue (channel, payload) and return; one writer thread drains the queue and
 * sends everything queued as one pipeline on its own connection, then reads the replies. One queue and
 * one writer keep every thread's messages in order; batching makes many publishers cost about one round
 * trip per batch instead of one per message. Failures go to the {@link TransportListener} (the message is
 * reported dropped: pub/sub is at-most-once).
 */
final class PublishWriter implements AutoCloseable {
    static final int MAX_BATCH = 1024;
    /** Queued messages past which publish fails instead of growing memory without bound. */
    static final int MAX_QUEUED = 200_000;

    private record Msg(byte[] channel, byte[] payload) {
    }

    private final RedisClients clients;
    private final ConnectionHealth health;
    private final TransportListener listener;
    private final ConcurrentLinkedQueue<Msg> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final Thread writer;
    private volatile boolean sleeping;
    private volatile boolean closed;
    private @Nullable Connection connection;
    private long connectionGeneration = -1;

    PublishWriter(RedisClients clients, ConnectionHealth health, TransportListener listener) {
        this.clients = clients;
        this.health = health;
        this.listener = listener;
        this.writer = Thread.ofPlatform().daemon().name("iios-redis-publisher").unstarted(this::run);
    }

    void start() {
        writer.start();
    }

    /** Queues one PUBLISH; fails fast while the broker is down. */
    void publish(byte[] channel, byte[] payload) {
        if (closed) {
            throw new TransportUnavailableException("the Redis transport is closed", null);
        }
        health.check("publish");
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            throw new TransportUnavailableException("Redis publish queue is full (" + MAX_QUEUED
                    + " messages not yet written); the broker is too slow or unreachable", null);
        }
        queue.add(new Msg(channel, payload));
        if (sleeping) {
            LockSupport.unpark(writer);
        }
    }

    private void run() {
        List<Msg> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            Msg m = queue.poll();
            if (m == null) {
                if (closed) {
                    break;
                }
                sleeping = true;
                if (queue.isEmpty() && !closed) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
                sleeping = false;
                continue;
            }
            batch.add(m);
            while (batch.size() < MAX_BATCH && (m = queue.poll()) != null) {
                batch.add(m);
            }
            queued.addAndGet(-batch.size());
            send(batch);
            batch.clear();
        }
        closeConnection();
    }

    private void send(List<Msg> batch) {
        if (!health.isUp()) {
            dropAll(batch, "Redis unreachable");
            return;
        }
        Connection c;
        try {
            c = connection();
        } catch (RuntimeException e) {
            listener.onError("redis publish (connecting)", RedisErrors.wrap("publish", e));
            dropAll(batch, "cannot connect: " + e.getMessage());
            return;
        }
        try {
            for (Msg msg : batch) {
                c.sendCommand(Protocol.Command.PUBLISH, msg.channel, msg.payload);
            }
            List<Object> replies = c.getMany(batch.size());
            for (int i = 0; i < replies.size(); i++) {
                if (replies.get(i) instanceof JedisDataException e) {
                    listener.onError("redis publish on " + channelName(batch.get(i)), RedisErrors.wrap("publish", e));
                }
            }
        } catch (RuntimeException e) {
            closeConnection();
            listener.onError("redis publish", RedisErrors.wrap("publish of " + batch.size() + " messages", e));
            dropAll(batch, "publish failed: " + e.getMessage());
        }
    }

    private Connection connection() {
        long gen = health.generation();
        Connection c = connection;
        if (c != null && (gen != connectionGeneration || c.isBroken() || !c.isConnected())) {
            closeConnection();
            c = null;
        }
        if (c == null) {
            c = clients.openDedicated();
            connection = c;
            connectionGeneration = gen;
        }
        return c;
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
    }

    private void dropAll(List<Msg> batch, String reason) {
        for (Msg msg : batch) {
            listener.onDropped(channelName(msg), reason);
        }
    }

    private static String channelName(Msg msg) {
        return RedisNames.fromRedis(new String(msg.channel, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(clients.options.timeout().toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
