package io.iios.transport.mqtt;

import io.iios.tck.TransportCompatibilityKit;
import io.iios.tck.TransportUnderTest;
import java.util.Map;

/** The whole TCK against the shared local Mosquitto ({@code IIOS_TEST_MQTT_URI}, else 127.0.0.1:1883). */
class MqttTransportCompatibilityTest extends TransportCompatibilityKit {
    private static TransportUnderTest mqtt;

    @Override
    protected TransportUnderTest transport() {
        if (mqtt == null) {
            mqtt = TransportUnderTest.fromProvider(new MqttTransportProvider(),
                    Map.of(MqttOptions.URI_KEY, MqttTestSupport.requireBroker()));
        }
        return mqtt;
    }
}
