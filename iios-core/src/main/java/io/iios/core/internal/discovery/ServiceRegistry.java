package io.iios.core.internal.discovery;

import io.iios.api.InstanceInfo;
import io.iios.api.ServiceInfo;
import io.iios.api.ServiceUnavailableException;
import io.iios.core.internal.DiscoveryOptions;
import io.iios.core.internal.metrics.NodeMetrics;
import io.iios.core.internal.metrics.RateLimitedLog;
import io.iios.core.internal.security.EnvelopeSigner;
import io.iios.core.internal.wire.Names;
import io.iios.core.internal.wire.Protocol;
import io.iios.core.internal.wire.Wire;
import io.iios.spi.Capability;
import io.iios.spi.Encoder;
import io.iios.spi.KvListener;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Discovery (design §4): this node's instance records (TTL + heartbeat, up/down notices, deletion of
 * only its own keys on stop) and its view of every live instance of the namespace, fed by the KV
 * store (load, watch or polling) and the discovery channel. A record not refreshed within its TTL
 * leaves the view.
 */
public final class ServiceRegistry implements AutoCloseable {
    private final Names names;
    private final Protocol protocol;
    private final Transport transport;
    private final Encoder encoder;
    private final Encoder kvEncoder;
    private final DiscoveryOptions options;
    private final NodeMetrics metrics;
    private final RateLimitedLog log;
    private final ScheduledExecutorService timer;

    private final Map<String, Map<String, Live>> view = new ConcurrentHashMap<>();
    private final Map<String, List<InstanceInfo>> snapshots = new ConcurrentHashMap<>();
    private final Map<String, InstanceInfo> own = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<ServiceInfo>>> waiters = new ConcurrentHashMap<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private @Nullable ScheduledFuture<?> heartbeat;
    private volatile boolean heartbeating = true;
    private final EnvelopeSigner signer;
    private volatile java.util.function.BooleanSupplier expiring = () -> true;

    private static final class Live {
        final InstanceInfo info;
        volatile long expiresAtNanos;

        Live(InstanceInfo info, long expiresAtNanos) {
            this.info = info;
            this.expiresAtNanos = expiresAtNanos;
        }
    }

    public ServiceRegistry(Protocol protocol, Transport transport, Encoder encoder, DiscoveryOptions options,
            NodeMetrics metrics, RateLimitedLog log, ScheduledExecutorService timer, EnvelopeSigner signer) {
        this.signer = signer;
        this.protocol = protocol;
        this.names = protocol.names();
        this.kvEncoder = protocol.kvEncoder(encoder);
        this.transport = transport;
        this.encoder = encoder;
        this.options = options;
        this.metrics = metrics;
        this.log = log;
        this.timer = timer;
        metrics.gauge("iios.discovery.instances", this::instanceCount);
    }

    /**
     * Expiry of silent instances runs only while the condition holds: a node keeps its view while its own
     * broker is down (no instance can refresh its record then), so calls can go on over HTTP.
     */
    public void expireOnlyWhile(java.util.function.BooleanSupplier condition) {
        this.expiring = condition;
    }

    /** Subscribes to notices, watches the records (when the transport can) and loads what exists. */
    public void start() {
        if (protocol.leasedRecords()) {
            subscriptions.add(transport.pubsub().subscribe(names.discoveryChannel(), this::onNotice));
        }
        if (transport.supports(Capability.KV_WATCH)) {
            subscriptions.add(transport.kv().watch(names.registryPrefix(), this::onRecordChange));
        }
        reconcile();
        long period = options.heartbeat().toNanos();
        heartbeat = timer.scheduleAtFixedRate(this::beat, period, period, TimeUnit.NANOSECONDS);
    }

    /** Writes an instance record and announces it. */
    public void register(InstanceInfo info) {
        own.put(info.instanceId(), info);
        if (!protocol.leasedRecords()) {
            // node-v2: a plain SET without TTL, which is what wakes up Node gateways (keyspace notification)
            transport.kv().put(names.registryKey(info.service(), info.instanceId()),
                    kvEncoder.encode(protocol.recordToMap(info, 0)), null);
            upsert(new Wire.Record(info, 0));
            return;
        }
        Wire.Record rec = record(info);
        Map<String, Object> signed = signer.sign(rec.toMap());
        transport.kv().put(names.registryKey(info.service(), info.instanceId()), encoder.encode(signed),
                options.ttl());
        upsert(rec);
        publish(new Wire.Notice("up", info.service(), info.instanceId(), rec), signed);
    }

