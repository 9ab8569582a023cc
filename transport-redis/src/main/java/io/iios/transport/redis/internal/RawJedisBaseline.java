package io.iios.transport.redis.internal;

import io.iios.spi.BenchBaseline;
import io.iios.spi.TransportConfig;
import io.iios.transport.redis.RedisOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Pipeline;

/**
 * The raw-Jedis request/reply baseline for {@code iios bench --baseline}: a requester PUBLISHes
 * {@code id | reply channel | payload} on a request channel; a responder subscribed on its own connection
 * PUBLISHes {@code id | payload} on the reply channel; the requester, subscribed on the reply channel,
 * correlates by id and sends the next request (a closed loop with {@code concurrency} requests in flight).
 * Sequentially each PUBLISH is one blocking round trip; with more in flight a writer thread per side sends
 * whatever is queued as one pipeline — what a skilled Jedis user would write.
 */
public final class RawJedisBaseline implements BenchBaseline {

    @Override
    public String transport() {
        return RedisTransport.NAME;
    }

    @Override
    public String description() {
        return "raw Jedis PUBLISH request/reply (reply channel in the request); with concurrency > 1 a writer "
                + "thread per side pipelines queued PUBLISHes";
    }

    @Override
    public long run(TransportConfig config, int concurrency, int payloadBytes, Duration duration,
            LongConsumer latencyNanos) throws Exception {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        RedisOptions options = RedisOptions.from(config);
        HostAndPort where;
        JedisClientConfig cfg;
        try (RedisClients clients = new RedisClients(options, "iios-bench-baseline")) {
            where = clients.endpoint();
            cfg = clients.clientConfig;
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        byte[] requestChannel = (config.namespace() + ":_bench:req:" + id).getBytes(StandardCharsets.UTF_8);
        byte[] replyChannel = (config.namespace() + ":_bench:rep:" + id).getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[payloadBytes];
        Map<Long, Long> pending = new ConcurrentHashMap<>();
        AtomicLong ids = new AtomicLong();
        boolean pipelined = concurrency > 1;

        try (Jedis requesterPub = new Jedis(where, cfg); Jedis responderPub = new Jedis(where, cfg);
                Jedis requesterSub = new Jedis(where, cfg); Jedis responderSub = new Jedis(where, cfg)) {
            Sender toRequests = new Sender(requesterPub, pipelined, "iios-bench-requester-writer");
            Sender toReplies = new Sender(responderPub, pipelined, "iios-bench-responder-writer");
            CountDownLatch subscribed = new CountDownLatch(2);
            long[] stopAt = new long[1];

            BinaryJedisPubSub responder = new BinaryJedisPubSub() {
                @Override
                public void onSubscribe(byte[] channel, int count) {
                    subscribed.countDown();
                }

                @Override
                public void onMessage(byte[] channel, byte[] message) {
                    ByteBuffer in = ByteBuffer.wrap(message);
                    long reqId = in.getLong();
                    byte[] reply = new byte[in.getShort()];
                    in.get(reply);
                    byte[] out = new byte[8 + in.remaining()];
                    ByteBuffer.wrap(out).putLong(reqId).put(in);
                    toReplies.send(reply, out);
                }
            };
            BinaryJedisPubSub requester = new BinaryJedisPubSub() {
                @Override
                public void onSubscribe(byte[] channel, int count) {
                    subscribed.countDown();
                }

                @Override
                public void onMessage(byte[] channel, byte[] message) {
                    long reqId = ByteBuffer.wrap(message).getLong();
                    Long start = pending.get(reqId); // only this thread removes: get, then remove below
                    if (start != null) {
                        long now = System.nanoTime();
                        // the next request goes into `pending`, and this one is counted, before this one leaves
                        // it: the main thread returns once `pending` is empty, so it must never see an empty
                        // table while a request is about to be sent or a round trip is not yet counted
                        if (now - stopAt[0] < 0) {
                            sendRequest(toRequests, requestChannel, replyChannel, payload, pending, ids);
                        }
                        latencyNanos.accept(now - start);
                        pending.remove(reqId);
                    }
                }
            };
            Thread responderThread = Thread.ofPlatform().daemon().name("iios-bench-responder")
                    .start(() -> responderSub.subscribe(responder, requestChannel));
            Thread requesterThread = Thread.ofPlatform().daemon().name("iios-bench-requester")
                    .start(() -> requesterSub.subscribe(requester, replyChannel));
            try {
                if (!subscribed.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("baseline subscribers did not start within 10 s");
                }
                stopAt[0] = System.nanoTime() + duration.toNanos();
                for (int i = 0; i < concurrency; i++) {
                    sendRequest(toRequests, requestChannel, replyChannel, payload, pending, ids);
                }
                long end = stopAt[0] + TimeUnit.SECONDS.toNanos(2);
                while (System.nanoTime() - stopAt[0] < 0 || (!pending.isEmpty() && System.nanoTime() - end < 0)) {
                    TimeUnit.MILLISECONDS.sleep(5);
                }
                return pending.size() + toRequests.failures.get() + toReplies.failures.get();
            } finally {
                requester.unsubscribe();
                responder.unsubscribe();
                requesterThread.join(2000);
                responderThread.join(2000);
                toRequests.close();
                toReplies.close();
            }
        }
    }

    private static void sendRequest(Sender s, byte[] requestChannel, byte[] replyChannel, byte[] payload,
            Map<Long, Long> pending, AtomicLong ids) {
        long reqId = ids.incrementAndGet();
        byte[] msg = new byte[8 + 2 + replyChannel.length + payload.length];
        ByteBuffer.wrap(msg).putLong(reqId).putShort((short) replyChannel.length).put(replyChannel).put(payload);
        pending.put(reqId, System.nanoTime());
        s.send(requestChannel, msg);
    }

    /** PUBLISH directly (sequential) or through a writer thread that pipelines what is queued. */
    private static final class Sender implements AutoCloseable {
        private final Jedis jedis;
        private final LinkedBlockingQueue<byte[][]> queue;
        private final Thread writer;
        final AtomicLong failures = new AtomicLong();
        private volatile boolean closed;

        Sender(Jedis jedis, boolean pipelined, String name) {
            this.jedis = jedis;
            this.queue = pipelined ? new LinkedBlockingQueue<>() : null;
            this.writer = pipelined ? Thread.ofPlatform().daemon().name(name).start(this::drain) : null;
        }

        void send(byte[] channel, byte[] message) {
            if (queue == null) {
                // sequentially the run's first request goes out from the main thread while the reply to it may
                // already make the subscriber thread send the next one on this connection: a Jedis is not
                // thread-safe (two writers sharing its buffer sent one request twice), so they take turns
                synchronized (jedis) {
                    try {
                        jedis.publish(channel, message);
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }
            } else {
                queue.add(new byte[][] {channel, message});
            }
        }

        private void drain() {
            java.util.ArrayList<byte[][]> batch = new java.util.ArrayList<>(1024);
            while (!closed) {
                try {
                    byte[][] first = queue.poll(50, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, 1023);
                    Pipeline p = jedis.pipelined();
                    for (byte[][] m : batch) {
                        p.publish(m[0], m[1]);
                    }
                    p.sync();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    failures.addAndGet(batch.size());
                } finally {
                    batch.clear();
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            if (writer != null) {
                writer.join(2000);
            }
        }
    }
}
