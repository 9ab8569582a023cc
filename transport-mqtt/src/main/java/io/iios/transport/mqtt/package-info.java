/**
 * The MQTT 5 transport: {@link io.iios.transport.mqtt.MqttTransportProvider} (found with
 * {@link java.util.ServiceLoader}) and its settings, {@link io.iios.transport.mqtt.MqttOptions}.
 * Everything else is in {@code io.iios.transport.mqtt.internal} and carries no compatibility promise.
 */
@NullMarked
package io.iios.transport.mqtt;

import org.jspecify.annotations.NullMarked;
