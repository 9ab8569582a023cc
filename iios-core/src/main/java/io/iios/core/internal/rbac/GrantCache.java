package io.iios.core.internal.rbac;

import io.iios.core.internal.metrics.NodeMetrics;
import io.iios.core.internal.metrics.RateLimitedLog;
import io.iios.core.internal.security.EnvelopeSigner;
import io.iios.core.internal.wire.Names;
import io.iios.core.internal.wire.Wire;
import io.iios.spi.Encoder;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * This node's cache of role definitions and user bindings. An entry is trusted until a change notice
 * arrives on {@code NS:_rbac:changed} (which drops every entry at once) or, should notices be lost,
 * until it is {@code iios.rbac.cache-ttl} old. Entries carry the generation they were loaded in, so a
 * load racing with a notice never resurrects what the notice invalidated.
 */
public final class GrantCache implements AutoCloseable {
    private static final int MAX_ENTRIES = 10_000;

    private record Entry<T>(T value, long loadedAtNanos, long generation) {
    }

    private final RoleStore store;
    private final long ttlNanos;
    private final Names names;
    private final Transport transport;
    private final Encoder encoder;
    private final EnvelopeSigner signer;
    private final NodeMetrics metrics;
    private final RateLimitedLog log;
    private final AtomicLong generation = new AtomicLong();
    private final Map<String, Entry<Optional<String>>> users = new ConcurrentHashMap<>();
    private final Map<String, Entry<Optional<Map<String, Map<String, List<String>>>>>> roles =
            new ConcurrentHashMap<>();
    private @Nullable Subscription changes;

    public GrantCache(RoleStore store, Duration ttl, Names names, Transport transport, Encoder encoder,
            EnvelopeSigner signer, NodeMetrics metrics, RateLimitedLog log) {
        this.store = store;
        this.ttlNanos = ttl.toNanos();
        this.names = names;
        this.transport = transport;
        this.encoder = encoder;
        this.signer = signer;
        this.metrics = metrics;
        this.log = log;
    }

    /** Subscribes to change notices. */
    public void start() {
        changes = transport.pubsub().subscribe(names.rbacChannel(), this::onChange);
    }

    private void onChange(String channel, byte[] payload) {
        Map<?, ?> m;
        try {
            m = Wire.asMap(encoder.decode(payload));
        } catch (RuntimeException e) {
            metrics.dropped("malformed-notice");
            log.warn("malformed-notice", "ignoring a malformed RBAC change notice: " + e.getMessage(), null);
            return;
        }
        if (signer.accept(m, 0, channel, metrics, log)) {
            invalidate();
        }
    }

    /** Forgets every entry. */
    public void invalidate() {
        generation.incrementAndGet();
        users.clear();
        roles.clear();
    }

    /** The decision for a user (null: anonymous) calling an action of a service. */
    public Policy.Decision decide(@Nullable String userId, String service, String action) {
        String role = userId == null ? Policy.ANONYMOUS : roleOf(userId).orElse(Policy.ANONYMOUS);
        return decideRole(role, service, action);
    }

    /** The decision for a role calling an action of a service. */
    public Policy.Decision decideRole(String role, String service, String action) {
        Map<String, Map<String, List<String>>> def;
        try {
            def = definition(role).orElse(null);
        } catch (RoleStore.MalformedGrants e) {
            log.warn("malformed-grants", "role '" + role + "' in the KV store is malformed (" + e.getMessage()
                    + "); it grants nothing", null);
            def = null;
        }
        return Policy.evaluate(role, def, service, action);
    }

    private Optional<String> roleOf(String userId) {
        return cached(users, userId, () -> store.binding(userId));
    }

    private Optional<Map<String, Map<String, List<String>>>> definition(String role) {
        return cached(roles, role, () -> store.role(role));
    }

    private <T> T cached(Map<String, Entry<T>> map, String key, java.util.function.Supplier<T> loader) {
        long now = System.nanoTime();
        long gen = generation.get();
        Entry<T> e = map.get(key);
        if (e != null && e.generation() == gen && now - e.loadedAtNanos() < ttlNanos) {
            return e.value();
        }
        T value = loader.get();
        if (map.size() >= MAX_ENTRIES) {
            map.clear();
        }
        if (generation.get() == gen) {
            map.put(key, new Entry<>(value, now, gen));
        }
        return value;
    }

    @Override
    public void close() {
        if (changes != null) {
            changes.close();
        }
    }
}
