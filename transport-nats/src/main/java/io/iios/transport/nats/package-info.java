/**
 * The NATS transport: {@link io.iios.transport.nats.NatsTransportProvider} (found with
 * {@link java.util.ServiceLoader}) and its settings, {@link io.iios.transport.nats.NatsOptions}.
 * Everything else is in {@code io.iios.transport.nats.internal} and carries no compatibility promise.
 */
@NullMarked
package io.iios.transport.nats;

import org.jspecify.annotations.NullMarked;
