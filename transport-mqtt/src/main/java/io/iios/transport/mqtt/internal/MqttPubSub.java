package io.iios.transport.mqtt.internal;

import io.iios.spi.Channel;
import io.iios.spi.MessageHandler;
import io.iios.spi.MessageTooLargeException;
import io.iios.spi.PubSub;
import io.iios.spi.SerialDispatcher;
import io.iios.spi.Subscription;
import io.iios.spi.TransportException;
import io.iios.spi.TransportListener;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * {@link PubSub} on MQTT topics (see {@link MqttNames}). Publishing is QoS 0 by default
 * ({@code iios.mqtt.pubsub-qos}); subscriptions never receive retained messages (retain handling 2), so KV
 * values and stale messages are not replayed to them. Local subscriptions on one topic filter share one broker
 * subscription; a queue group is the MQTT 5 shared subscription {@code $share/GROUP/filter}. Every delivered
 * topic is re-checked with {@link Channel#matches} ({@code #} also matches zero levels, {@code >} does not).
 * Handlers run on virtual threads, one at a time per subscription, never on Paho's callback thread.
 */
final class MqttPubSub implements PubSub {
    static final int PENDING_LIMIT = 200_000;
    /** Bytes kept free in a packet for the fixed header, topic and properties when reporting the payload limit. */
    static final int PACKET_RESERVE = 1024;

    private final MqttSession session;
    private final TransportListener listener;
    private final Executor dispatch;
    private final Set<Subscription> open;
    private final int qos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Shared> byFilter = new HashMap<>();

    MqttPubSub(MqttSession session, TransportListener listener, Executor dispatch, Set<Subscription> open, int qos) {
        this.session = session;
        this.listener = listener;
        this.dispatch = dispatch;
        this.open = open;
        this.qos = qos;
    }

    long maxPayload() {
        return Math.max(0, session.maxPacket() - PACKET_RESERVE);
    }

    /** Throws {@link MessageTooLargeException} when a publish of this payload on this topic would exceed the limit. */
    static void checkSize(MqttSession session, String topic, int payload, long maxPayload) {
        if (payload > maxPayload) {
            throw new MessageTooLargeException(payload, maxPayload, "the MQTT broker's maximum packet size of "
                    + session.maxPacket() + " bytes, less " + PACKET_RESERVE + " for topic and headers");
        }
        long packet = 5L + 2 + topic.getBytes(StandardCharsets.UTF_8).length + 32 + payload;
        if (packet > session.maxPacket()) {
            long limit = payload - (packet - session.maxPacket());
            throw new MessageTooLargeException(payload, limit, "the MQTT broker's maximum packet size of "
                    + session.maxPacket() + " bytes with topic '" + topic + "'");
        }
    }

    @Override
    public void publish(String channel, byte[] payload) {
        String topic = MqttNames.topic(channel);
        checkSize(session, topic, payload.length, maxPayload());
        if (qos == 0) {
            session.publishQos0(topic, payload);
        } else {
            session.publishQos1(topic, payload, false, null).whenComplete((v, e) -> {
                if (e != null) {
                    listener.onError("mqtt publish " + channel, e);
                    listener.onDropped(channel, "publish failed: " + e.getMessage());
                }
            });
        }
    }

    @Override
    public Subscription subscribe(String pattern, MessageHandler handler) {
        return subscribe(pattern, null, handler, MqttNames.filter(pattern));
    }

    @Override
    public Subscription subscribe(String pattern, String group, MessageHandler handler) {
        String filter = MqttNames.filter(pattern);
        if (!session.sharedSubscriptionsAvailable()) {
            throw new TransportException("the MQTT broker at " + session.where()
                    + " does not offer shared subscriptions, which queue groups need");
        }
        return subscribe(pattern, group, handler, MqttNames.shared(group, filter));
    }

    private record Msg(String channel, byte[] payload) {
    }

    /** One local subscription. */
    private final class Local implements Subscription {
        final String pattern;
        final SerialDispatcher<Msg> queue;
        final Shared shared;
        volatile boolean done;

        Local(String pattern, MessageHandler handler, Shared shared) {
            this.pattern = pattern;
            this.shared = shared;
            this.queue = new SerialDispatcher<>(dispatch, PENDING_LIMIT, m -> handler.onMessage(m.channel, m.payload),
                    t -> listener.onError("subscription " + pattern, t));
        }

        void offer(String channel, byte[] payload) {
            if (!queue.offer(new Msg(channel, payload))) {
                if (!done) {
                    listener.onDropped(channel, "subscription '" + pattern + "' has " + PENDING_LIMIT
                            + " pending messages (slow consumer)");
                }
            }
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            queue.close();
            open.remove(this);
            lock.lock();
            try {
                shared.locals.remove(this);
                if (shared.locals.isEmpty()) {
                    byFilter.remove(shared.filter);
                    session.unsubscribe(shared.route);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** One broker subscription shared by the local subscriptions on its filter. */
    private final class Shared {
        final String filter;
        final @Nullable String group;
        final List<Local> locals = new CopyOnWriteArrayList<>();
        final AtomicInteger next = new AtomicInteger();
        MqttSession.Route route;

        Shared(String filter, @Nullable String group) {
            this.filter = filter;
            this.group = group;
        }

        void onMessage(String topic, byte[] payload) {
            String channel = MqttNames.channel(topic);
            if (channel == null) {
                return; // a KV, fence or foreign topic
            }
            List<Local> ls = locals;
            if (group != null) {
                // several members of one group on this connection: the broker sent the message once; give it to one
                int n = ls.size();
                for (int i = 0; i < n; i++) {
                    Local l = ls.get(Math.floorMod(next.getAndIncrement(), n));
                    if (!l.done && Channel.matches(l.pattern, channel)) {
                        l.offer(channel, payload);
                        return;
                    }
                }
                return;
            }
            int n = ls.size();
            for (int i = 0; i < n; i++) {
                Local l = ls.get(i);
                if (!l.done && Channel.matches(l.pattern, channel)) {
                    // each subscription owns its array
                    l.offer(channel, i == n - 1 ? payload : payload.clone());
                }
            }
        }
    }

    private Subscription subscribe(String pattern, @Nullable String group, MessageHandler handler, String filter) {
        session.check("subscribe " + pattern);
        lock.lock();
        try {
            Shared s = byFilter.get(filter);
            boolean fresh = s == null;
            if (fresh) {
                s = new Shared(filter, group);
            }
            Local local = new Local(pattern, handler, s);
            s.locals.add(local);
            if (fresh) {
                Shared target = s;
                try {
                    s.route = session.subscribe(filter, qos, 2, (topic, m) -> target.onMessage(topic, m.getPayload()));
                } catch (RuntimeException e) {
                    s.locals.remove(local);
                    throw e;
                }
                byFilter.put(filter, s);
            }
            open.add(local);
            return local;
        } finally {
            lock.unlock();
        }
    }
}
