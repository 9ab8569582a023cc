package io.iios.transport.mqtt.internal;

import io.iios.spi.Capability;
import io.iios.spi.KvStore;
import io.iios.spi.LazyTimer;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportListener;
import io.iios.transport.mqtt.MqttOptions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * One node's MQTT transport: one Paho MQTT 5 connection ({@link MqttSession}) carrying pub/sub, the KV mirror
 * subscriptions and the fence topic. Threads: Paho's (sender, receiver, callback, ping, reconnect timer), one
 * expiry timer when a KV mirror sees a TTL, and virtual threads for handlers.
 */
public final class MqttTransport implements Transport {
    public static final String NAME = "mqtt";
    public static final Set<Capability> CAPABILITIES = Set.copyOf(
            EnumSet.of(Capability.KV_TTL, Capability.KV_WATCH, Capability.QUEUE_GROUPS));

    private final TransportListener listener;
    private final MqttSession session;
    private final MqttKv kv;
    private final MqttPubSub pubsub;
    private final Set<Subscription> open = ConcurrentHashMap.newKeySet();
    private final LazyTimer timer = new LazyTimer("iios-mqtt-kv-expiry");
    private volatile boolean closed;

    public MqttTransport(TransportConfig config) {
        this(MqttOptions.from(config), config.namespace(), config.listener());
    }

    public MqttTransport(MqttOptions options, String namespace, TransportListener listener) {
        this.listener = listener;
        this.session = new MqttSession(options, namespace, listener);
        session.connect();
        Executor dispatch = dispatcher();
        this.pubsub = new MqttPubSub(session, listener, dispatch, open, options.pubsubQos());
        this.kv = new MqttKv(session, listener, dispatch, timer, open, pubsub.maxPayload());
    }

    private static Executor dispatcher() {
        ThreadFactory vt = Thread.ofVirtual().name("iios-mqtt-dispatch-", 0).factory();
        return r -> vt.newThread(r).start();
    }

    /** Whether the broker is reachable now. */
    public boolean connected() {
        return session.isUp();
    }

    /** This connection's MQTT client id, for diagnostics. */
    public String clientId() {
        return session.clientId();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public KvStore kv() {
        return kv;
    }

    @Override
    public PubSub pubsub() {
        return pubsub;
    }

    @Override
    public long maxPayloadBytes() {
        return pubsub.maxPayload();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Subscription s : List.copyOf(open)) {
            try {
                s.close();
            } catch (RuntimeException e) {
                listener.onError("closing mqtt transport", e);
            }
        }
        session.close();
        timer.close();
    }
}
