package io.iios.core;

import static io.iios.core.StreamsTest.dropped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.iios.api.AccessDeniedException;
import io.iios.api.Possession;
import io.iios.api.StreamException;
import io.iios.api.StreamHandle;
import io.iios.api.StreamSink;
import io.iios.core.internal.security.EnvelopeSigner;
import io.iios.core.internal.security.SecurityOptions;
import io.iios.spi.Encoder;
import io.iios.spi.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("streams with iios.security.key and RBAC: signed messages, checked binders")
class StreamSecurityTest {
    static final String KEY = SigningTest.KEY;
    static final String OTHER_KEY = SigningTest.OTHER_KEY;

    private Cluster cluster;
    private Transport raw;

    @BeforeEach
    void start() {
        cluster = new Cluster();
        raw = cluster.raw();
    }

    @AfterEach
    void stop() {
        raw.close();
        cluster.close();
    }

    private static EnvelopeSigner signer(String key, Encoder encoder) {
        return EnvelopeSigner.create(SecurityOptions.from(Config.of(Map.of("iios.security.key", key))), encoder);
    }

    private static Map<String, Object> envelope(String type, Object... fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        m.put("t", type);
        for (int i = 0; i < fields.length; i += 2) {
            m.put((String) fields[i], fields[i + 1]);
        }
        return m;
    }

