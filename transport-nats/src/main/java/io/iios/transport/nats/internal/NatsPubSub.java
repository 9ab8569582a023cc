package io.iios.transport.nats.internal;

import io.iios.spi.Channel;
import io.iios.spi.MessageHandler;
import io.iios.spi.MessageTooLargeException;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.iios.spi.TransportException;
import io.iios.spi.TransportListener;
import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.Message;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * {@link PubSub} on NATS core subjects (see {@link NatsNames} for the mapping). Each subscription is a jnats
 * synchronous subscription read by its own virtual thread: the connection's reader queues to it, the virtual
 * thread runs the handler, one message at a time, so a slow handler holds back only its own subscription and
 * never the reader. A virtual thread rather than a jnats {@code Dispatcher} (a platform thread): core hands
 * every request and reply on to virtual threads, which from a virtual thread costs no OS thread wake-up.
 */
final class NatsPubSub implements PubSub {
    private static final byte[] EMPTY = new byte[0];
    private final NatsTransport transport;
    private final Connection connection;
    private final TransportListener listener;
    private final Map<Consumer, String> consumers;
    private final Set<Subscription> open;
    private final int pendingLimit;
    private final ReentrantLock flushLock = new ReentrantLock();

    NatsPubSub(NatsTransport transport, Connection connection, TransportListener listener,
            Map<Consumer, String> consumers, Set<Subscription> open, int pendingLimit) {
        this.transport = transport;
        this.connection = connection;
        this.listener = listener;
        this.consumers = consumers;
        this.open = open;
        this.pendingLimit = pendingLimit;
    }

    @Override
    public void publish(String channel, byte[] payload) {
        String subject = NatsNames.toSubject(Channel.requireChannel(channel));
        long max = connection.getMaxPayload();
        if (max > 0 && payload.length > max) {
            throw new MessageTooLargeException(payload.length, max, "NATS server max_payload");
        }
        transport.check("publish on " + channel);
        try {
            connection.publish(subject, payload);
        } catch (RuntimeException e) {
            throw NatsErrors.wrap("publish on " + channel, e);
        }
    }

    @Override
    public Subscription subscribe(String pattern, MessageHandler handler) {
        return subscribe(pattern, null, handler);
    }

    @Override
    public Subscription subscribe(String pattern, @Nullable String group, MessageHandler handler) {
        Channel.requirePattern(pattern);
        if (group != null) {
            Channel.requireSegment(group, "queue group");
        }
        String what = "subscription " + pattern + (group == null ? "" : " (group " + group + ")");
        transport.check(what);
        boolean exact = !Channel.isPattern(pattern);
        NatsSubscription sub = new NatsSubscription(what);
        try {
            String subject = NatsNames.toSubject(pattern);
            io.nats.client.Subscription s = group == null ? connection.subscribe(subject)
                    : connection.subscribe(subject, NatsNames.SUBJECT.escape(group));
            sub.subscription = s;
            s.setPendingLimits(pendingLimit, -1);
            consumers.put(s, pattern);
            flushLock.lock(); // one flush PING at a time: jnats drops the connection past maxPingsOut pending PONGs
            try {
                connection.flush(transport.timeout()); // the server has the SUB when this returns
            } finally {
                flushLock.unlock();
            }
            Thread.ofVirtual().name("iios-nats " + pattern).start(() -> deliver(s, sub, exact, pattern, handler));
        } catch (Exception e) {
            sub.close();
            throw NatsErrors.wrap(what, e);
        }
        open.add(sub);
        return sub;
    }

    /** The subscription's delivery loop, on its own virtual thread: one message at a time, in order. */
    private void deliver(io.nats.client.Subscription s, NatsSubscription sub, boolean exact, String pattern,
            MessageHandler handler) {
        while (!sub.closed) {
            Message msg;
            try {
                msg = s.nextMessage(Duration.ZERO); // waits until a message comes or the subscription ends
            } catch (InterruptedException e) {
                return;
            } catch (IllegalStateException inactive) {
                if (!sub.closed && !transport.isClosed()) {
                    listener.onError(sub.what, new TransportException("NATS ended " + sub.what, inactive));
                }
                return;
            }
            if (msg == null) {
                if (!s.isActive()) {
                    return;
                }
                continue;
            }
            if (sub.closed) {
                return;
            }
            String ch;
            try {
                ch = exact ? pattern : NatsNames.fromSubject(msg.getSubject());
            } catch (IllegalArgumentException notOurs) {
                continue; // a foreign subject with a stray '%' under our wildcard: cannot be one of ours
            }
            byte[] data = msg.getData();
            try {
                handler.onMessage(ch, data == null ? EMPTY : data);
            } catch (Throwable t) {
                listener.onError(sub.what, t);
            }
        }
    }

    private final class NatsSubscription implements Subscription {
        final String what;
        volatile boolean closed;
        final AtomicBoolean closing = new AtomicBoolean();
        volatile io.nats.client.@Nullable Subscription subscription;

        NatsSubscription(String what) {
            this.what = what;
        }

        @Override
        public void close() {
            if (!closing.compareAndSet(false, true)) {
                return;
            }
            closed = true;
            open.remove(this);
            io.nats.client.Subscription s = subscription;
            if (s != null) {
                consumers.remove(s);
                try {
                    s.unsubscribe();
                } catch (RuntimeException e) {
                    if (!transport.isClosed()) {
                        listener.onError("closing " + what, e);
                    }
                }
            }
        }
    }

}
