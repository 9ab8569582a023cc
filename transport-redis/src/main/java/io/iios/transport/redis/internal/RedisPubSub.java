package io.iios.transport.redis.internal;

import io.iios.spi.SerialDispatcher;

import io.iios.spi.Capability;
import io.iios.spi.Channel;
import io.iios.spi.MessageHandler;
import io.iios.spi.MessageTooLargeException;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.iios.spi.TransportListener;
import io.iios.spi.UnsupportedCapabilityException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@link PubSub} on Redis: PUBLISH through the batching {@link PublishWriter}; SUBSCRIBE for exact
 * channels and PSUBSCRIBE with a glob for patterns, all on the shared {@link SubscriberConnection}. On a
 * Cluster, the point-to-point channels of {@link ShardedChannels} use SPUBLISH and SSUBSCRIBE
 * ({@link ShardedSubscriber}) instead.
 * A glob {@code *} also crosses {@code ':'}, so every message a glob delivers is re-checked with
 * {@link Channel#matches}. Handlers run on virtual threads, one at a time per subscription.
 */
final class RedisPubSub implements PubSub {
    static final int PENDING_LIMIT = 200_000;
    /** Channels whose Redis name (escaped, UTF-8) and slot are kept, so a hot channel is encoded once. */
    static final int ROUTE_CACHE = 4096;

    private final PublishWriter writer;
    private final SubscriberConnection subscriber;
    private final @Nullable ShardedSubscriber sharded;
    private final ShardedChannels shardedChannels;
    private final TransportListener listener;
    private final Executor dispatch;
    private final Set<Subscription> open;
    private final long maxPayload;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    RedisPubSub(PublishWriter writer, SubscriberConnection subscriber, @Nullable ShardedSubscriber sharded,
            ShardedChannels shardedChannels, TransportListener listener, Executor dispatch,
            Set<Subscription> open, long maxPayload) {
        this.writer = writer;
        this.subscriber = subscriber;
        this.sharded = sharded;
        this.shardedChannels = sharded == null ? ShardedChannels.NONE : shardedChannels;
        this.listener = listener;
        this.dispatch = dispatch;
        this.open = open;
        this.maxPayload = maxPayload;
    }

    @Override
    public void publish(String channel, byte[] payload) {
        if (payload.length > maxPayload) {
            throw new MessageTooLargeException(payload.length, maxPayload, "Redis proto-max-bulk-len");
        }
        Route r = routes.get(channel);
        if (r == null) {
            r = route(channel);
        }
        if (r.slot >= 0) {
            writer.spublish(r.redisChannel, payload, r.slot);
        } else {
            writer.publish(r.redisChannel, payload);
        }
    }

    /** How a channel is published: its Redis name and, when sharded, its hash slot (else -1). */
    private record Route(byte[] redisChannel, int slot) {
    }

    private Route route(String channel) {
        byte[] redisChannel = RedisNames.bytes(RedisNames.toRedis(Channel.requireChannel(channel)));
        Route r = new Route(redisChannel, shardedChannels.covers(channel) ? JedisClusterCRC16.getSlot(redisChannel) : -1);
        if (routes.size() >= ROUTE_CACHE) {
            routes.clear(); // many short-lived channels (streams): start over rather than grow
        }
        routes.put(channel, r);
        return r;
    }

    @Override
    public Subscription subscribe(String pattern, MessageHandler handler) {
        Channel.requirePattern(pattern);
        record Msg(String channel, byte[] payload) {
        }
        SerialDispatcher<Msg> d = new SerialDispatcher<>(dispatch, PENDING_LIMIT,
                m -> handler.onMessage(m.channel, m.payload), t -> listener.onError("subscription " + pattern, t));
        boolean isPattern = Channel.isPattern(pattern);
        SubscriberConnection.Sink sink = (redisChannel, payload) -> {
            String ch = pattern; // an exact subscription gets only its own channel
            if (isPattern) {
                try {
                    ch = RedisNames.fromRedis(redisChannel);
                } catch (IllegalArgumentException notOurs) {
                    return; // a foreign channel with a stray '%': it cannot be one of ours
                }
                if (!Channel.matches(pattern, ch)) {
                    return;
                }
            }
            if (!d.offer(new Msg(ch, payload))) {
                listener.onDropped(ch, "subscription '" + pattern + "' has " + PENDING_LIMIT
                        + " pending messages (slow consumer)");
            }
        };
        Runnable cancel;
        if (isPattern) {
            cancel = subscriber.subscribe(RedisNames.glob(pattern), true, sink);
        } else if (sharded != null && shardedChannels.covers(pattern)) {
            cancel = sharded.subscribe(RedisNames.toRedis(pattern), sink);
        } else {
            cancel = subscriber.subscribe(RedisNames.toRedis(pattern), false, sink);
        }
        Subscription[] self = new Subscription[1];
        self[0] = new Subscription() {
            private volatile boolean done;

            @Override
            public void close() {
                if (!done) {
                    done = true;
                    open.remove(this);
                    d.close();
                    cancel.run();
                }
            }
        };
        open.add(self[0]);
        return self[0];
    }

    /**
     * Not supported: Redis pub/sub has no load-balanced delivery, and emulating it truly (Streams consumer
     * groups) is a different delivery model; see docs/redis.md.
     */
    @Override
    public Subscription subscribe(String pattern, String group, MessageHandler handler) {
        throw new UnsupportedCapabilityException("redis", Capability.QUEUE_GROUPS);
    }
}
