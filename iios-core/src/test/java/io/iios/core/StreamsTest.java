package io.iios.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.iios.api.BadMessageException;
import io.iios.api.ConfigException;
import io.iios.api.Gateway;
import io.iios.api.StreamException;
import io.iios.api.StreamHandle;
import io.iios.api.StreamSink;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.iios.spi.Encoder;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("streams: ordered, flow-controlled, failing clearly")
class StreamsTest {
    static final int CHUNK = 64 * 1024;
    static final int WINDOW = 16;
    static final long WINDOW_BYTES = (long) WINDOW * CHUNK;

    private Cluster cluster;
    private Streamer streamer;
    private IiosNode producer;
    private IiosNode reader;
    private SimpleMeterRegistry producerMeters;
    private SimpleMeterRegistry readerMeters;
    private Gateway gateway;

    @BeforeEach
    void start() {
        cluster = new Cluster();
        streamer = new Streamer();
        producerMeters = new SimpleMeterRegistry();
        readerMeters = new SimpleMeterRegistry();
        producer = cluster.start(settings(cluster.builder()).service(streamer).meterRegistry(producerMeters));
        reader = cluster.start(settings(cluster.builder()).meterRegistry(readerMeters));
        gateway = reader.gateway();
        gateway.waitForService("streamer", Duration.ofSeconds(5));
    }

