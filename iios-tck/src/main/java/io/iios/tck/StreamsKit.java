package io.iios.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iios.api.Gateway;
import io.iios.api.StreamException;
import io.iios.api.StreamHandle;
import io.iios.api.StreamSink;
import io.iios.core.IiosNode;
import io.iios.spi.Encoder;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import io.iios.tck.internal.KitScope;
import io.iios.tck.internal.StreamProbe;
import io.iios.tck.internal.StreamProbe.Summary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Streams over the transport (they use only its PubSub and KvStore): ordered complete delivery,
 * credit-based flow control that bounds the buffers, error propagation, cancellation, vanished peers,
 * concurrent streams and garbage on the stream channels.
 */
public abstract class StreamsKit {
    static final int CHUNK = 64 * 1024;
    static final int WINDOW = 16;
    static final long WINDOW_BYTES = (long) WINDOW * CHUNK;

    /** The transport under test; called once per test. */
    protected abstract TransportUnderTest transport();

    private KitScope scope;
    private StreamProbe probe;
    private IiosNode producer;
    private IiosNode reader;
    private SimpleMeterRegistry producerMeters;
    private SimpleMeterRegistry readerMeters;
    private Gateway gateway;

    @BeforeEach
    void openStreamsScope() {
        scope = new KitScope(transport());
        probe = new StreamProbe();
        producerMeters = new SimpleMeterRegistry();
        readerMeters = new SimpleMeterRegistry();
        producer = scope.start(streamSettings(scope.node()).service("streams", probe).meterRegistry(producerMeters));
        reader = scope.start(streamSettings(scope.node()).meterRegistry(readerMeters));
        gateway = reader.gateway();
        gateway.waitForService("streams", scope.scaled(Duration.ofSeconds(10)));
    }

    private io.iios.core.Iios.Builder streamSettings(io.iios.core.Iios.Builder b) {
        return b.set("iios.stream.window", String.valueOf(WINDOW)).set("iios.stream.chunk-size", "64KiB")
                .set("iios.stream.idle-timeout", Math.max(1, idleTimeout().toMillis()) + "ms");
    }

    private Duration idleTimeout() {
        return scope.scaled(Duration.ofMillis(1500));
    }

    @AfterEach
    void closeStreamsScope() {
        scope.close();
    }

