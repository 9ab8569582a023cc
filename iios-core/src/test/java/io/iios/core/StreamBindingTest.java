package io.iios.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.iios.api.StreamHandle;
import io.iios.api.StreamSink;
import io.iios.spi.Capability;
import io.iios.spi.KvListener;
import io.iios.spi.KvStore;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import io.iios.spi.UnsupportedCapabilityException;
import java.io.InputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("binding a named stream: KV watch where the transport has it, bounded polling where it does not")
class StreamBindingTest {
    private Cluster cluster;

    @BeforeEach
    void start() {
        cluster = new Cluster();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** A memory connection that counts reads and watches of {@code _bind:} keys, with or without KV_WATCH. */
    static final class CountingTransport implements Transport {
        final AtomicInteger bindReads = new AtomicInteger();
        final AtomicInteger bindWatches = new AtomicInteger();
        private final Transport inner;
        private final boolean watch;
        private final KvStore kv;

        CountingTransport(Transport inner, boolean watch) {
            this.inner = inner;
            this.watch = watch;
            KvStore k = inner.kv();
            this.kv = new KvStore() {
                @Override
                public Optional<byte[]> get(String key) {
                    if (key.contains(":_bind:")) {
                        bindReads.incrementAndGet();
                    }
                    return k.get(key);
                }

                @Override
                public void put(String key, byte[] value, @Nullable Duration ttl) {
                    k.put(key, value, ttl);
                }

                @Override
                public boolean putIfAbsent(String key, byte[] value, @Nullable Duration ttl) {
                    return k.putIfAbsent(key, value, ttl);
                }

                @Override
                public boolean delete(String key) {
                    return k.delete(key);
                }

                @Override
                public List<String> keys(String prefix) {
                    return k.keys(prefix);
                }

                @Override
                public Subscription watch(String prefix, KvListener listener) {
                    if (!watch) {
                        throw new UnsupportedCapabilityException("no KV_WATCH in this test transport", Capability.KV_WATCH);
                    }
                    if (prefix.contains(":_bind:")) {
                        bindWatches.incrementAndGet();
                    }
                    return k.watch(prefix, listener);
                }
            };
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public Set<Capability> capabilities() {
            EnumSet<Capability> c = EnumSet.copyOf(inner.capabilities());
            if (!watch) {
                c.remove(Capability.KV_WATCH);
            }
            return c;
        }

        @Override
        public KvStore kv() {
            return kv;
        }

        @Override
        public PubSub pubsub() {
            return inner.pubsub();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    private CountingTransport binderTransport;

    private IiosNode binder(boolean watch) {
        return cluster.start(cluster.builder().transport(listener -> {
            binderTransport = new CountingTransport(cluster.broker.connect(listener), watch);
            return binderTransport;
        }));
    }

    private static void bindAndRead(IiosNode producer, CompletableFuture<StreamHandle> binding) throws Exception {
        StreamSink sink = producer.streams().open("later");
        CompletableFuture<byte[]> read = binding.thenApplyAsync(h -> {
            try (InputStream in = h.asInputStream()) {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, Thread.ofVirtual()::start);
        var out = sink.asOutputStream();
        out.write(new byte[] {1, 2, 3});
        out.close();
        assertThat(read.get(10, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
    }

    @Test
    @DisplayName("with KV_WATCH (memory) a waiting binder reads the key once, then only when it is written")
    void watches() throws Exception {
        IiosNode reader = binder(true);
        IiosNode producer = cluster.gateway();
        CompletableFuture<StreamHandle> binding = CompletableFuture.supplyAsync(
                () -> reader.streams().bind("later", Duration.ofSeconds(10)), Thread.ofVirtual()::start);
        await().atMost(Duration.ofSeconds(5)).until(() -> binderTransport.bindReads.get() == 1);
        assertThat(binderTransport.bindWatches.get()).isEqualTo(1);
        // no polling while nothing is announced
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> binderTransport.bindReads.get() == 1);
        bindAndRead(producer, binding);
        assertThat(binderTransport.bindReads.get()).isEqualTo(2);
    }

    @Test
    @DisplayName("without KV_WATCH a waiting binder polls with backoff, and binds all the same")
    void polls() throws Exception {
        IiosNode reader = binder(false);
        IiosNode producer = cluster.gateway();
        CompletableFuture<StreamHandle> binding = CompletableFuture.supplyAsync(
                () -> reader.streams().bind("later", Duration.ofSeconds(10)), Thread.ofVirtual()::start);
        await().atMost(Duration.ofSeconds(5)).until(() -> binderTransport.bindReads.get() >= 4);
        assertThat(binderTransport.bindWatches.get()).isZero();
        bindAndRead(producer, binding);
    }
}