    static Iios.Builder settings(Iios.Builder b) {
        return b.set("iios.stream.idle-timeout", "3s").set("iios.stream.window", String.valueOf(WINDOW))
                .set("iios.stream.chunk-size", "64KiB");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    static double dropped(MeterRegistry r, String reason) {
        var c = r.find("iios.messages.dropped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    /** Collects a publisher's elements, requesting {@code batch} at a time. */
    static final class Collector<T> implements Flow.Subscriber<T> {
        final List<T> items = new ArrayList<>();
        final CompletableFuture<List<T>> done = new CompletableFuture<>();
        private final int batch;
        private Flow.Subscription subscription;
        private int left;

        Collector(int batch) {
            this.batch = batch;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            left = batch;
            s.request(batch);
        }

        @Override
        public void onNext(T item) {
            items.add(item);
            if (--left == 0) {
                left = batch;
                subscription.request(batch);
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            done.complete(items);
        }

        List<T> await() throws Exception {
            return done.get(30, TimeUnit.SECONDS);
        }
    }

    @Nested
    @DisplayName("delivery")
    class Delivery {

        @Test
        @DisplayName("100 MiB in 64 KiB chunks arrives complete and in order (CRC32)")
        void hundredMebibytes() throws Exception {
            long size = 100L * 1024 * 1024;
            StreamHandle h = gateway.api("streamer").stream("download", 7, size);
            try (InputStream in = h.asInputStream()) {
                Payload.Summary got = Payload.crc(in);
                assertThat(got.bytes()).isEqualTo(size);
                assertThat(got.crc()).isEqualTo(Payload.crc(7, size));
            }
            assertThat(h.peakBufferedBytes()).isLessThanOrEqualTo(WINDOW_BYTES);
            await().atMost(Duration.ofSeconds(5)).until(() -> producer.openStreams() == 0 && reader.openStreams() == 0);
        }

        @Test
        @DisplayName("a method writing to an OutputStream streams what it writes; an empty stream just ends")
        void writtenAndEmpty() throws Exception {
            try (InputStream in = gateway.api("streamer").stream("written", 3, 1_000_001).asInputStream()) {
                assertThat(Payload.crc(in)).isEqualTo(new Payload.Summary(1_000_001, Payload.crc(3, 1_000_001)));
            }
            try (InputStream in = gateway.api("streamer").stream("written", 3, 0).asInputStream()) {
                assertThat(in.read()).isEqualTo(-1);
            }
        }

        @Test
        @DisplayName("a Flow.Publisher<byte[]> result is read as a publisher, elements over the chunk size split")
        void publisherOfBytes() throws Exception {
            Collector<byte[]> c = new Collector<>(3);
            gateway.api("streamer").stream("blocks", 10, 100_000).asPublisher().subscribe(c);
            List<byte[]> chunks = c.await();
            long total = chunks.stream().mapToLong(b -> b.length).sum();
            assertThat(total).isEqualTo(1_000_000);
            assertThat(chunks).allSatisfy(b -> assertThat(b.length).isLessThanOrEqualTo(CHUNK));
            byte[] all = new byte[1_000_000];
            int pos = 0;
            for (byte[] b : chunks) {
                System.arraycopy(b, 0, all, pos, b.length);
                pos += b.length;
            }
            for (int i = 0; i < 10; i++) {
                assertThat(all[i * 100_000]).isEqualTo((byte) i);
                assertThat(all[i * 100_000 + 99_999]).isEqualTo((byte) i);
            }
        }

        @Test
        @DisplayName("typed objects: a Flow.Publisher<Point> or an ObjectStream is read with asObjects(type)")
        void objects() throws Exception {
            StreamHandle h = gateway.api("streamer").stream("points", 500);
            assertThat(h.carriesObjects()).isTrue();
            Collector<Streamer.Point> c = new Collector<>(7);
            h.asObjects(Streamer.Point.class).subscribe(c);
            List<Streamer.Point> points = c.await();
            assertThat(points).hasSize(500);
            for (int i = 0; i < 500; i++) {
                assertThat(points.get(i)).isEqualTo(new Streamer.Point(i, i * i));
            }
            Collector<String> words = new Collector<>(1000);
            gateway.api("streamer").stream("words", 3).asObjects(String.class).subscribe(words);
            assertThat(words.await()).containsExactly("word-0", "word-1", "word-2");
        }

        @Test
        @DisplayName("typed proxies: methods returning InputStream, StreamHandle or Flow.Publisher just work")
        void proxies() throws Exception {
            StreamerApi api = gateway.proxy(StreamerApi.class);
            try (InputStream in = api.download(5, 300_000)) {
                assertThat(Payload.crc(in).crc()).isEqualTo(Payload.crc(5, 300_000));
            }
            try (InputStream in = api.written(6, 1234).asInputStream()) {
                assertThat(Payload.crc(in).crc()).isEqualTo(Payload.crc(6, 1234));
            }
            Collector<byte[]> blocks = new Collector<>(100);
            api.blocks(2, 10).subscribe(blocks);
            assertThat(blocks.await()).hasSize(2);
            Collector<Streamer.Point> points = new Collector<>(100);
            api.points(3).subscribe(points);
            assertThat(points.await()).containsExactly(new Streamer.Point(0, 0), new Streamer.Point(1, 1),
                    new Streamer.Point(2, 4));
        }

        @Test
        @DisplayName("typed async stream results: CompletionStage<InputStream | StreamHandle | Flow.Publisher<T>> "
                + "proxies, streamAsync and callAsync(InputStream.class)")
        void asyncTyped() throws Exception {
            StreamerApi.Async api = gateway.proxy(StreamerApi.Async.class);
            try (InputStream in = api.download(5, 300_000).get(10, TimeUnit.SECONDS)) {
                assertThat(Payload.crc(in).crc()).isEqualTo(Payload.crc(5, 300_000));
            }
            try (InputStream in = api.written(6, 1234).toCompletableFuture().get(10, TimeUnit.SECONDS).asInputStream()) {
                assertThat(Payload.crc(in).crc()).isEqualTo(Payload.crc(6, 1234));
            }
            Collector<Streamer.Point> points = new Collector<>(100);
            api.points(3).get(10, TimeUnit.SECONDS).subscribe(points);
            assertThat(points.await()).containsExactly(new Streamer.Point(0, 0), new Streamer.Point(1, 1),
                    new Streamer.Point(2, 4));
            assertThat(api.notAStream()).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(
                    java.util.concurrent.ExecutionException.class).withCauseInstanceOf(BadMessageException.class)
                    .withMessageContaining("notAStream did not return a stream");
            StreamHandle h = gateway.api("streamer").streamAsync("download", 7, 100_000).get(10, TimeUnit.SECONDS);
            try (InputStream in = h.asInputStream()) {
                assertThat(Payload.crc(in).crc()).isEqualTo(Payload.crc(7, 100_000));
            }
            Object in = gateway.api("streamer").callAsync(InputStream.class, "download", 8, 1000).get(10, TimeUnit.SECONDS);
            try (InputStream s = (InputStream) in) {
                assertThat(Payload.crc(s).crc()).isEqualTo(Payload.crc(8, 1000));
            }
        }

        @Test
        @DisplayName("gateway.call returns a StreamHandle when the method returns a stream")
        void genericCall() throws Exception {
            Object r = gateway.call("streamer", "download", 1, 10);
            assertThat(r).isInstanceOf(StreamHandle.class);
            try (InputStream in = ((StreamHandle) r).asInputStream()) {
                assertThat(in.readAllBytes()).hasSize(10);
            }
            Object async = gateway.callAsync("streamer", "download", 1, 10).get(5, TimeUnit.SECONDS);
            assertThat(async).isInstanceOf(StreamHandle.class);
            ((StreamHandle) async).cancel();
        }

        @Test
        @DisplayName("a handle is consumed once, through the door that fits its kind")
        void consumedOnce() {
            StreamHandle bytes = gateway.api("streamer").stream("download", 1, 10);
            bytes.asInputStream();
            assertThatThrownBy(bytes::asPublisher).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already being consumed");
            bytes.cancel();
            StreamHandle objects = gateway.api("streamer").stream("words", 1);
            assertThatThrownBy(objects::asInputStream).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("carries objects");
            objects.cancel();
        }

        @Test
        @DisplayName("stream() on a method that returns a plain value fails with BadMessageException")
        void notAStream() {
            assertThatThrownBy(() -> gateway.api("streamer").stream("notAStream"))
                    .isInstanceOf(BadMessageException.class).hasMessageContaining("streamer.notAStream did not return a stream");
        }

        @Test
        @DisplayName("50 concurrent streams don't mix")
        void fiftyConcurrent() throws Exception {
            int n = 50;
            long size = 512 * 1024 + 17;
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            try {
                List<Future<Payload.Summary>> results = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    long seed = 1000 + i;
                    results.add(pool.submit(() -> {
                        try (InputStream in = gateway.api("streamer").stream("download", seed, size).asInputStream()) {
                            return Payload.crc(in);
                        }
                    }));
                }
                for (int i = 0; i < n; i++) {
                    assertThat(results.get(i).get(60, TimeUnit.SECONDS))
                            .isEqualTo(new Payload.Summary(size, Payload.crc(1000 + i, size)));
                }
            } finally {
                // bounded: a reader stuck on a broken stream must fail this test, never hang the run
                pool.shutdownNow();
                pool.awaitTermination(10, TimeUnit.SECONDS);
            }
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
        @DisplayName("with a reader that pauses between chunks, the producer blocks and buffers stay under the window")
        void slowReader() throws Exception {
            StreamHandle h = gateway.api("streamer").stream("endless");
            long maxProducerGauge = 0;
            long maxAhead = 0;
            try (InputStream in = h.asInputStream()) {
                byte[] buf = new byte[CHUNK];
                long read = 0;
                for (int i = 0; i < 60; i++) {
                    read += in.readNBytes(buf, 0, CHUNK);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                    maxProducerGauge = Math.max(maxProducerGauge, producerGauge());
                    maxAhead = Math.max(maxAhead, streamer.produced.get() - read);
                    assertThat(h.bufferedBytes()).isLessThanOrEqualTo(WINDOW_BYTES);
                }
            }
            assertThat(h.peakBufferedBytes()).isLessThanOrEqualTo(WINDOW_BYTES);
            assertThat(maxProducerGauge).isLessThanOrEqualTo(WINDOW_BYTES);
            // what the producer wrote but the reader did not read: the window, plus one chunk in its hands
            assertThat(maxAhead).isLessThanOrEqualTo(WINDOW_BYTES + CHUNK + 4096);
        }

        @Test
        @DisplayName("a named sink's writes block on credit: its own buffer gauge stays under the window")
        void namedSinkBlocks() throws Exception {
            StreamSink sink = producer.streams().open("slow");
            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (OutputStream out = sink.asOutputStream()) {
                    byte[] block = new byte[CHUNK];
                    for (int i = 0; i < 100; i++) {
                        out.write(block);
                        written.addAndGet(block.length);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, Executors.newVirtualThreadPerTaskExecutor());
            StreamHandle h = reader.streams().bind("slow", Duration.ofSeconds(5));
            long total = 0;
            try (InputStream in = h.asInputStream()) {
                byte[] buf = new byte[CHUNK];
                int n;
                while ((n = in.readNBytes(buf, 0, CHUNK)) > 0) {
                    total += n;
                    assertThat(written.get() - total).isLessThanOrEqualTo(WINDOW_BYTES + CHUNK);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                }
            }
            writer.get(10, TimeUnit.SECONDS);
            assertThat(total).isEqualTo(100L * CHUNK);
            assertThat(sink.peakBufferedBytes()).isPositive().isLessThanOrEqualTo(WINDOW_BYTES);
            assertThat(h.peakBufferedBytes()).isLessThanOrEqualTo(WINDOW_BYTES);
        }

        @Test
        @DisplayName("a producer that ignores credit fails the stream; the reader never buffers beyond the window")
        void producerBeyondCredit() throws Exception {
            try (RawProducer evil = new RawProducer("evil")) {
                StreamHandle h = reader.streams().bind("evil", Duration.ofSeconds(5));
                InputStream in = h.asInputStream(); // grants the window, then reads nothing
                evil.awaitGrant();
                for (int q = 0; q < 200; q++) {
                    evil.chunk(q, new byte[CHUNK]);
                }
                // the reader tells the producer to stop, and fails the stream
                await().atMost(Duration.ofSeconds(5)).until(() -> evil.cancelled);
                assertThatThrownBy(in::read).isInstanceOf(IOException.class).cause()
                        .isInstanceOfSatisfying(StreamException.class,
                                e -> assertThat(e.reason()).isEqualTo(StreamException.Reason.PROTOCOL))
                        .hasMessageContaining("beyond the credit granted");
                assertThat(h.peakBufferedBytes()).isEqualTo(WINDOW_BYTES);
                assertThat(h.bufferedBytes()).isZero();
            }
        }
    }

    @Nested
    @DisplayName("ends and failures")
    class Failures {

        @Test
        @DisplayName("a producer's error reaches the reader with its type and message, after the data before it")
        void producerError() throws Exception {
            StreamHandle h = gateway.api("streamer").stream("failing", 1000, "disk on fire");
            InputStream in = h.asInputStream();
            byte[] first = in.readNBytes(1000);
            assertThat(first).hasSize(1000);
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).cause()
                    .isInstanceOfSatisfying(StreamException.class, e -> {
                        assertThat(e.reason()).isEqualTo(StreamException.Reason.PRODUCER_FAILED);
                        assertThat(e.remoteType()).isEqualTo(IllegalStateException.class.getName());
                        assertThat(e.remoteMessage()).isEqualTo("disk on fire");
                        assertThat(e.streamId()).isEqualTo(h.id());
                    });
            Collector<byte[]> c = new Collector<>(10);
            gateway.api("streamer").stream("failing", 10, "again").asPublisher().subscribe(c);
            assertThatThrownBy(c::await).hasCauseInstanceOf(StreamException.class).hasMessageContaining("again");
        }

        @Test
        @DisplayName("closing the reader's InputStream stops an OutputStream producer: its write throws")
        void cancelStopsWriter() throws Exception {
            InputStream in = gateway.api("streamer").stream("endless").asInputStream();
            assertThat(in.readNBytes(100_000)).hasSize(100_000);
            in.close();
            assertThat(streamer.stopped.await(5, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> producer.openStreams() == 0 && reader.openStreams() == 0);
            long after = streamer.produced.get();
            assertThat(producerMeters.find("iios.streams").tag("outcome", "cancelled").counter().count()).isEqualTo(1);
            assertThat(streamer.produced.get()).isEqualTo(after);
        }

        @Test
        @DisplayName("cancelling a subscription stops a Flow.Publisher producer: its subscription is cancelled")
        void cancelStopsPublisher() throws Exception {
            CompletableFuture<Void> gotSome = new CompletableFuture<>();
            gateway.api("streamer").stream("endlessPublisher").asPublisher().subscribe(new Flow.Subscriber<>() {
                private Flow.Subscription s;
                private int n;

                @Override
                public void onSubscribe(Flow.Subscription s) {
                    this.s = s;
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(byte[] item) {
                    if (++n == 50) {
                        s.cancel();
                        gotSome.complete(null);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    gotSome.completeExceptionally(t);
                }

                @Override
                public void onComplete() {
                }
            });
            gotSome.get(5, TimeUnit.SECONDS);
            assertThat(streamer.stopped.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(streamer.publisherCancelled).isTrue();
        }

        @Test
        @DisplayName("a vanished producer (node aborted) ends the stream with a clear idle-timeout error")
        void producerVanishes() throws Exception {
            InputStream in = gateway.api("streamer").stream("endless").asInputStream();
            assertThat(in.readNBytes(10_000)).hasSize(10_000);
            producer.abort();
            assertThatThrownBy(() -> {
                byte[] buf = new byte[CHUNK];
                while (in.read(buf) != -1) {
                    // drain what was buffered; then the idle timeout fires
                }
            }).isInstanceOf(IOException.class).cause().isInstanceOfSatisfying(StreamException.class, e -> {
                assertThat(e.reason()).isEqualTo(StreamException.Reason.IDLE_TIMEOUT);
                assertThat(e.getMessage()).contains("no message from the producer", "iios.stream.idle-timeout");
            });
        }

        @Test
        @DisplayName("a vanished reader (node aborted) stops the producer")
        void readerVanishes() throws Exception {
            InputStream in = gateway.api("streamer").stream("endless").asInputStream();
            assertThat(in.readNBytes(10_000)).hasSize(10_000);
            reader.abort();
            assertThat(streamer.stopped.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> producer.openStreams() == 0);
            assertThat(producerMeters.find("iios.streams").tag("outcome", "vanished").counter().count()).isEqualTo(1);
        }

        @Test
        @DisplayName("a stream nobody consumes is given up after the idle timeout (no leak)")
        void unconsumed() {
            StreamHandle h = gateway.api("streamer").stream("endless");
            assertThat(producer.openStreams()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> producer.openStreams() == 0);
            assertThat(producerMeters.find("iios.streams").tag("outcome", "unclaimed").counter().count()).isEqualTo(1);
            assertThat(streamer.produced.get()).isZero();
            assertThat(h.id()).isNotEmpty();
        }

        @Test
        @DisplayName("a missing chunk fails the stream clearly; a duplicate one is dropped and counted")
        void gapAndDuplicate() throws Exception {
            try (RawProducer raw = new RawProducer("gappy")) {
                StreamHandle h = reader.streams().bind("gappy", Duration.ofSeconds(5));
                InputStream in = h.asInputStream();
                raw.awaitGrant();
                raw.chunk(0, new byte[] {1});
                raw.chunk(0, new byte[] {1});
                raw.chunk(2, new byte[] {3});
                assertThat(in.read()).isEqualTo(1);
                assertThatThrownBy(in::read).isInstanceOf(IOException.class).cause()
                        .isInstanceOfSatisfying(StreamException.class, e -> {
                            assertThat(e.reason()).isEqualTo(StreamException.Reason.PROTOCOL);
                            assertThat(e.getMessage()).contains("chunk 1 of stream", "is missing");
                        });
                assertThat(dropped(readerMeters, "stream-duplicate")).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("closing the producing node ends its open streams at once with a typed CLOSED error, named "
                + "streams too (no idle timeout)")
        void producerCloses() throws Exception {
            InputStream in = gateway.api("streamer").stream("endless").asInputStream();
            assertThat(in.readNBytes(10_000)).hasSize(10_000);
            StreamSink sink = producer.streams().open("closing");
            StreamHandle named = reader.streams().bind("closing", Duration.ofSeconds(5));
            InputStream namedIn = named.asInputStream();
            // own threads: the common pool may have a single thread on a small machine
            ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try (OutputStream out = sink.asOutputStream()) {
                    out.write(new byte[100]);
                    out.flush();
                    while (true) {
                        out.write(new byte[CHUNK]);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, threads);
            assertThat(namedIn.readNBytes(100)).hasSize(100);
            CompletableFuture.runAsync(producer::close, threads);
            for (InputStream s : List.of(in, namedIn)) {
                assertThatThrownBy(() -> s.transferTo(OutputStream.nullOutputStream())).isInstanceOf(IOException.class)
                        .hasMessageContaining("producer node closing")
                        .cause().isInstanceOfSatisfying(StreamException.class, e -> {
                            assertThat(e.reason()).isEqualTo(StreamException.Reason.CLOSED);
                            assertThat(e.getMessage()).contains("the producing node " + producer.nodeId(),
                                    "closed before the end");
                        });
            }
            assertThat(writing).failsWithin(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.openStreams() == 0);
            threads.shutdown();
        }

        @Test
        @DisplayName("closing the reading node cancels its incoming streams: the producer stops (no idle timeout)")
        void readerCloses() throws Exception {
            InputStream in = gateway.api("streamer").stream("endless").asInputStream();
            assertThat(in.readNBytes(10_000)).hasSize(10_000);
            reader.close();
            assertThat(streamer.stopped.await(5, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> producer.openStreams() == 0);
            assertThat(producerMeters.find("iios.streams").tag("outcome", "cancelled").counter().count()).isEqualTo(1);
            assertThat(producerMeters.find("iios.streams").tag("outcome", "vanished").counter()).isNull();
        }

        @Test
        @DisplayName("closing the reading node cancels a named stream it bound but never read: its producer is told")
        void readerClosesBoundUnread() throws Exception {
            StreamSink sink = producer.streams().open("unread");
            ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try (OutputStream out = sink.asOutputStream()) {
                    while (true) {
                        out.write(new byte[CHUNK]);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, threads);
            reader.streams().bind("unread", Duration.ofSeconds(5));
            assertThat(reader.openStreams()).isEqualTo(1);
            reader.close();
            assertThat(writing).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                    .havingRootCause().isInstanceOfSatisfying(StreamException.class,
                            e -> assertThat(e.reason()).isEqualTo(StreamException.Reason.CANCELLED));
            await().atMost(Duration.ofSeconds(5)).until(() -> producer.openStreams() == 0);
            assertThat(producerMeters.find("iios.streams").tag("outcome", "cancelled").counter().count()).isEqualTo(1);
            assertThat(producerMeters.find("iios.streams").tag("outcome", "vanished").counter()).isNull();
            threads.shutdown();
        }
    }

    @Nested
    @DisplayName("named streams")
    class Named {

        @Test
        @DisplayName("a service opens a named stream; another node binds to it by name")
        void openAndBind() throws Exception {
            StreamSink sink = producer.services().get(0).streams().open("report");
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try (OutputStream out = sink.asOutputStream()) {
                    Payload.of(11, 2_000_000).transferTo(out);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            StreamHandle h = reader.streams().bind("report", Duration.ofSeconds(5));
            try (InputStream in = h.asInputStream()) {
                assertThat(Payload.crc(in)).isEqualTo(new Payload.Summary(2_000_000, Payload.crc(11, 2_000_000)));
            }
            writing.get(5, TimeUnit.SECONDS);
            assertThat(cluster.raw().kv().get(cluster.namespace + ":_bind:report")).isEmpty();
        }

        @Test
        @DisplayName("a named sink fed as a Flow.Subscriber; the binder may bind before the name is announced")
        void subscriberSinkAndEarlyBinder() throws Exception {
            CompletableFuture<StreamHandle> binding = CompletableFuture.supplyAsync(
                    () -> reader.streams().bind("late", Duration.ofSeconds(10)));
            StreamSink sink = producer.streams().open("late");
            new Streamer().blocks(5, 70_000).subscribe(sink.asSubscriber());
            try (InputStream in = binding.get(10, TimeUnit.SECONDS).asInputStream()) {
                byte[] all = in.readAllBytes();
                assertThat(all).hasSize(350_000);
                assertThat(all[0]).isEqualTo((byte) 0);
                assertThat(all[349_999]).isEqualTo((byte) 4);
            }
        }

        @Test
        @DisplayName("binding a name nobody announces fails with NOT_FOUND after the timeout; a name is bound once")
        void notFoundAndOnce() throws Exception {
            assertThatThrownBy(() -> reader.streams().bind("nobody", Duration.ofMillis(200)))
                    .isInstanceOfSatisfying(StreamException.class,
                            e -> assertThat(e.reason()).isEqualTo(StreamException.Reason.NOT_FOUND))
                    .hasMessageContaining("no stream named 'nobody'");
            StreamSink sink = producer.streams().open("once");
            StreamHandle first = reader.streams().bind("once", Duration.ofSeconds(5));
            assertThatThrownBy(() -> gateway.proxy(BobLess.class, "x"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> reader.streams().bind("once", Duration.ofMillis(200)))
                    .isInstanceOf(StreamException.class);
            first.cancel();
            sink.close();
        }
    }

    /** Not an interface annotated @Service: just for the proxy check above. */
    static final class BobLess {
    }

    @Nested
    @DisplayName("bad input")
    class BadInput {

        @Test
        @DisplayName("garbage on a stream's data and control channels is dropped and counted; the stream goes on")
        void garbage() throws Exception {
            StreamSink sink = producer.streams().open("sturdy");
            StreamHandle h = reader.streams().bind("sturdy", Duration.ofSeconds(5));
            CompletableFuture<Payload.Summary> read = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = h.asInputStream()) {
                    return Payload.crc(in);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Transport raw = cluster.raw();
            Encoder json = producer.encoder();
            String data = cluster.namespace + ":_stream:" + h.id() + ":d";
            String control = cluster.namespace + ":_stream:" + h.id() + ":c";
            // wait until the reader listens (its grant reached the producer)
            await().atMost(Duration.ofSeconds(5)).until(() -> producerGaugePresent());
            List<byte[]> garbage = List.of(new byte[0], "{not json".getBytes(StandardCharsets.UTF_8),
                    "[1,2]".getBytes(StandardCharsets.UTF_8), randomBytes(300),
                    json.encode(Map.of("v", 1, "t", "sd")), json.encode(Map.of("v", 1, "t", "zz", "q", 0)),
                    json.encode(Map.of("v", 2, "t", "sd", "q", 0, "b", new byte[1])));
            for (byte[] g : garbage) {
                raw.pubsub().publish(data, g);
                raw.pubsub().publish(control, g);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> dropped(readerMeters, "malformed-stream") == garbage.size()
                    && dropped(producerMeters, "malformed-stream") == garbage.size());
            try (OutputStream out = sink.asOutputStream()) {
                Payload.of(2, 500_000).transferTo(out);
            }
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(new Payload.Summary(500_000, Payload.crc(2, 500_000)));
            assertThat(gateway.call("streamer", "notAStream")).isEqualTo("plain");
            raw.close();
        }

        private boolean producerGaugePresent() {
            return producerMeters.find("iios.stream.buffered.bytes").tag("side", "producer").gauge() != null
                    && readerMeters.find("iios.stream.buffered.bytes").tag("side", "reader").gauge() != null;
        }

        @Test
        @DisplayName("with a small iios.message.max-bytes the default chunk size shrinks to fit, and streams work")
        void smallMessages() throws Exception {
            Streamer small = new Streamer();
            cluster.start(cluster.builder().service("tiny", small).set("iios.message.max-bytes", "16KiB"));
            IiosNode client = cluster.start(cluster.builder().set("iios.message.max-bytes", "16KiB"));
            client.gateway().waitForService("tiny", Duration.ofSeconds(5));
            Collector<byte[]> c = new Collector<>(1000);
            client.gateway().api("tiny").stream("blocks", 3, 50_000).asPublisher().subscribe(c);
            List<byte[]> chunks = c.await();
            assertThat(chunks.stream().mapToInt(b -> b.length).sum()).isEqualTo(150_000);
            assertThat(chunks).allSatisfy(b -> assertThat(b.length).isLessThanOrEqualTo(16 * 1024));
        }

        @Test
        @DisplayName("a chunk size whose encoded chunk would not fit iios.message.max-bytes is refused at start")
        void chunkTooLarge() {
            assertThatThrownBy(() -> cluster.builder().set("iios.message.max-bytes", "64KiB")
                    .set("iios.stream.chunk-size", "64KiB").start())
                    .isInstanceOf(ConfigException.class).hasMessageContaining("iios.stream.chunk-size");
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** A hand-made producer on a raw connection: announces a name, then sends whatever a test wants. */
    final class RawProducer implements AutoCloseable {
        final Transport raw = cluster.raw();
        final Encoder encoder = producer.encoder();
        final String id;
        final CompletableFuture<Void> granted = new CompletableFuture<>();
        volatile boolean cancelled;
        private final Subscription control;

        RawProducer(String name) {
            id = "s" + Iios.randomId(15);
            control = raw.pubsub().subscribe(cluster.namespace + ":_stream:" + id + ":c", (ch, payload) -> {
                Map<?, ?> m = (Map<?, ?>) encoder.decode(payload);
                if ("sg".equals(m.get("t")) && ((Number) m.get("g")).longValue() > 0) {
                    granted.complete(null);
                } else if ("sg".equals(m.get("t"))) {
                    // the claim of a named stream: a producer answers it with a heartbeat (bound)
                    raw.pubsub().publish(cluster.namespace + ":_stream:" + id + ":d",
                            encoder.encode(Map.of("v", 1, "t", "sh")));
                } else if ("sx".equals(m.get("t"))) {
                    cancelled = true;
                }
            });
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("v", 1);
            d.put("id", id);
            d.put("k", "b");
            raw.kv().put(cluster.namespace + ":_bind:" + name, encoder.encode(d));
        }

        void awaitGrant() throws Exception {
            granted.get(5, TimeUnit.SECONDS);
        }

        void chunk(long q, byte[] bytes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("v", 1);
            m.put("t", "sd");
            m.put("q", q);
            m.put("b", bytes);
            raw.pubsub().publish(cluster.namespace + ":_stream:" + id + ":d", encoder.encode(m));
        }

        @Override
        public void close() {
            control.close();
            raw.close();
        }
    }
}
