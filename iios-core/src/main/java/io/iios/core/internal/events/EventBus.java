package io.iios.core.internal.events;

import io.iios.api.CallContext;
import io.iios.api.Event;
import io.iios.api.EventListener;
import io.iios.api.EventMeta;
import io.iios.api.EventSubscription;
import io.iios.api.Events;
import io.iios.api.UnsupportedFeatureException;
import io.iios.core.internal.metrics.NodeMetrics;
import io.iios.core.internal.metrics.RateLimitedLog;
import io.iios.core.internal.rpc.CallScope;
import io.iios.core.internal.security.EnvelopeSigner;
import io.iios.core.internal.wire.Names;
import io.iios.core.internal.wire.Protocol;
import io.iios.core.internal.wire.Wire;
import io.iios.spi.Capability;
import io.iios.spi.Encoder;
import io.iios.spi.MessageHandler;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Events (design §4): a service pushes {@code ns:service:event:name}; subscribers use the seed's
 * three forms, broadcast or in a consumer group. Malformed events and throwing listeners are counted
 * and logged; the subscription goes on.
 */
public final class EventBus implements Events, AutoCloseable {
    private final Names names;
    private final Protocol protocol;
    private final String nodeId;
    private final Transport transport;
    private final Encoder encoder;
    private final NodeMetrics metrics;
    private final RateLimitedLog log;
    private final long maxBytes;
    private final Set<Subscription> open = ConcurrentHashMap.newKeySet();
    private final EnvelopeSigner signer;

    public EventBus(Protocol protocol, String nodeId, Transport transport, Encoder encoder, NodeMetrics metrics,
            RateLimitedLog log, long maxBytes, EnvelopeSigner signer) {
        this.signer = signer;
        this.protocol = protocol;
        this.nodeId = nodeId;
        this.names = protocol.names();
        this.transport = transport;
        this.encoder = encoder;
        this.metrics = metrics;
        this.log = log;
        this.maxBytes = maxBytes;
    }

    /** Publishes an event of a service instance. */
    public void push(String service, String instanceId, String event, @Nullable Object payload) {
        Names.requireName(event, "event name");
        CallContext ctx = CallScope.current();
        Wire.EventMessage msg = new Wire.EventMessage(service, event, payload, protocol.eventOrigin(nodeId, instanceId),
                System.currentTimeMillis(), ctx == null ? null : ctx.userId());
        byte[] bytes = encoder.encode(signer.sign(protocol.eventToMap(msg)));
        if (bytes.length > maxBytes) {
            throw new io.iios.api.BadMessageException("event " + service + ":" + event + " is " + bytes.length
                    + " bytes, over iios.message.max-bytes=" + maxBytes);
        }
        transport.pubsub().publish(names.eventChannel(service, event), bytes);
        metrics.eventPublished();
    }

    @Override
    public EventSubscription on(String name, EventListener listener) {
        return track(transport.pubsub().subscribe(pattern(name), handler(name, listener)));
    }

    @Override
    public EventSubscription on(String name, String group, EventListener listener) {
        Names.requireName(group, "consumer group");
        if (!transport.supports(Capability.QUEUE_GROUPS)) {
            throw new UnsupportedFeatureException("consumer groups need a transport with QUEUE_GROUPS; '"
                    + transport.name() + "' does not declare it");
        }
        return track(transport.pubsub().subscribe(pattern(name), group, handler(name, listener)));
    }

    private String pattern(String name) {
        return protocol.eventSubscription(name);
    }

    private EventSubscription track(Subscription s) {
        open.add(s);
        return () -> {
            open.remove(s);
            s.close();
        };
    }

    private MessageHandler handler(String name, EventListener listener) {
        return (channel, payload) -> {
            Wire.EventMessage msg;
            try {
                if (payload.length > maxBytes) {
                    throw new IllegalArgumentException(payload.length + " bytes, over iios.message.max-bytes");
                }
                Map<?, ?> map = Wire.asMap(encoder.decode(payload));
                if (!signer.accept(map, 0, channel, metrics, log)) {
                    return;
                }
                msg = protocol.eventFrom(map);
            } catch (RuntimeException e) {
                metrics.dropped("malformed-event");
                log.warn("malformed-event", "dropped a malformed event on " + channel + ": " + e.getMessage(), null);
                return;
            }
            if (!protocol.delivers(name, msg, nodeId)) {
                return;
            }
            metrics.eventReceived();
            EventMeta meta = new EventMeta(msg.service(), msg.event(), msg.instanceId(),
                    Instant.ofEpochMilli(msg.timestampMillis()), msg.userId());
            try {
                listener.onEvent(new ReceivedEvent(msg.payload(), meta));
            } catch (RuntimeException e) {
                metrics.dropped("listener-failed");
                log.warn("listener-failed", "event listener of '" + name + "' threw " + e, e);
            }
        };
    }

    private final class ReceivedEvent implements Event {
        private final @Nullable Object payload;
        private final EventMeta meta;

        ReceivedEvent(@Nullable Object payload, EventMeta meta) {
            this.payload = payload;
            this.meta = meta;
        }

        @Override
        public @Nullable Object payload() {
            return payload;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> @Nullable T payload(Class<T> type) {
            return (T) encoder.convert(payload, type);
        }

        @Override
        public EventMeta meta() {
            return meta;
        }

        @Override
        public String toString() {
            return "Event[" + meta.service() + ":" + meta.event() + " " + payload + "]";
        }
    }

    @Override
    public void close() {
        open.forEach(Subscription::close);
        open.clear();
    }
}
