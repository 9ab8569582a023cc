package io.iios.transport.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iios.spi.TransportException;
import io.iios.spi.TransportListener;
import io.iios.transport.mqtt.internal.MqttTransport;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Refusals of a TLS + password mosquitto say what to fix. */
class MqttSecureTest {
    private static MosquittoProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = MosquittoProcess.startSecure();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @DisplayName("the right CA and credentials connect; a wrong password or an untrusted CA fail with a clear error")
    void credentialsAndTrust() {
        String ns = MqttTestSupport.namespace();
        String ca = broker.caFile().toString();
        try (MqttTransport t = MqttTestSupport.transport(broker.uri(), ns, TransportListener.NONE, MqttOptions.CA_FILE,
                ca, MqttOptions.USERNAME, MosquittoProcess.USER, MqttOptions.PASSWORD, MosquittoProcess.PASSWORD)) {
            t.kv().put(ns + ":k", "v".getBytes(StandardCharsets.UTF_8));
            assertThat(t.kv().get(ns + ":k")).isPresent();
            t.kv().delete(ns + ":k");
        }
        assertThatThrownBy(() -> MqttTestSupport.transport(broker.uri(), ns, TransportListener.NONE, MqttOptions.CA_FILE,
                ca, MqttOptions.USERNAME, MosquittoProcess.USER, MqttOptions.PASSWORD, "wrong"))
                .isInstanceOf(TransportException.class).hasMessageContaining("iios.mqtt.password");
        assertThatThrownBy(() -> MqttTestSupport.transport(broker.uri(), ns, TransportListener.NONE,
                MqttOptions.USERNAME, MosquittoProcess.USER, MqttOptions.PASSWORD, MosquittoProcess.PASSWORD))
                .as("the JVM's default trust does not know the test CA")
                .isInstanceOf(TransportException.class).hasMessageContaining("TLS");
    }
}