    /** Deletes this node's record of an instance (and nothing else) and announces it is down. */
    public void deregister(InstanceInfo info) {
        own.remove(info.instanceId());
        try {
            transport.kv().delete(names.registryKey(info.service(), info.instanceId()));
            if (!protocol.leasedRecords()) {
                return;
            }
            publish(new Wire.Notice("down", info.service(), info.instanceId(), null), null);
        } finally {
            remove(info.service(), info.instanceId(), "down");
        }
    }

    /** Stops refreshing records without deleting them, as a crash would. */
    public void stopHeartbeats() {
        heartbeating = false;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
    }

    private Wire.Record record(InstanceInfo info) {
        return new Wire.Record(info, options.ttl().toMillis());
    }

    /** Publishes a notice; {@code signedRecord} is the record as written to the KV store (with its signature). */
    private void publish(Wire.Notice notice, @Nullable Map<String, Object> signedRecord) {
        Map<String, Object> m = notice.toMap();
        if (signedRecord != null) {
            m.put("rec", signedRecord);
        }
        transport.pubsub().publish(names.discoveryChannel(), encoder.encode(signer.sign(m)));
    }

    private void beat() {
        if (!heartbeating) {
            return;
        }
        for (InstanceInfo info : protocol.leasedRecords() ? own.values() : List.<InstanceInfo>of()) {
            try {
                Wire.Record rec = record(info);
                Map<String, Object> signed = signer.sign(rec.toMap());
                byte[] bytes = encoder.encode(signed);
                transport.kv().put(names.registryKey(info.service(), info.instanceId()), bytes, options.ttl());
                upsert(rec);
                publish(new Wire.Notice("hb", info.service(), info.instanceId(), rec), signed);
            } catch (RuntimeException e) {
                metrics.transportError();
                log.warn("heartbeat", "heartbeat of " + info.service() + "/" + info.instanceId() + " failed: " + e, e);
            }
        }
        sweep();
        if (!transport.supports(Capability.KV_WATCH)) {
            try {
                reconcile();
            } catch (RuntimeException e) {
                log.warn("reconcile", "cannot list instance records: " + e, e);
            }
        }
    }

    /** Loads every record from the KV store and forgets instances whose record is gone. */
    private void reconcile() {
        List<String> keys = transport.kv().keys(names.registryPrefix());
        java.util.Set<String> present = new java.util.HashSet<>();
        for (String key : keys) {
            Optional<byte[]> bytes = transport.kv().get(key);
            if (bytes.isEmpty()) {
                continue;
            }
            Wire.Record rec = decodeRecord(bytes.get(), key);
            if (rec != null) {
                present.add(rec.info().instanceId());
                upsert(rec);
            }
        }
        for (Map<String, Live> instances : view.values()) {
            for (Live l : instances.values()) {
                if (!present.contains(l.info.instanceId()) && !own.containsKey(l.info.instanceId())) {
                    remove(l.info.service(), l.info.instanceId(), "expired");
                }
            }
        }
    }

    private void sweep() {
        if (!protocol.leasedRecords() || !expiring.getAsBoolean()) {
            return;
        }
        long now = System.nanoTime();
        for (Map<String, Live> instances : view.values()) {
            for (Live l : instances.values()) {
                if (now - l.expiresAtNanos > 0 && !own.containsKey(l.info.instanceId())) {
                    remove(l.info.service(), l.info.instanceId(), "expired");
                }
            }
        }
    }

    private Wire.@Nullable Record decodeRecord(byte[] bytes, String where) {
        try {
            Map<?, ?> m = Wire.asMap(kvEncoder.decode(bytes));
            // a record lives for its TTL, so it may be that much older than a message
            long ttl = m.get("ttl") instanceof Number n ? Math.max(0, n.longValue()) : 0;
            if (!signer.accept(m, ttl, where, metrics, log)) {
                return null;
            }
            return protocol.recordFrom(where, m);
        } catch (RuntimeException e) {
            metrics.dropped("malformed-record");
            log.warn("malformed-record", "ignoring malformed instance record at " + where + ": " + e.getMessage(), e);
            return null;
        }
    }

