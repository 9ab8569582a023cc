package io.iios.core.internal;

import io.iios.core.Config;
import io.iios.core.ConfigKeys;
import java.time.Duration;

/** Instance record TTL and heartbeat period. */
public record DiscoveryOptions(Duration ttl, Duration heartbeat) {

    public static DiscoveryOptions from(Config c) {
        Duration ttl = c.duration(ConfigKeys.DISCOVERY_TTL);
        if (ttl.compareTo(Duration.ofMillis(300)) < 0) {
            throw c.invalid(ConfigKeys.DISCOVERY_TTL.key(), c.string(ConfigKeys.DISCOVERY_TTL), "a duration of at least 300ms");
        }
        Duration hb = c.get(ConfigKeys.DISCOVERY_HEARTBEAT.key()).isPresent()
                ? c.duration(ConfigKeys.DISCOVERY_HEARTBEAT) : ttl.dividedBy(3);
        if (hb.isZero() || hb.isNegative() || hb.compareTo(ttl) >= 0) {
            throw c.invalid(ConfigKeys.DISCOVERY_HEARTBEAT.key(), c.string(ConfigKeys.DISCOVERY_HEARTBEAT),
                    "a positive duration shorter than iios.discovery.ttl (" + ttl.toMillis() + "ms)");
        }
        return new DiscoveryOptions(ttl, hb);
    }
}
