/** Internals of the MQTT transport (Paho lives only here); no compatibility promise. */
@NullMarked
package io.iios.transport.mqtt.internal;

import org.jspecify.annotations.NullMarked;
