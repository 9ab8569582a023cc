/**
 * A complete small transport, written from scratch as the example of {@code docs/writing-a-transport.md}:
 * {@link io.iios.examples.transport.ExampleBroker} stands for a broker with MQTT-like topics
 * ({@code /}, {@code +}, {@code #}); {@link io.iios.examples.transport.ExampleTransport} maps the
 * portable channel grammar onto it.
 */
@NullMarked
package io.iios.examples.transport;

import org.jspecify.annotations.NullMarked;