    private static CompletableFuture<Payload.Summary> readAsync(StreamHandle h) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = h.asInputStream()) {
                return Payload.crc(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread.ofVirtual()::start); // not the common pool: it may have one thread on a small machine
    }

    private static void write(StreamSink sink, long seed, long size) {
        try (OutputStream out = sink.asOutputStream()) {
            Payload.of(seed, size).transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stream envelopes seen on the broker, decoded. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> capture(Encoder encoder) {
        List<Map<String, Object>> seen = new CopyOnWriteArrayList<>();
        raw.pubsub().subscribe(cluster.namespace + ":_stream:>",
                (ch, payload) -> seen.add((Map<String, Object>) encoder.decode(payload)));
        return seen;
    }

    @Nested
    @DisplayName("signing")
    class Signing {
        private IiosNode producer;
        private IiosNode reader;
        private SimpleMeterRegistry producerMeters;
        private SimpleMeterRegistry readerMeters;

        private void startNodes(String encoder) {
            producerMeters = new SimpleMeterRegistry();
            readerMeters = new SimpleMeterRegistry();
            producer = cluster.start(StreamsTest.settings(cluster.builder()).service(new Streamer())
                    .meterRegistry(producerMeters).set("iios.security.key", KEY).set("iios.encoder", encoder));
            reader = cluster.start(StreamsTest.settings(cluster.builder()).meterRegistry(readerMeters)
                    .set("iios.security.key", KEY).set("iios.encoder", encoder));
            reader.gateway().waitForService("streamer", Duration.ofSeconds(5));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"json", "msgpack"})
        @DisplayName("with a key every stream message is signed (and names its stream); streams arrive whole")
        void signedDelivery(String encoder) throws Exception {
            startNodes(encoder);
            List<Map<String, Object>> seen = capture(producer.encoder());
            StreamHandle h = reader.gateway().api("streamer").stream("download", 5, 3_000_000L);
            try (InputStream in = h.asInputStream()) {
                assertThat(Payload.crc(in)).isEqualTo(new Payload.Summary(3_000_000, Payload.crc(5, 3_000_000)));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream().anyMatch(m -> "se".equals(m.get("t"))));
            assertThat(seen.stream().map(m -> m.get("t"))).contains((Object) "sd", "sg", "se");
            assertThat(seen).allSatisfy(m -> {
                assertThat(m.keySet()).contains("sig", "kid", "ts");
                assertThat(m.get("id")).isEqualTo(h.id());
            });
            assertThat(dropped(readerMeters, "forged") + dropped(readerMeters, "unsigned")
                    + dropped(producerMeters, "forged") + dropped(producerMeters, "unsigned")).isZero();
        }

        @Test
        @DisplayName("forged and unsigned chunks, ends, grants and cancels injected on the broker are dropped and "
                + "counted; the real stream completes")
        void forgeries() throws Exception {
            startNodes("json");
            Encoder json = producer.encoder();
            EnvelopeSigner intruder = signer(OTHER_KEY, json);
            EnvelopeSigner insider = signer(KEY, json);
            StreamSink sink = producer.services().get(0).streams().open("signed");
            StreamHandle h = reader.streams().bind("signed", Duration.ofSeconds(5));
            CompletableFuture<Payload.Summary> read = readAsync(h);
            String data = cluster.namespace + ":_stream:" + h.id() + ":d";
            String control = cluster.namespace + ":_stream:" + h.id() + ":c";
            // wait until the reader listens and granted its window
            await().atMost(Duration.ofSeconds(5)).until(() -> producerMeters.find("iios.stream.buffered.bytes")
                    .tag("side", "producer").gauge() != null && readerMeters.find("iios.stream.buffered.bytes")
                    .tag("side", "reader").gauge() != null);
            List<Map<String, Object>> onData = List.of(
                    envelope("sd", "q", 0, "b", new byte[] {9, 9, 9}),
                    intruder.signStream(envelope("sd", "q", 0, "b", new byte[] {9, 9, 9}), h.id()),
                    intruder.signStream(envelope("se", "q", 0), h.id()),
                    envelope("sf", "q", 0, "err", Map.of("type", "x.Evil", "msg", "forged failure")),
                    // signed with the right key for another stream: the id is covered, so it is forged here
                    insider.signStream(envelope("se", "q", 0), "sother0000000000"));
            List<Map<String, Object>> onControl = List.of(
                    envelope("sx", "r", "intruder"),
                    intruder.signStream(envelope("sx", "r", "intruder"), h.id()),
                    envelope("sg", "r", "intruder", "g", 1_000, "mx", 65536),
                    intruder.signStream(envelope("sg", "r", "intruder", "g", 1_000, "mx", 65536), h.id()));
            for (Map<String, Object> m : onData) {
                raw.pubsub().publish(data, json.encode(m));
            }
            for (Map<String, Object> m : onControl) {
                raw.pubsub().publish(control, json.encode(m));
            }
            // a signed chunk whose bytes were altered on the way
            Map<String, Object> altered = insider.signStream(envelope("sd", "q", 0, "b", new byte[] {1, 2, 3}), h.id());
            altered.put("b", new byte[] {1, 2, 4});
            raw.pubsub().publish(data, json.encode(altered));
            await().atMost(Duration.ofSeconds(5)).until(() -> dropped(readerMeters, "unsigned") == 2
                    && dropped(readerMeters, "forged") == 4 && dropped(producerMeters, "unsigned") == 2
                    && dropped(producerMeters, "forged") == 2);
            write(sink, 3, 1_500_000);
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(new Payload.Summary(1_500_000, Payload.crc(3, 1_500_000)));
            assertThat(dropped(readerMeters, "malformed-stream") + dropped(producerMeters, "stream-foreign-reader"))
                    .isZero();
        }

        @Test
        @DisplayName("an unsigned or forged announcement is not bound: the binder counts it and keeps waiting")
        void forgedAnnouncement() throws Exception {
            startNodes("json");
            Encoder json = producer.encoder();
            raw.kv().put(cluster.namespace + ":_bind:ghost", json.encode(
                    envelope("x", "id", "sghost0000000000", "k", "b", "n", "intruder", "ts", System.currentTimeMillis())));
            Map<String, Object> forged = envelope("x", "id", "sghost0000000001", "k", "b", "n", "intruder");
            forged.remove("t");
            raw.kv().put(cluster.namespace + ":_bind:ghost2", json.encode(signer(OTHER_KEY, json).sign(forged)));
            assertThatThrownBy(() -> reader.streams().bind("ghost", Duration.ofMillis(300)))
                    .isInstanceOfSatisfying(StreamException.class,
                            e -> assertThat(e.reason()).isEqualTo(StreamException.Reason.NOT_FOUND));
            assertThatThrownBy(() -> reader.streams().bind("ghost2", Duration.ofMillis(300)))
                    .isInstanceOf(StreamException.class);
            assertThat(dropped(readerMeters, "unsigned")).isPositive();
            assertThat(dropped(readerMeters, "forged")).isPositive();
            // the announcements stay: a forged one is never claimed (deleted) by a keyed binder
            assertThat(raw.kv().get(cluster.namespace + ":_bind:ghost")).isPresent();
            // a real producer taking the name over is bound at once
            StreamSink sink = producer.streams().open("ghost");
            CompletableFuture<Payload.Summary> read = readAsync(reader.streams().bind("ghost", Duration.ofSeconds(5)));
            write(sink, 4, 100_000);
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(new Payload.Summary(100_000, Payload.crc(4, 100_000)));
        }
    }

    @Test
    @DisplayName("without a key nothing is signed and stream envelopes carry no signature fields")
    void withoutKey() throws Exception {
        IiosNode producer = cluster.start(StreamsTest.settings(cluster.builder()).service(new Streamer()));
        IiosNode reader = cluster.start(StreamsTest.settings(cluster.builder()));
        reader.gateway().waitForService("streamer", Duration.ofSeconds(5));
        List<Map<String, Object>> seen = capture(producer.encoder());
        StreamHandle h = reader.gateway().api("streamer").stream("download", 6, 500_000L);
        try (InputStream in = h.asInputStream()) {
            assertThat(Payload.crc(in)).isEqualTo(new Payload.Summary(500_000, Payload.crc(6, 500_000)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream().anyMatch(m -> "se".equals(m.get("t"))));
        assertThat(seen).isNotEmpty().allSatisfy(m -> assertThat(m.keySet()).doesNotContain("sig", "kid", "id"));
    }

    @Nested
    @DisplayName("RBAC on named streams: the producer's node checks who binds")
    class Rbac {
        private IiosNode producer;
        private IiosNode reader;
        private SimpleMeterRegistry producerMeters;

        @BeforeEach
        void startNodes() {
            producerMeters = new SimpleMeterRegistry();
            producer = cluster.start(StreamsTest.settings(cluster.builder()).service(new Streamer())
                    .meterRegistry(producerMeters).set("iios.rbac.enabled", "true").set("iios.security.key", KEY));
            reader = cluster.start(StreamsTest.settings(cluster.builder()).set("iios.security.key", KEY));
            AccessControl acl = reader.accessControl();
            acl.grant("viewer", "streamer", "read", Possession.ANY);
            acl.grant("writer", "streamer", "update", Possession.ANY);
            acl.bind("alice", "viewer");
            acl.bind("mallory", "writer");
        }

        private double denied() {
            var c = producerMeters.find("iios.rbac.denied").tag("service", "streamer").tag("method", "_bind").counter();
            return c == null ? 0 : c.count();
        }

        @Test
        @DisplayName("a user with read on the owning service binds; others get AccessDeniedException and the "
                + "stream stays available")
        void allowAndDeny() throws Exception {
            StreamSink sink = producer.services().get(0).streams().open("report");
            assertThatThrownBy(() -> reader.gateway().asUser("mallory").streams().bind("report", Duration.ofSeconds(5)))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessage("access denied to stream 'report' of service streamer for user 'mallory' (role writer):"
                            + " missing grant read:any|own on service streamer");
            assertThatThrownBy(() -> reader.streams().bind("report", Duration.ofSeconds(5)))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("for anonymous caller (role anonymous)");
            assertThat(denied()).isEqualTo(2);
            // the denied claims did not take the stream: alice binds it
            StreamHandle h = reader.gateway().asUser("alice").streams().bind("report", Duration.ofSeconds(5));
            CompletableFuture<Payload.Summary> read = readAsync(h);
            write(sink, 8, 300_000);
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(new Payload.Summary(300_000, Payload.crc(8, 300_000)));
        }

        @Test
        @DisplayName("a stream no service owns needs read on every service (*); a service's privileged binding "
                + "skips RBAC")
        void unownedAndPrivileged() throws Exception {
            StreamSink sink = producer.streams().open("loose");
            assertThatThrownBy(() -> reader.gateway().asUser("alice").streams().bind("loose", Duration.ofSeconds(5)))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessage("access denied to stream 'loose' for user 'alice' (role viewer): missing grant "
                            + "read:any|own on service *");
            StreamHandle h = producer.services().get(0).privilegedGateway().streams().bind("loose", Duration.ofSeconds(5));
            CompletableFuture<Payload.Summary> read = readAsync(h);
            write(sink, 9, 1000);
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(new Payload.Summary(1000, Payload.crc(9, 1000)));
        }

        @Test
        @DisplayName("a forged claim (a user id without the key) is dropped, never checked or bound")
        void forgedClaim() throws Exception {
            StreamSink sink = producer.services().get(0).streams().open("guarded");
            byte[] ann = raw.kv().get(cluster.namespace + ":_bind:guarded").orElseThrow();
            String id = (String) ((Map<?, ?>) producer.encoder().decode(ann)).get("id");
            raw.pubsub().publish(cluster.namespace + ":_stream:" + id + ":c", producer.encoder().encode(
                    envelope("sg", "r", "intruder", "g", 0, "mx", 65536, "priv", true)));
            await().atMost(Duration.ofSeconds(5)).until(() -> dropped(producerMeters, "unsigned") >= 1);
            StreamHandle h = reader.gateway().asUser("alice").streams().bind("guarded", Duration.ofSeconds(5));
            CompletableFuture<Payload.Summary> read = readAsync(h);
            write(sink, 10, 2000);
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(new Payload.Summary(2000, Payload.crc(10, 2000)));
        }
    }
}
