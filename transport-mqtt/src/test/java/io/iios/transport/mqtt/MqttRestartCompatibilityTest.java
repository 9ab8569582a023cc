package io.iios.transport.mqtt;

import io.iios.tck.TransportCompatibilityKit;
import io.iios.tck.TransportUnderTest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole TCK on a mosquitto this test starts on its own port with a 3 MiB maximum packet size, so the kit's
 * {@code restartBroker()} recovery test and the payload-limit test run too (the shared broker is never restarted).
 */
class MqttRestartCompatibilityTest extends TransportCompatibilityKit {
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
            broker = MosquittoProcess.start();
            target = RestartableTarget.of(TransportUnderTest.fromProvider(new MqttTransportProvider(),
                    Map.of(MqttOptions.URI_KEY, broker.uri())), broker);
        }
        return target;
    }
}
