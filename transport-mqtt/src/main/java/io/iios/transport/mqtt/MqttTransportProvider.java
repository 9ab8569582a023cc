package io.iios.transport.mqtt;

import io.iios.spi.Capability;
import io.iios.spi.Transport;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportProvider;
import io.iios.transport.mqtt.internal.MqttTransport;
import java.util.Set;

/**
 * The {@code mqtt} transport: MQTT 5 brokers such as Mosquitto 2 (see {@link MqttOptions} and
 * {@code docs/mqtt.md}). Declares {@link Capability#KV_TTL}, {@link Capability#KV_WATCH} and
 * {@link Capability#QUEUE_GROUPS}; not {@link Capability#KV_CAS} (MQTT has no conditional write).
 */
public final class MqttTransportProvider implements TransportProvider {

    @Override
    public String name() {
        return MqttTransport.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return MqttTransport.CAPABILITIES;
    }

    @Override
    public Set<String> configKeys() {
        return MqttOptions.KEYS;
    }

    @Override
    public Transport create(TransportConfig config) {
        return new MqttTransport(config);
    }
}
