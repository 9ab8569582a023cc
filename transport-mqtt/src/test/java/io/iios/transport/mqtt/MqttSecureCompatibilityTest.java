package io.iios.transport.mqtt;

import io.iios.tck.TransportCompatibilityKit;
import io.iios.tck.TransportUnderTest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole TCK again — every kit {@link MqttTransportCompatibilityTest} runs — over TLS ({@code ssl://}, a CA
 * made in the test) with a user name and password, on a second mosquitto this test starts (anonymous clients
 * refused, 3 MiB {@code max_packet_size}, restartable through {@code brokerControl()}). So the payload-limit and
 * broker-restart tests that the shared broker skips run here, over the secured connection.
 *
 * <p>It fits in the build because a connection now opens in milliseconds instead of Paho's 300 ms and closes
 * without its 100 ms sleep ({@code PahoThreads}, {@code PahoClient}); the TCK opens and closes a few hundred.
 */
class MqttSecureCompatibilityTest extends TransportCompatibilityKit {
    private static MosquittoProcess broker;
    private static TransportUnderTest target;

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    protected TransportUnderTest transport() {
        return secured();
    }

    private static synchronized TransportUnderTest secured() {
        if (target == null) {
            broker = MosquittoProcess.startSecure();
            target = TransportUnderTest.fromProvider(new MqttTransportProvider(), Map.of(
                    MqttOptions.URI_KEY, broker.uri(),
                    MqttOptions.CA_FILE, broker.caFile().toString(),
                    MqttOptions.USERNAME, MosquittoProcess.USER,
                    MqttOptions.PASSWORD, MosquittoProcess.PASSWORD)).withBrokerControl(broker::restart);
        }
        return target;
    }
}
