package io.iios.tck.internal;

import io.iios.core.Config;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import io.iios.spi.Capability;
import io.iios.spi.Transport;
import io.iios.spi.TransportListener;
import io.iios.tck.TransportUnderTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one test of a kit owns: a random namespace, the nodes and raw connections it opened, bounded
 * waits scaled by the target's multiplier. {@link #close()} closes everything and deletes every key
 * under the namespace, so kits can share a broker.
 */
public final class KitScope implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KitScope.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

    /** Discovery TTL of the nodes a kit starts, before scaling. */
    public static final Duration TTL = Duration.ofMillis(1500);
    /** Discovery heartbeat of the nodes a kit starts, before scaling. */
    public static final Duration HEARTBEAT = Duration.ofMillis(300);

    private final TransportUnderTest target;
    private final String namespace;
    private final List<IiosNode> nodes = new CopyOnWriteArrayList<>();
    private final List<Transport> connections = new CopyOnWriteArrayList<>();
    private final List<String> extraPrefixes = new CopyOnWriteArrayList<>();

    public KitScope(TransportUnderTest target) {
        this.target = target;
        this.namespace = "tck" + random(10);
    }

    public TransportUnderTest target() {
        return target;
    }

    public Set<Capability> capabilities() {
        return target.capabilities();
    }

    public boolean supports(Capability c) {
        return target.capabilities().contains(c);
    }

    /** This test's namespace: a letter, then random letters and digits. */
    public String namespace() {
        return namespace;
    }

    /** A second namespace this test owns (cleaned up too), for isolation tests. */
    public String otherNamespace() {
        String other = namespace + "x" + random(4);
        extraPrefixes.add(other + ":");
        return other;
    }

    /** A random segment, safe on every broker. */
    public static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    /** A new raw connection, closed after the test. */
    public Transport raw() {
        return raw(TransportListener.NONE);
    }

    /** A new raw connection reporting to a listener, closed after the test. */
    public Transport raw(TransportListener listener) {
        Transport t = target.connect(listener);
        connections.add(t);
        return t;
    }

    /** A node builder on this target, in this test's namespace, with short (scaled) discovery timings. */
    public Iios.Builder node() {
        return Iios.builder().config(Config.of(Map.of()))
                .set("iios.namespace", namespace)
                .set("iios.discovery.ttl", millis(ttl()))
                .set("iios.discovery.heartbeat", millis(scaled(HEARTBEAT)))
                .set("iios.call.timeout", millis(scaled(Duration.ofSeconds(10))))
                .transport(target::connect);
    }

    /** Starts a node; it is closed after the test. */
    public IiosNode start(Iios.Builder builder) {
        IiosNode n = builder.start();
        nodes.add(n);
        return n;
    }

    /** Starts a node hosting a probe service under a name. */
    public IiosNode startProbe(String service, ProbeService probe) {
        return start(node().service(service, probe));
    }

    /** Starts a node hosting a probe service under a name, with its meters in a registry. */
    public IiosNode startProbe(String service, ProbeService probe, MeterRegistry meters) {
        return start(node().service(service, probe).meterRegistry(meters));
    }

    /** Starts a node hosting nothing (a gateway). */
    public IiosNode gateway() {
        return start(node());
    }

    /** The discovery TTL of this test's nodes. */
    public Duration ttl() {
        return scaled(TTL);
    }

    /** A duration multiplied by the target's timeout multiplier. */
    public Duration scaled(Duration d) {
        return Duration.ofNanos((long) (d.toNanos() * target.timeoutMultiplier()));
    }

    /** An Awaitility condition bounded by {@code atMost} (scaled), polling every 10 ms. */
    public ConditionFactory await(Duration atMost) {
        return Awaitility.await().atMost(scaled(atMost)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10));
    }

    /** An Awaitility condition bounded by an already scaled duration. */
    public ConditionFactory awaitWithin(Duration scaledBound) {
        return Awaitility.await().atMost(scaledBound).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    /** The usual bound for something that should happen at once on a healthy broker. */
    public ConditionFactory await() {
        return await(Duration.ofSeconds(10));
    }

    private static String millis(Duration d) {
        return Math.max(1, d.toMillis()) + "ms";
    }

    @Override
    public void close() {
        for (IiosNode n : nodes) {
            try {
                n.close();
            } catch (RuntimeException e) {
                LOG.warn("closing node {}: {}", n.nodeId(), e.toString());
            }
        }
        List<String> prefixes = new ArrayList<>(extraPrefixes);
        prefixes.add(namespace + ":");
        try (Transport cleaner = target.connect(TransportListener.NONE)) {
            for (String prefix : prefixes) {
                for (String key : cleaner.kv().keys(prefix)) {
                    cleaner.kv().delete(key);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cleaning keys of namespace {}: {}", namespace, e.toString());
        }
        for (Transport t : connections) {
            try {
                t.close();
            } catch (RuntimeException e) {
                LOG.warn("closing connection: {}", e.toString());
            }
        }
    }
}
