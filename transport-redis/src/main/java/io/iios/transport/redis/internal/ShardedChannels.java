package io.iios.transport.redis.internal;

import io.iios.spi.Channel;
import java.util.List;

/**
 * Which channels use sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}) on a Cluster: those matching
 * {@code iios.redis.sharded-channels}. A pattern subscription never sees them, so only point-to-point
 * channels that nobody subscribes with a pattern belong here. Empty (no Cluster): nothing is sharded.
 */
final class ShardedChannels {
    static final ShardedChannels NONE = new ShardedChannels(List.of());

    private final List<String> patterns;

    ShardedChannels(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    boolean any() {
        return !patterns.isEmpty();
    }

    /** Whether an exact channel (grammar form) is sharded. */
    boolean covers(String channel) {
        for (int i = 0; i < patterns.size(); i++) {
            if (Channel.matches(patterns.get(i), channel)) {
                return true;
            }
        }
        return false;
    }
}
