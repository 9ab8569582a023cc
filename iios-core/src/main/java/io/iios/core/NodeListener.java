package io.iios.core;

import io.iios.core.internal.BrokerHealth;
import io.iios.core.internal.metrics.NodeMetrics;
import io.iios.core.internal.metrics.RateLimitedLog;
import io.iios.spi.TransportListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a transport's background events into the node's metrics and rate-limited logs. */
final class NodeListener implements TransportListener, BrokerHealth {
    private static final Logger LOG = LoggerFactory.getLogger("io.iios.transport");
    private final RateLimitedLog log = new RateLimitedLog(LOG);
    private final String nodeId;
    private volatile @Nullable NodeMetrics metrics;
    private volatile boolean up = true;
    private final java.util.concurrent.atomic.AtomicLong outages = new java.util.concurrent.atomic.AtomicLong();
    private volatile long recoveredAt;
    private final java.util.List<Runnable> downActions = new java.util.concurrent.CopyOnWriteArrayList<>();

    NodeListener(String nodeId) {
        this.nodeId = nodeId;
    }

    void attach(IiosNode node) {
        NodeMetrics m = new NodeMetrics(node.meterRegistry(), nodeId);
        m.gauge("iios.transport.connected", () -> up ? 1 : 0);
        this.metrics = m;
    }

    @Override
    public void onError(String context, Throwable error) {
        NodeMetrics m = metrics;
        if (m != null) {
            m.transportError();
        }
        log.warn("transport-error:" + context, "transport error in " + context + ": " + error, error);
    }

    @Override
    public void onConnectionChange(boolean connected) {
        boolean wentDown = up && !connected;
        if (wentDown) {
            outages.incrementAndGet();
        }
        if (!up && connected && outages.get() > 0) {
            recoveredAt = System.nanoTime();
        }
        up = connected;
        if (wentDown) {
            for (Runnable a : downActions) {
                try {
                    a.run();
                } catch (RuntimeException e) {
                    log.warn("down-action", "a broker-down action failed: " + e, e);
                }
            }
        }
        if (connected) {
            LOG.info("transport connection restored");
        } else {
            LOG.warn("transport connection lost");
        }
    }

    @Override
    public boolean up() {
        return up;
    }

    @Override
    public void whenDown(Runnable action) {
        downActions.add(action);
    }

    @Override
    public long outages() {
        return outages.get();
    }

    @Override
    public long recoveredAtNanos() {
        return recoveredAt;
    }

    @Override
    public void onDropped(String channel, String reason) {
        NodeMetrics m = metrics;
        if (m != null) {
            m.dropped("transport");
        }
        log.warn("transport-drop", "transport dropped a message on " + channel + ": " + reason, null);
    }
}
