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
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Protocol;

/**
 * The publish path. Every PUBLISH goes through one FIFO queue and one connection, so each thread's
 * messages stay in order. The connection runs with {@code CLIENT REPLY OFF}: Redis sends no replies, so
 * writing never waits for a round trip. A publisher that finds the queue empty writes its message on its
 * own thread, with no hand-off (the sequential case); under load publishers only queue and the writer
 * thread sends whatever is queued as one batch with one flush. Failures go to the {@link TransportListener}
 * (the messages are reported dropped: pub/sub is at-most-once).
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
    private final ReentrantLock writing = new ReentrantLock();
    private final Thread writer;
    private volatile boolean closed;
    private volatile boolean sleeping;
    private RedisClients.@Nullable PublishConnection connection;
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

    /** Queues one PUBLISH and writes it at once when the connection is free; fails fast while the broker is down. */
    void publish(byte[] channel, byte[] payload) {
        if (closed) {
            throw new TransportUnavailableException("the Redis transport is closed", null);
        }
        health.check("publish");
        int ahead = queued.incrementAndGet();
        if (ahead > MAX_QUEUED) {
            queued.decrementAndGet();
            throw new TransportUnavailableException("Redis publish queue is full (" + MAX_QUEUED
                    + " messages not yet written); the broker is too slow or unreachable", null);
        }
        queue.add(new Msg(channel, payload));
        if (ahead == 1 && writing.tryLock()) {
            try {
                drain();
            } finally {
                writing.unlock();
            }
            if (queue.isEmpty()) {
                return;
            }
        }
        if (sleeping) {
            LockSupport.unpark(writer);
        }
    }

    private void run() {
        while (!closed) {
            if (queue.isEmpty()) {
                sleeping = true;
                if (queue.isEmpty() && !closed) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
                sleeping = false;
                continue;
            }
            writing.lock();
            try {
                drain();
            } finally {
                writing.unlock();
            }
        }
        writing.lock();
        try {
            drain();
            closeConnection();
        } finally {
            writing.unlock();
        }
    }

    /** Writes everything queued, in batches, one flush per batch. Holds {@link #writing}. */
    private void drain() {
        List<Msg> batch = null;
        Msg m;
        while ((m = queue.poll()) != null) {
            if (batch == null) {
                batch = new ArrayList<>(8);
            }
            batch.add(m);
            if (batch.size() == MAX_BATCH) {
                queued.addAndGet(-batch.size());
                send(batch);
                batch.clear();
            }
        }
        if (batch != null && !batch.isEmpty()) {
            queued.addAndGet(-batch.size());
            send(batch);
        }
    }

    private void send(List<Msg> batch) {
        if (!health.isUp()) {
            dropAll(batch, "Redis unreachable");
            return;
        }
        RedisClients.PublishConnection c;
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
            c.flushNow();
        } catch (RuntimeException e) {
            closeConnection();
            listener.onError("redis publish", RedisErrors.wrap("publish of " + batch.size() + " messages", e));
            dropAll(batch, "publish failed: " + e.getMessage());
        }
    }

    private RedisClients.PublishConnection connection() {
        long gen = health.generation();
        RedisClients.PublishConnection c = connection;
        if (c != null && (gen != connectionGeneration || c.isBroken() || !c.isConnected())) {
            closeConnection();
            c = null;
        }
        if (c == null) {
            c = clients.openPublisher();
            // no replies on this connection: a PUBLISH never waits for Redis, and nothing is left to read
            c.sendCommand(Protocol.Command.CLIENT, "REPLY", "OFF");
            connection = c;
            connectionGeneration = gen;
        }
        return c;
    }

    private void closeConnection() {
        var c = connection;
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
