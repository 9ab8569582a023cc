package io.iios.transport.redis.internal;

import io.iios.spi.TransportListener;
import io.iios.spi.TransportUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The publish path. Every PUBLISH goes through one FIFO queue and one connection, so each thread's
 * messages stay in order. The connection runs with {@code CLIENT REPLY OFF}: Redis sends no replies, so
 * writing never waits for a round trip. A publisher that finds the queue empty while publishes are sparse
 * writes its message on its own thread, with no hand-off (the sequential case); under load publishers only
 * queue and the writer thread sends whatever is queued as one batch with one flush. Failures go to the
 * {@link TransportListener} (the messages are reported dropped: pub/sub is at-most-once).
 */
final class PublishWriter implements AutoCloseable {
    static final int MAX_BATCH = 1024;
    /** Queued messages past which publish fails instead of growing memory without bound. */
    static final int MAX_QUEUED = 200_000;
    /**
     * While publishes come this close together on average, each goes to the writer thread even when the
     * connection is free: under load, writing each message on its own thread made one write syscall per message
     * (and as many small reads for Redis), where the writer sends what piles up while it writes as one batch.
     */
    static final long BUSY_GAP_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** Gaps longer than this count as this much in the average, so that it comes down quickly after a pause. */
    private static final long GAP_CAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** @param slot the hash slot of a sharded channel (SPUBLISH), or -1 for classic PUBLISH */
    private record Msg(byte[] channel, byte[] payload, int slot) {
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
    /**
     * When the last publish was queued ({@link System#nanoTime}) and the moving average of the gaps between
     * publishes (weight 1/8): racy by design, a hint only.
     */
    private long lastPublish = System.nanoTime() - GAP_CAP_NANOS;
    private long averageGap = GAP_CAP_NANOS;
    /** Messages written and the writes (flushes) that carried them on the classic connection; under writing. */
    private volatile long written;
    private volatile long flushes;
    private RedisClients.@Nullable PublishConnection connection;
    private long connectionGeneration = -1;
    /** SPUBLISH connections, one per Cluster master (guarded by {@link #writing}); replies are read. */
    private final Map<HostAndPort, RedisClients.PublishConnection> shardConnections = new HashMap<>();

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
        publish(channel, payload, -1);
    }

    /** Queues one SPUBLISH of a sharded channel whose hash slot is {@code slot} (Cluster only). */
    void spublish(byte[] channel, byte[] payload, int slot) {
        publish(channel, payload, slot);
    }

    private void publish(byte[] channel, byte[] payload, int slot) {
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
        queue.add(new Msg(channel, payload, slot));
        long now = System.nanoTime();
        long gap = Math.min(now - lastPublish, GAP_CAP_NANOS);
        lastPublish = now;
        long average = averageGap + ((gap - averageGap) >> 3);
        averageGap = average;
        if (ahead == 1 && average > BUSY_GAP_NANOS && writing.tryLock()) {
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
            for (HostAndPort node : List.copyOf(shardConnections.keySet())) {
                closeShardConnection(node);
            }
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
        boolean sharded = false;
        for (int i = 0; i < batch.size() && !sharded; i++) {
            sharded = batch.get(i).slot >= 0;
        }
        if (!sharded) {
            sendClassic(batch);
            return;
        }
        List<Msg> classic = new ArrayList<>();
        List<Msg> spublish = new ArrayList<>();
        for (Msg m : batch) {
            (m.slot < 0 ? classic : spublish).add(m);
        }
        if (!classic.isEmpty()) {
            sendClassic(classic);
        }
        List<Msg> refused = sendSharded(spublish);
        if (!refused.isEmpty()) {
            // a slot moved or a master failed over: reload the slot map and try those messages once more
            try {
                clients.renewSlots();
            } catch (RuntimeException e) {
                listener.onError("redis spublish (reloading the Cluster slot map)", RedisErrors.wrap("spublish", e));
            }
            for (Msg m : sendSharded(refused)) {
                listener.onDropped(channelName(m), "SPUBLISH refused twice (slot moving or no master)");
            }
        }
    }

    /**
     * SPUBLISHes each message on the master serving its slot: one pipeline per master, replies read so that
     * a {@code MOVED} (slot moved) or a lost connection is seen. Returns the messages a master refused (not
     * published, safe to send again); those lost with a broken connection are reported dropped.
     */
    private List<Msg> sendSharded(List<Msg> msgs) {
        Map<HostAndPort, List<Msg>> byNode = new LinkedHashMap<>();
        List<Msg> refused = new ArrayList<>();
        for (Msg m : msgs) {
            try {
                byNode.computeIfAbsent(clients.slotOwner(m.slot), n -> new ArrayList<>()).add(m);
            } catch (RuntimeException e) {
                refused.add(m);
            }
        }
        for (Map.Entry<HostAndPort, List<Msg>> e : byNode.entrySet()) {
            HostAndPort node = e.getKey();
            List<Msg> part = e.getValue();
            RedisClients.PublishConnection c;
            try {
                c = shardConnection(node);
                for (Msg m : part) {
                    c.sendCommand(Protocol.Command.SPUBLISH, m.channel, m.payload);
                }
                c.flushNow();
            } catch (RuntimeException ex) {
                closeShardConnection(node);
                lost(part, node, ex);
                continue;
            }
            for (int i = 0; i < part.size(); i++) {
                try {
                    c.readReply();
                } catch (JedisDataException ex) {
                    refused.add(part.get(i)); // MOVED, CLUSTERDOWN: this one was not published
                } catch (RuntimeException ex) {
                    closeShardConnection(node);
                    lost(part.subList(i, part.size()), node, ex);
                    break;
                }
            }
        }
        return refused;
    }

    /** The connection to a master broke: whether these were published is unknown, so they are not retried. */
    private void lost(List<Msg> msgs, HostAndPort node, RuntimeException e) {
        listener.onError("redis spublish to " + node, RedisErrors.wrap("spublish of " + msgs.size() + " messages", e));
        dropAll(msgs, "spublish failed: " + e.getMessage());
    }

    private RedisClients.PublishConnection shardConnection(HostAndPort node) {
        RedisClients.PublishConnection c = shardConnections.get(node);
        if (c != null && (c.isBroken() || !c.isConnected())) {
            closeShardConnection(node);
            c = null;
        }
        if (c == null) {
            c = clients.openTo(node);
            shardConnections.put(node, c);
        }
        return c;
    }

    private void closeShardConnection(HostAndPort node) {
        var c = shardConnections.remove(node);
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
    }

    private void sendClassic(List<Msg> batch) {
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
            written += batch.size(); // one writer at a time (writing): no lost update
            flushes++;
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

    /** Messages PUBLISHed so far and the flushes that sent them, for tests and diagnostics. */
    long[] batching() {
        return new long[] {written, flushes};
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
