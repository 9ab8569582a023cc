package io.iios.transport.mqtt;

import io.iios.tck.TransportCompatibilityKit;
import io.iios.tck.TransportUnderTest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole TCK over TLS ({@code ssl://}, a CA made in the test) with a user name and password, on a second
 * mosquitto this test starts (anonymous clients refused), including the broker-restart test.
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
        if (target == null) {
            broker = MosquittoProcess.startSecure();
            target = RestartableTarget.of(TransportUnderTest.fromProvider(new MqttTransportProvider(), Map.of(
                    MqttOptions.URI_KEY, broker.uri(),
                    MqttOptions.CA_FILE, broker.caFile().toString(),
                    MqttOptions.USERNAME, MosquittoProcess.USER,
                    MqttOptions.PASSWORD, MosquittoProcess.PASSWORD)), broker);
        }
        return target;
    }
}
