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
import java.util.Set;
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

    private final PublishWriter writer;
    private final SubscriberConnection subscriber;
    private final @Nullable ShardedSubscriber sharded;
    private final ShardedChannels shardedChannels;
    private final TransportListener listener;
    private final Executor dispatch;
    private final Set<Subscription> open;
    private final long maxPayload;

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
        byte[] redisChannel = RedisNames.bytes(RedisNames.toRedis(Channel.requireChannel(channel)));
        if (shardedChannels.covers(channel)) {
            writer.spublish(redisChannel, payload, JedisClusterCRC16.getSlot(redisChannel));
        } else {
            writer.publish(redisChannel, payload);
        }
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
            String ch;
            try {
                ch = RedisNames.fromRedis(redisChannel);
            } catch (IllegalArgumentException notOurs) {
                return; // a foreign channel with a stray '%': it cannot be one of ours
            }
            if (isPattern && !Channel.matches(pattern, ch)) {
                return;
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
