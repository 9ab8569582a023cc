package io.iios.transport.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.iios.spi.KvListener.Change;
import io.iios.spi.KvStore;
import io.iios.spi.TransportException;
import io.iios.spi.TransportListener;
import io.iios.transport.nats.internal.NatsNames;
import io.iios.transport.nats.internal.NatsTransport;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NatsKvTest {
    private String url;
    private final String ns = NatsTestSupport.namespace();
    private Connection raw;

    @BeforeEach
    void connect() throws Exception {
        url = NatsTestSupport.requireNats();
        raw = Nats.connect(url);
    }

    @AfterEach
    void cleanup() throws Exception {
        NatsTestSupport.deleteBucket(url, ns);
        raw.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("the bucket iios-NAMESPACE is created on first use; plain values are readable with the KV API")
    void bucketLayout() throws Exception {
        try (NatsTransport t = NatsTestSupport.transport(url, ns, TransportListener.NONE)) {
            assertThat(raw.keyValueManagement().getBucketNames()).doesNotContain("iios-" + ns);
            t.kv().put(ns + ":cfg:a.b", utf8("hello"));
            assertThat(t.bucket()).isEqualTo("iios-" + ns);
            KeyValue kv = raw.keyValue("iios-" + ns);
            assertThat(kv.get(NatsNames.toKey(ns + ":cfg:a.b")).getValue()).isEqualTo(utf8("hello"));
            assertThat(kv.getStatus().getMaxHistoryPerKey()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a bucket created by someone else with a max age or other storage gives a clear error")
    void foreignBucket() throws Exception {
        raw.keyValueManagement().create(KeyValueConfiguration.builder().name("iios-" + ns)
                .storageType(StorageType.Memory).ttl(Duration.ofHours(1)).build());
        try (NatsTransport t = NatsTestSupport.transport(url, ns, TransportListener.NONE)) {
            assertThatThrownBy(() -> t.kv().get(ns + ":x")).isInstanceOf(TransportException.class)
                    .hasMessageContaining("'iios-" + ns + "' of namespace '" + ns + "' already exists with other settings")
                    .hasMessageContaining("max age PT1H").hasMessageContaining("storage memory")
                    .hasMessageContaining("iios.nats.kv-storage");
        }
        try (NatsTransport t = NatsTestSupport.transport(url, ns, TransportListener.NONE, "iios.nats.kv-storage", "memory")) {
            assertThatThrownBy(() -> t.kv().get(ns + ":x")).hasMessageContaining("max age")
                    .hasMessageNotContaining("storage memory");
        }
    }

    @Test
    @DisplayName("an expired value is purged with an expiry marker, and a watch started later still reports its expiry")
    void expiryMarker() throws Exception {
        try (NatsTransport writer = NatsTestSupport.transport(url, ns, TransportListener.NONE);
                NatsTransport watcher = NatsTestSupport.transport(url, ns, TransportListener.NONE)) {
            KvStore kv = writer.kv();
            String key = ns + ":_registry:bob:i1";
            kv.put(key, utf8("rec"), Duration.ofMillis(700));
            List<Change> seen = new CopyOnWriteArrayList<>();
            watcher.kv().watch(ns + ":_registry:", (k, c, v) -> seen.add(c));
            assertThat(kv.get(key)).isPresent();
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(Change.EXPIRE));
            assertThat(seen).containsExactly(Change.EXPIRE);
            KeyValue raw = this.raw.keyValue("iios-" + ns);
            assertThat(raw.get(NatsNames.toKey(key))).as("purged in the bucket too").isNull();
            assertThat(kv.keys(ns + ":")).isEmpty();
        }
    }
}