    static double dropped(MeterRegistry r, String reason) {
        Counter c = r.find("iios.messages.dropped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private InputStream open(String method, Object... args) {
        return gateway.api("streams").stream(method, args).asInputStream();
    }

    @Nested
    @DisplayName("delivery")
    class Delivery {

        @Test
        @DisplayName("100 MiB in 64 KiB chunks arrives complete and in order (CRC32), buffers within the window")
        void hundredMebibytes() throws Exception {
            long size = 100L * 1024 * 1024;
            StreamHandle h = gateway.api("streams").stream("download", 42, size);
            try (InputStream in = h.asInputStream()) {
                assertThat(Summary.of(in)).isEqualTo(Summary.expected(42, size));
            }
            assertThat(h.peakBufferedBytes()).isLessThanOrEqualTo(WINDOW_BYTES);
        }

        @Test
        @DisplayName("typed objects arrive in order")
        void objects() throws Exception {
            CompletableFuture<List<String>> done = new CompletableFuture<>();
            gateway.api("streams").stream("items", 300).asObjects(String.class).subscribe(new Flow.Subscriber<>() {
                private final List<String> items = new ArrayList<>();

                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(String item) {
                    items.add(item);
                }

                @Override
                public void onError(Throwable t) {
                    done.completeExceptionally(t);
                }

                @Override
                public void onComplete() {
                    done.complete(items);
                }
            });
            List<String> items = done.get(scope.scaled(Duration.ofSeconds(30)).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(items).hasSize(300).startsWith("item-0", "item-1").endsWith("item-299");
        }

        @Test
        @DisplayName("50 concurrent streams don't mix")
        void fiftyConcurrent() throws Exception {
            int n = 50;
            long size = 256 * 1024 + 7;
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            try {
                List<Future<Summary>> results = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    long seed = 500 + i;
                    results.add(pool.submit(() -> {
                        try (InputStream in = open("download", seed, size)) {
                            return Summary.of(in);
                        }
                    }));
                }
                for (int i = 0; i < n; i++) {
                    assertThat(results.get(i).get(scope.scaled(Duration.ofSeconds(60)).toMillis(), TimeUnit.MILLISECONDS))
                            .as("stream %d", i).isEqualTo(Summary.expected(500 + i, size));
                }
            } finally {
                // bounded: a reader stuck on a broken stream must fail this test, never hang the run
                pool.shutdownNow();
                pool.awaitTermination(scope.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        @Test
        @DisplayName("a named stream opened on one node is bound by name on another")
        void named() throws Exception {
            StreamSink sink = producer.streams().open("report");
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try (OutputStream out = sink.asOutputStream()) {
                    StreamProbe.generated(9, 1_000_000).transferTo(out);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (InputStream in = reader.streams().bind("report", scope.scaled(Duration.ofSeconds(10))).asInputStream()) {
                assertThat(Summary.of(in)).isEqualTo(Summary.expected(9, 1_000_000));
            }
            writing.get(scope.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Nested
    @DisplayName("flow control")
    class FlowControl {

        private long producerGauge() {
            return (long) producerMeters.find("iios.stream.buffered.bytes").tag("side", "producer").gauges().stream()
                    .mapToDouble(Gauge::value).sum();
        }

        @Test
        @DisplayName("with a reader that pauses between chunks, the producer's buffered bytes stay under the window")
        void slowReader() throws Exception {
            StreamHandle h = gateway.api("streams").stream("endless");
            long maxProducerGauge = 0;
            long maxAhead = 0;
            try (InputStream in = h.asInputStream()) {
                byte[] buf = new byte[CHUNK];
                long read = 0;
                for (int i = 0; i < 40; i++) {
                    read += in.readNBytes(buf, 0, CHUNK);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                    maxProducerGauge = Math.max(maxProducerGauge, producerGauge());
                    maxAhead = Math.max(maxAhead, probe.produced.get() - read);
                }
            }
            assertThat(maxProducerGauge).as("producer's iios.stream.buffered.bytes").isPositive()
                    .isLessThanOrEqualTo(WINDOW_BYTES);
            assertThat(h.peakBufferedBytes()).as("reader's buffer").isLessThanOrEqualTo(WINDOW_BYTES);
            assertThat(maxAhead).as("written but not read").isLessThanOrEqualTo(WINDOW_BYTES + CHUNK + 4096);
        }

        @Test
        @DisplayName("a named sink's writes block on credit: its own buffer gauge stays under the window")
        void sinkBlocks() throws Exception {
            StreamSink sink = producer.streams().open("slow");
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try (OutputStream out = sink.asOutputStream()) {
                    for (int i = 0; i < 64; i++) {
                        out.write(new byte[CHUNK]);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long total = 0;
            try (InputStream in = reader.streams().bind("slow", scope.scaled(Duration.ofSeconds(10))).asInputStream()) {
                byte[] buf = new byte[CHUNK];
                int n;
                while ((n = in.readNBytes(buf, 0, CHUNK)) > 0) {
                    total += n;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3));
                    assertThat(sink.bufferedBytes()).isLessThanOrEqualTo(WINDOW_BYTES);
                }
            }
            writing.get(scope.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(total).isEqualTo(64L * CHUNK);
            assertThat(sink.peakBufferedBytes()).isPositive().isLessThanOrEqualTo(WINDOW_BYTES);
        }
    }

    @Nested
    @DisplayName("ends and failures")
    class Failures {

        @Test
        @DisplayName("a producer's error reaches the reader with its type and message")
        void producerError() throws Exception {
            InputStream in = open("failing", 100, "disk on fire");
            assertThat(in.readNBytes(100)).hasSize(100);
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).cause()
                    .isInstanceOfSatisfying(StreamException.class, e -> {
                        assertThat(e.reason()).isEqualTo(StreamException.Reason.PRODUCER_FAILED);
                        assertThat(e.remoteType()).isEqualTo(IllegalStateException.class.getName());
                        assertThat(e.remoteMessage()).isEqualTo("disk on fire");
                    });
        }

        @Test
        @DisplayName("a reader's cancel stops the producer within a bounded time")
        void cancelStopsProducer() throws Exception {
            InputStream in = open("endless");
            assertThat(in.readNBytes(100_000)).hasSize(100_000);
            in.close();
            assertThat(probe.stopped.await(scope.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS))
                    .as("the producer's write threw after the cancel").isTrue();
            scope.await().until(() -> producer.openStreams() == 0);
        }

        @Test
        @DisplayName("a vanished producer (node aborted) ends the stream with a clear idle-timeout error")
        void producerVanishes() throws Exception {
            InputStream in = open("endless");
            assertThat(in.readNBytes(10_000)).hasSize(10_000);
            producer.abort();
            assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream())).isInstanceOf(IOException.class)
                    .cause().isInstanceOfSatisfying(StreamException.class, e -> {
                        assertThat(e.reason()).isEqualTo(StreamException.Reason.IDLE_TIMEOUT);
                        assertThat(e.getMessage()).contains("no message from the producer");
                    });
        }
    }

    @Nested
    @DisplayName("bad input")
    class BadInput {

        @Test
        @DisplayName("garbage on the stream channels is dropped and counted; the stream and the nodes go on")
        void garbage() throws Exception {
            StreamSink sink = producer.streams().open("sturdy");
            StreamHandle h = reader.streams().bind("sturdy", scope.scaled(Duration.ofSeconds(10)));
            CompletableFuture<Summary> read = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = h.asInputStream()) {
                    return Summary.of(in);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            scope.await().until(() -> readerMeters.find("iios.stream.buffered.bytes").tag("side", "reader").gauge() != null);
            Transport raw = scope.raw();
            Encoder encoder = producer.encoder();
            String base = scope.namespace() + ":_stream:" + h.id();
            List<byte[]> garbage = List.of("{not an envelope".getBytes(StandardCharsets.UTF_8),
                    "[1,2,3]".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xc1, 0, 7},
                    encoder.encode(Map.of("v", 1, "t", "nope")), encoder.encode(Map.of("v", 99, "t", "sd", "q", 0)));
            for (byte[] g : garbage) {
                raw.pubsub().publish(base + ":d", g);
                raw.pubsub().publish(base + ":c", g);
            }
            scope.await().until(() -> dropped(readerMeters, "malformed-stream") == garbage.size()
                    && dropped(producerMeters, "malformed-stream") == garbage.size());
            try (OutputStream out = sink.asOutputStream()) {
                StreamProbe.generated(3, 300_000).transferTo(out);
            }
            assertThat(read.get(scope.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS))
                    .isEqualTo(Summary.expected(3, 300_000));
        }

        @Test
        @DisplayName("a producer ignoring credit fails its stream; the reader never buffers beyond the window")
        void beyondCredit() throws Exception {
            Transport raw = scope.raw();
            Encoder encoder = producer.encoder();
            String id = "s" + KitScope.random(15);
            String base = scope.namespace() + ":_stream:" + id;
            CompletableFuture<Void> granted = new CompletableFuture<>();
            CompletableFuture<Void> cancelled = new CompletableFuture<>();
            Subscription control = raw.pubsub().subscribe(base + ":c", (ch, payload) -> {
                Map<?, ?> m = (Map<?, ?>) encoder.decode(payload);
                if ("sg".equals(m.get("t")) && ((Number) m.get("g")).longValue() > 0) {
                    granted.complete(null);
                } else if ("sg".equals(m.get("t"))) {
                    // the claim of a named stream: a producer answers it with a heartbeat (bound)
                    raw.pubsub().publish(base + ":d", encoder.encode(Map.of("v", 1, "t", "sh")));
                } else if ("sx".equals(m.get("t"))) {
                    cancelled.complete(null);
                }
            });
            try {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("v", 1);
                d.put("id", id);
                d.put("k", "b");
                raw.kv().put(scope.namespace() + ":_bind:evil", encoder.encode(d));
                StreamHandle h = reader.streams().bind("evil", scope.scaled(Duration.ofSeconds(10)));
                InputStream in = h.asInputStream();
                granted.get(scope.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
                for (int q = 0; q < WINDOW * 3; q++) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("v", 1);
                    m.put("t", "sd");
                    m.put("q", q);
                    m.put("b", new byte[CHUNK]);
                    raw.pubsub().publish(base + ":d", encoder.encode(m));
                }
                cancelled.get(scope.scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
                assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("beyond the credit");
                assertThat(h.peakBufferedBytes()).isLessThanOrEqualTo(WINDOW_BYTES);
            } finally {
                control.close();
            }
        }
    }
}
