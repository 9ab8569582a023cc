package io.iios.transport.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iios.spi.TransportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NatsOptionsTest {

    @Test
    @DisplayName("defaults: the local server, reconnect forever, file storage with one replica")
    void defaults() {
        NatsOptions o = NatsOptions.from(Map.of());
        assertThat(o.servers()).containsExactly("nats://127.0.0.1:4222");
        assertThat(o.maxReconnects()).isEqualTo(-1);
        assertThat(o.reconnectWait()).isEqualTo(Duration.ofMillis(250));
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.kvReplicas()).isEqualTo(1);
        assertThat(o.kvStorage()).isEqualTo(NatsOptions.Storage.FILE);
        assertThat(o.tls()).isFalse();
    }

    @Test
    @DisplayName("several servers, host:port without scheme, tls:// implies TLS; secrets never in toString")
    void servers() {
        NatsOptions o = NatsOptions.from(Map.of("iios.nats.servers", "10.0.0.1:4222, tls://10.0.0.2:4222",
                "iios.nats.user", "app", "iios.nats.password", "s3cret"));
        assertThat(o.servers()).containsExactly("nats://10.0.0.1:4222", "tls://10.0.0.2:4222");
        assertThat(o.tls()).isTrue();
        assertThat(o.toString()).doesNotContain("s3cret");
        assertThat(NatsOptions.from(Map.of("iios.nats.token", "tok")).toString()).doesNotContain("tok]");
    }

    @Test
    @DisplayName("an invalid value names the key, the value, the environment form and the expected form")
    void invalidValues() {
        assertThatThrownBy(() -> NatsOptions.from(Map.of("iios.nats.reconnect-wait", "soon")))
                .isInstanceOf(TransportException.class)
                .hasMessage("invalid value 'soon' for iios.nats.reconnect-wait (environment IIOS_NATS_RECONNECT_WAIT): "
                        + "expected a duration such as 500ms, 5s, 1m (at least 0ms)");
        assertThatThrownBy(() -> NatsOptions.from(Map.of("iios.nats.servers", "http://x:1")))
                .hasMessageContaining("IIOS_NATS_SERVERS").hasMessageContaining("nats://");
        assertThatThrownBy(() -> NatsOptions.from(Map.of("iios.nats.kv-replicas", "7"))).hasMessageContaining("1 to 5");
        assertThatThrownBy(() -> NatsOptions.from(Map.of("iios.nats.kv-storage", "disk"))).hasMessageContaining("file or memory");
        assertThatThrownBy(() -> NatsOptions.from(Map.of("iios.nats.token", "t", "iios.nats.user", "u")))
                .hasMessageContaining("set only one");
        assertThatThrownBy(() -> NatsOptions.from(Map.of("iios.nats.credentials", "/nonexistent/x.creds")))
                .hasMessageContaining("IIOS_NATS_CREDENTIALS").hasMessageContaining("not found");
        assertThatThrownBy(() -> NatsOptions.from(Map.of("iios.nats.nkey-seed", "UABC")))
                .hasMessageContaining("SU").hasMessageNotContaining("UABC");
        assertThatThrownBy(() -> NatsOptions.from(Map.of("iios.nats.tls", "maybe"))).hasMessageContaining("true or false");
    }

    @Test
    @DisplayName("the provider declares every key it reads")
    void providerKeys() {
        assertThat(new NatsTransportProvider().configKeys()).isEqualTo(NatsOptions.KEYS);
    }

    @Test
    @DisplayName("docs/configuration.md lists every NATS key with its environment form and default column")
    void everyKeyDocumented() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        assertThat(doc).contains("## NATS transport");
        for (String key : NatsOptions.KEYS) {
            String env = key.toUpperCase().replace('.', '_').replace('-', '_');
            assertThat(doc.lines().filter(l -> l.startsWith("| `" + key + "` |")).findFirst())
                    .as("a table row for %s", key)
                    .hasValueSatisfying(l -> assertThat(l).contains("`" + env + "`"));
        }
    }
}
