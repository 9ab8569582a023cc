package io.iios.transport.redis;

import io.iios.spi.Capability;
import io.iios.spi.Transport;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportProvider;
import io.iios.transport.redis.internal.RedisTransport;
import java.util.Set;

/**
 * The {@code redis} transport: standalone Redis, Sentinel or Cluster (see {@link RedisOptions} and
 * {@code docs/redis.md}). Declares {@link Capability#KV_TTL}, {@link Capability#KV_CAS} and
 * {@link Capability#KV_WATCH}; not {@link Capability#QUEUE_GROUPS}.
 */
public final class RedisTransportProvider implements TransportProvider {

    @Override
    public String name() {
        return RedisTransport.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return RedisTransport.CAPABILITIES;
    }

    @Override
    public Set<String> configKeys() {
        return RedisOptions.KEYS;
    }

    @Override
    public Transport create(TransportConfig config) {
        return new RedisTransport(config);
    }
}
