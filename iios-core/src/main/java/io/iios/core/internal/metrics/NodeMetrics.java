package io.iios.core.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The node's meters (docs/configuration.md lists them). Meters are cached so the hot path does one
 * map lookup, no registry search.
 *
 * <ul>
 *   <li>{@code iios.client.calls} timer — service, method, outcome (as seen by the caller)</li>
 *   <li>{@code iios.server.calls} timer — service, method, outcome (as seen by the callee)</li>
 *   <li>{@code iios.client.in.flight} gauge — calls awaiting a reply</li>
 *   <li>{@code iios.messages.dropped} counter — reason</li>
 *   <li>{@code iios.rbac.denied} counter — service, method</li>
 *   <li>{@code iios.discovery.instances} gauge; {@code iios.discovery.changes} counter — change</li>
 *   <li>{@code iios.events.published}, {@code iios.events.received} counters</li>
 *   <li>{@code iios.transport.errors} counter; {@code iios.transport.connected} gauge</li>
 *   <li>{@code iios.call.replays} counter — outcome (replayed, joined, mismatch, evicted);
 *       {@code iios.call.replay.entries} gauge; {@code iios.call.resent} counter — route</li>
 * </ul>
 */
public final class NodeMetrics {
    private final MeterRegistry registry;
    private final String node;
    private final Map<String, Map<String, Map<String, Map<String, Timer>>>> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter eventsPublished;
    private final Counter eventsReceived;
    private final Counter transportErrors;

    public NodeMetrics(MeterRegistry registry, String nodeId) {
        this.registry = registry;
        this.node = nodeId;
        this.eventsPublished = Counter.builder("iios.events.published").tag("node", node).register(registry);
        this.eventsReceived = Counter.builder("iios.events.received").tag("node", node).register(registry);
        this.transportErrors = Counter.builder("iios.transport.errors").tag("node", node).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public Timer clientCall(String service, String method, String outcome) {
        return timer("iios.client.calls", service, method, outcome);
    }

    public Timer serverCall(String service, String method, String outcome) {
        return timer("iios.server.calls", service, method, outcome);
    }

    /** A recently used call timer and its tags. */
    private record RecentTimer(String name, String service, String method, String outcome, Timer timer) {
        boolean is(String n, String s, String m, String o) {
            // the callers pass the same String instances call after call: equals stops at the identity check
            return name.equals(n) && service.equals(s) && method.equals(m) && outcome.equals(o);
        }
    }

    /** A direct-mapped cache in front of the maps: one array read per call instead of four map lookups. */
    private final RecentTimer[] recentTimers = new RecentTimer[64];

    /**
     * A call timer: from {@link #recentTimers} when there, else found through one map level per tag (name →
     * service → method → outcome). Strings' cached hashes, nothing allocated per call once a timer is in the
     * cache. A slot's record has only final fields, so reading it without a lock sees it whole.
     */
    private Timer timer(String name, String service, String method, String outcome) {
        int h = ((name.hashCode() * 31 + service.hashCode()) * 31 + method.hashCode()) * 31 + outcome.hashCode();
        int slot = (h ^ (h >>> 16)) & (recentTimers.length - 1);
        RecentTimer recent = recentTimers[slot];
        if (recent != null && recent.is(name, service, method, outcome)) {
            return recent.timer;
        }
        Timer t = mappedTimer(name, service, method, outcome);
        recentTimers[slot] = new RecentTimer(name, service, method, outcome, t);
        return t;
    }

    private Timer mappedTimer(String name, String service, String method, String outcome) {
        Map<String, Timer> byOutcome = timers.computeIfAbsent(name, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(service, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(method, k -> new ConcurrentHashMap<>());
        Timer t = byOutcome.get(outcome);
        if (t == null) {
            t = byOutcome.computeIfAbsent(outcome, k -> Timer.builder(name).tag("node", node).tag("service", service)
                    .tag("method", method).tag("outcome", outcome).register(registry));
        }
        return t;
    }

    /** Counts a dropped message, by reason (malformed, oversized, expired, late-reply, …). */
    public void dropped(String reason) {
        counter("iios.messages.dropped", "reason", reason).increment();
    }

    public double droppedCount(String reason) {
        return counter("iios.messages.dropped", "reason", reason).count();
    }

    /** Counts a call RBAC denied: {@code iios.rbac.denied{service,method}}. */
    public void rbacDenied(String service, String method) {
        String key = "iios.rbac.denied" + '\u0000' + service + '\u0000' + method;
        Counter c = counters.get(key);
        if (c == null) {
            c = counters.computeIfAbsent(key, k -> Counter.builder("iios.rbac.denied").tag("node", node)
                    .tag("service", service).tag("method", method).register(registry));
        }
        c.increment();
    }

    /** Counts what the replay cache did with a repeated call identity (ReplayCache). */
    public void replay(String outcome) {
        counter("iios.call.replays", "outcome", outcome).increment();
    }

    /** The replay cache's count of one outcome, kept by a caller that counts it on every call in {@code count}. */
    public void replaysCounted(String outcome, LongAdder count) {
        FunctionCounter.builder("iios.call.replays", count, LongAdder::sum).tag("node", node).tag("outcome", outcome)
                .register(registry);
    }

    /** Counts a call sent again over HTTP because the broker went down while it was in flight. */
    public void callResent() {
        counter("iios.call.resent", "route", "http").increment();
    }

    public void discoveryChange(String change) {
        counter("iios.discovery.changes", "change", change).increment();
    }

    private Counter counter(String name, String tag, String value) {
        String key = name + '\u0000' + value;
        Counter c = counters.get(key);
        if (c == null) {
            c = counters.computeIfAbsent(key,
                    k -> Counter.builder(name).tag("node", node).tag(tag, value).register(registry));
        }
        return c;
    }

    public void gauge(String name, Supplier<Number> value) {
        Gauge.builder(name, value).tag("node", node).strongReference(true).register(registry);
    }

    public void eventPublished() {
        eventsPublished.increment();
    }

    public void eventReceived() {
        eventsReceived.increment();
    }

    public void transportError() {
        transportErrors.increment();
    }
}
