package io.iios.transport.mqtt;

import io.iios.tck.ResilienceKit;
import io.iios.tck.TransportUnderTest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The TCK's resilience kit on a mosquitto this test starts on its own port, so the kit's {@code restartBroker()}
 * recovery test runs (the shared broker is never restarted). The whole TCK runs on the shared broker
 * ({@link MqttTransportCompatibilityTest}); the payload limit is covered by {@link MqttFailureTest}. Running the
 * whole kit three times (shared, restartable, TLS) took nine minutes of a build that must stay under fifteen.
 */
class MqttRestartCompatibilityTest extends ResilienceKit {
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
            target = TransportUnderTest.fromProvider(new MqttTransportProvider(),
                    Map.of(MqttOptions.URI_KEY, broker.uri())).withBrokerControl(broker::restart);
        }
        return target;
    }
}
