package io.iios.transport.nats;

import io.iios.spi.Capability;
import io.iios.spi.Transport;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportProvider;
import io.iios.transport.nats.internal.NatsTransport;
import java.util.Set;

/**
 * The {@code nats} transport: NATS core pub/sub and a JetStream KeyValue bucket per namespace (see
 * {@link NatsOptions} and {@code docs/nats.md}). Declares every capability: {@link Capability#KV_TTL}
 * (per-key deadlines), {@link Capability#KV_CAS} (revision checks), {@link Capability#KV_WATCH} (ordered
 * consumers on the bucket) and {@link Capability#QUEUE_GROUPS} (native NATS queue groups).
 */
public final class NatsTransportProvider implements TransportProvider {

    @Override
    public String name() {
        return NatsTransport.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return NatsTransport.CAPABILITIES;
    }

    @Override
    public Set<String> configKeys() {
        return NatsOptions.KEYS;
    }

    @Override
    public Transport create(TransportConfig config) {
        return new NatsTransport(config);
    }
}
