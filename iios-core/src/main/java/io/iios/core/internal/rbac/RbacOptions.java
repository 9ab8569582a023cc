package io.iios.core.internal.rbac;

import io.iios.core.Config;
import io.iios.core.ConfigKeys;
import java.time.Duration;

/** Whether calls are checked, and how long cached grants are trusted without a change message. */
public record RbacOptions(boolean enabled, Duration cacheTtl) {

    public static RbacOptions from(Config c) {
        boolean enabled = c.bool(ConfigKeys.RBAC_ENABLED.key(), false);
        Duration ttl = c.duration(ConfigKeys.RBAC_CACHE_TTL);
        if (ttl.isNegative()) {
            throw c.invalid(ConfigKeys.RBAC_CACHE_TTL.key(), c.string(ConfigKeys.RBAC_CACHE_TTL),
                    "a duration of 0 or more");
        }
        return new RbacOptions(enabled, ttl);
    }
}
