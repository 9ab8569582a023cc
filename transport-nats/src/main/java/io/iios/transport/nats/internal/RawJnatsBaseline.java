package io.iios.transport.nats.internal;

import io.iios.spi.BenchBaseline;
import io.iios.spi.TransportConfig;
import io.iios.transport.nats.NatsOptions;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The raw-jnats request/reply baseline for {@code iios bench --baseline}: a responder connection answers on a
 * dispatcher ({@code publish(msg.getReplyTo(), data)}); a requester connection calls {@code request()} in a loop
 * (sequential), or keeps {@code concurrency} {@code requestWithTimeout()} futures in flight, sending the next
 * request as each reply completes — what a skilled jnats user would write.
 */
public final class RawJnatsBaseline implements BenchBaseline {

    @Override
    public String transport() {
        return NatsTransport.NAME;
    }

    @Override
    public String description() {
        return "raw jnats request/reply: Connection.request() in a loop (sequential) or requestWithTimeout() futures "
                + "kept in flight; responder on a Dispatcher";
    }

    @Override
    public long run(TransportConfig config, int concurrency, int payloadBytes, Duration duration,
            LongConsumer latencyNanos) throws Exception {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        NatsOptions options = NatsOptions.from(config);
        String subject = config.namespace() + "._bench.req." + UUID.randomUUID().toString().substring(0, 8);
        byte[] payload = new byte[payloadBytes];
        Duration timeout = Duration.ofSeconds(5);
        AtomicLong failures = new AtomicLong();
        Connection responder = NatsConnector.connect(options, "iios-bench-responder");
        try {
            Connection requester = NatsConnector.connect(options, "iios-bench-requester");
            try {
                Dispatcher d = responder.createDispatcher(m -> responder.publish(m.getReplyTo(), m.getData()));
                d.subscribe(subject);
                responder.flush(timeout);
                long stopAt = System.nanoTime() + duration.toNanos();
                if (concurrency == 1) {
                    while (System.nanoTime() - stopAt < 0) {
                        long start = System.nanoTime();
                        Message reply = requester.request(subject, payload, timeout);
                        if (reply == null) {
                            failures.incrementAndGet();
                        } else {
                            latencyNanos.accept(System.nanoTime() - start);
                        }
                    }
                } else {
                    CountDownLatch done = new CountDownLatch(concurrency);
                    for (int i = 0; i < concurrency; i++) {
                        loop(requester, subject, payload, timeout, stopAt, latencyNanos, failures, done);
                    }
                    if (!done.await(duration.toMillis() + timeout.toMillis() + 2000, TimeUnit.MILLISECONDS)) {
                        failures.addAndGet(done.getCount());
                    }
                }
            } finally {
                requester.close();
            }
        } finally {
            responder.close();
        }
        return failures.get();
    }

    private static void loop(Connection c, String subject, byte[] payload, Duration timeout, long stopAt,
            LongConsumer latency, AtomicLong failures, CountDownLatch done) {
        long start = System.nanoTime();
        if (start - stopAt >= 0) {
            done.countDown();
            return;
        }
        c.requestWithTimeout(subject, payload, timeout).whenComplete((reply, error) -> {
            if (error != null || reply == null) {
                failures.incrementAndGet();
            } else {
                latency.accept(System.nanoTime() - start);
            }
            loop(c, subject, payload, timeout, stopAt, latency, failures, done);
        });
    }
}