    private void onNotice(String channel, byte[] payload) {
        Wire.Notice n;
        try {
            Map<?, ?> m = Wire.asMap(encoder.decode(payload));
            if (!signer.accept(m, 0, channel, metrics, log)) {
                return;
            }
            n = Wire.Notice.from(m);
        } catch (RuntimeException e) {
            metrics.dropped("malformed-notice");
            log.warn("malformed-notice", "ignoring malformed discovery notice: " + e.getMessage(), e);
            return;
        }
        if (n.kind().equals("down")) {
            if (!own.containsKey(n.instanceId())) {
                remove(n.service(), n.instanceId(), "down");
            }
        } else if (n.record() != null) {
            upsert(n.record());
        }
    }

    private void onRecordChange(String key, KvListener.Change change, byte @Nullable [] value) {
        if (change == KvListener.Change.PUT) {
            if (value != null) {
                Wire.Record rec = decodeRecord(value, key);
                if (rec != null) {
                    upsert(rec);
                }
            }
            return;
        }
        String[] id = protocol.serviceAndInstance(key);
        if (id != null && !own.containsKey(id[1])) {
            remove(id[0], id[1], change == KvListener.Change.EXPIRE ? "expired" : "down");
        }
    }

    private void upsert(Wire.Record rec) {
        InstanceInfo info = rec.info();
        long expires = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(rec.ttlMillis(), 1));
        Map<String, Live> instances = view.computeIfAbsent(info.service(), k -> new ConcurrentHashMap<>());
        Live existing = instances.get(info.instanceId());
        if (existing != null && existing.info.equals(info)) {
            existing.expiresAtNanos = expires;
            return;
        }
        if (existing != null && protocol.replaceOnlyNewer()
                && !info.startedAt().isAfter(existing.info.startedAt())) {
            return; // node-v2: an older or same-age record never replaces a known one
        }
        instances.put(info.instanceId(), new Live(info, expires));
        if (existing == null) {
            metrics.discoveryChange("up");
        }
        changed(info.service());
    }

    private void remove(String service, String instanceId, String why) {
        Map<String, Live> instances = view.get(service);
        if (instances != null && instances.remove(instanceId) != null) {
            metrics.discoveryChange(why);
            changed(service);
        }
    }

    private void changed(String service) {
        Map<String, Live> instances = view.getOrDefault(service, Map.of());
        List<InstanceInfo> list = new ArrayList<>(instances.size());
        instances.values().forEach(l -> list.add(l.info));
        list.sort(Comparator.comparing(InstanceInfo::instanceId));
        if (list.isEmpty()) {
            snapshots.remove(service);
        } else {
            snapshots.put(service, List.copyOf(list));
            List<CompletableFuture<ServiceInfo>> w = waiters.remove(service);
            if (w != null) {
                ServiceInfo si = new ServiceInfo(service, list);
                w.forEach(f -> f.complete(si));
            }
        }
        changeListeners.forEach(Runnable::run);
    }

    /** Called after any change of the view (on the thread that saw it). */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /** Live instances of a service, sorted by instance id; empty when none. */
    public List<InstanceInfo> instances(String service) {
        return snapshots.getOrDefault(service, List.of());
    }

    public Optional<ServiceInfo> service(String name) {
        List<InstanceInfo> list = instances(name);
        return list.isEmpty() ? Optional.empty() : Optional.of(new ServiceInfo(name, list));
    }

    public List<ServiceInfo> services() {
        List<ServiceInfo> out = new ArrayList<>();
        snapshots.forEach((name, list) -> out.add(new ServiceInfo(name, list)));
        out.sort(Comparator.comparing(ServiceInfo::name));
        return out;
    }

    private int instanceCount() {
        return snapshots.values().stream().mapToInt(List::size).sum();
    }

    /** Completes when the service has a live instance; fails with ServiceUnavailable after the timeout. */
    public CompletableFuture<ServiceInfo> await(String service, Duration timeout) {
        CompletableFuture<ServiceInfo> f = new CompletableFuture<>();
        waiters.computeIfAbsent(service, k -> new CopyOnWriteArrayList<>()).add(f);
        service(service).ifPresent(f::complete); // after registering, so no update can slip between
        if (!f.isDone()) {
            ScheduledFuture<?> t = timer.schedule(() -> f.completeExceptionally(new ServiceUnavailableException(
                    "no instance of service '" + service + "' appeared within " + timeout.toMillis() + " ms")),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
            f.whenComplete((r, e) -> {
                t.cancel(false);
                List<CompletableFuture<ServiceInfo>> w = waiters.get(service);
                if (w != null) {
                    w.remove(f);
                }
            });
        }
        return f;
    }

    @Override
    public void close() {
        stopHeartbeats();
        subscriptions.forEach(Subscription::close);
        subscriptions.clear();
    }
}
