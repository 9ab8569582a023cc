package io.iios.transport.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iios.spi.TransportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MqttOptionsTest {

    @Test
    @DisplayName("defaults: tcp://127.0.0.1:1883, clean start, no session expiry, 30 s keep-alive, QoS 0 pub/sub")
    void defaults() {
        MqttOptions o = MqttOptions.from(Map.of());
        assertThat(o.serverUri()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(o.tls()).isFalse();
        assertThat(o.cleanStart()).isTrue();
        assertThat(o.sessionExpiry()).isZero();
        assertThat(o.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.maxInFlight()).isEqualTo(64);
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.pubsubQos()).isZero();
        assertThat(o.clientIdPrefix()).isEqualTo("iios-");
    }

    @Test
    @DisplayName("ssl:// defaults to port 8883; credentials and TLS trust are read; the password never shows")
    void tlsAndCredentials() {
        MqttOptions o = MqttOptions.from(Map.of("iios.mqtt.uri", "ssl://broker.example", "iios.mqtt.username", "dev",
                "iios.mqtt.password", "s3cr3t", "iios.mqtt.ca-file", "/etc/iios/ca.pem"));
        assertThat(o.tls()).isTrue();
        assertThat(o.serverUri()).isEqualTo("ssl://broker.example:8883");
        assertThat(o.username()).isEqualTo("dev");
        assertThat(o.password()).isEqualTo("s3cr3t");
        assertThat(o.caFile()).isEqualTo(Path.of("/etc/iios/ca.pem"));
        assertThat(o.toString()).doesNotContain("s3cr3t");
    }

    @Test
    @DisplayName("an invalid value names the key, the value, the environment form and the expected form")
    void invalidValues() {
        assertThatThrownBy(() -> MqttOptions.from(Map.of("iios.mqtt.timeout", "soon")))
                .isInstanceOf(TransportException.class)
                .hasMessage("invalid value 'soon' for iios.mqtt.timeout (environment IIOS_MQTT_TIMEOUT): "
                        + "expected a duration such as 500ms, 5s, 1m (at least 100ms)");
        assertThatThrownBy(() -> MqttOptions.from(Map.of("iios.mqtt.uri", "mqtt://x:1")))
                .hasMessageContaining("iios.mqtt.uri").hasMessageContaining("tcp://host:port");
        assertThatThrownBy(() -> MqttOptions.from(Map.of("iios.mqtt.uri", "tcp://u:p@x:1")))
                .hasMessageContaining("iios.mqtt.username").hasMessageNotContaining("u:p");
        assertThatThrownBy(() -> MqttOptions.from(Map.of("iios.mqtt.max-in-flight", "0")))
                .hasMessageContaining("IIOS_MQTT_MAX_IN_FLIGHT");
        assertThatThrownBy(() -> MqttOptions.from(Map.of("iios.mqtt.clean-start", "maybe")))
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> MqttOptions.from(Map.of("iios.mqtt.keep-alive", "1500ms")))
                .hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> MqttOptions.from(Map.of("iios.mqtt.pubsub-qos", "2")))
                .hasMessageContaining("IIOS_MQTT_PUBSUB_QOS");
        assertThatThrownBy(() -> MqttOptions.from(Map.of("iios.mqtt.password", "x")))
                .hasMessageContaining("iios.mqtt.username");
        assertThatThrownBy(() -> MqttOptions.from(Map.of("iios.mqtt.ca-file", "a", "iios.mqtt.truststore", "b")))
                .hasMessageContaining("set only one");
    }

    @Test
    @DisplayName("docs/configuration.md lists every MQTT key with its environment form")
    void everyKeyDocumented() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (String key : MqttOptions.KEYS) {
            String env = key.toUpperCase().replace('.', '_').replace('-', '_');
            assertThat(doc.lines().filter(l -> l.startsWith("| `" + key + "` |")).findFirst())
                    .as("row of %s", key).hasValueSatisfying(row -> assertThat(row).contains("`" + env + "`"));
        }
        assertThat(new MqttTransportProvider().configKeys()).isEqualTo(MqttOptions.KEYS);
    }
}
