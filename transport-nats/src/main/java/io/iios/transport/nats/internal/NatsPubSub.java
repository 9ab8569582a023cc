package io.iios.transport.nats.internal;

import io.iios.spi.Channel;
import io.iios.spi.MessageHandler;
import io.iios.spi.MessageTooLargeException;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.iios.spi.TransportListener;
import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * {@link PubSub} on NATS core subjects (see {@link NatsNames} for the mapping). Each subscription has its own
 * jnats {@link Dispatcher}: its handler runs on that dispatcher's thread, one message at a time, so a slow
 * handler holds back only its own subscription and never the connection's reader. No extra hand-off: the
 * reader queues to the dispatcher, the dispatcher runs the handler.
 */
final class NatsPubSub implements PubSub {
    private static final byte[] EMPTY = new byte[0];
    /** Channels whose subject is kept (see {@link #subjectOf}). */
    static final int SUBJECT_CACHE = 4096;
    private final Map<String, String> subjects = new ConcurrentHashMap<>();
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
        String subject = subjects.get(channel);
        if (subject == null) {
            subject = subjectOf(channel);
        }
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

    /** Checks and maps a channel, and keeps it: a hot channel (a service's inbox, a reply inbox) is mapped once. */
    private String subjectOf(String channel) {
        String subject = NatsNames.toSubject(Channel.requireChannel(channel));
        if (subjects.size() >= SUBJECT_CACHE) {
            subjects.clear(); // many short-lived channels (streams): start over rather than grow
        }
        subjects.put(channel, subject);
        return subject;
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
        Dispatcher d = connection.createDispatcher(msg -> {
            if (sub.closed) {
                return;
            }
            String ch;
            try {
                ch = exact ? pattern : NatsNames.fromSubject(msg.getSubject());
            } catch (IllegalArgumentException notOurs) {
                return; // a foreign subject with a stray '%' under our wildcard: cannot be one of ours
            }
            byte[] data = msg.getData();
            try {
                handler.onMessage(ch, data == null ? EMPTY : data);
            } catch (Throwable t) {
                listener.onError(what, t);
            }
        });
        d.setPendingLimits(pendingLimit, -1);
        sub.dispatcher = d;
        consumers.put(d, pattern);
        try {
            String subject = NatsNames.toSubject(pattern);
            if (group == null) {
                d.subscribe(subject);
            } else {
                d.subscribe(subject, NatsNames.SUBJECT.escape(group));
            }
            flushLock.lock(); // one flush PING at a time: jnats drops the connection past maxPingsOut pending PONGs
            try {
                connection.flush(transport.timeout()); // the server has the SUB when this returns
            } finally {
                flushLock.unlock();
            }
        } catch (Exception e) {
            sub.close();
            throw NatsErrors.wrap(what, e);
        }
        open.add(sub);
        return sub;
    }

    private final class NatsSubscription implements Subscription {
        final String what;
        volatile boolean closed;
        final AtomicBoolean closing = new AtomicBoolean();
        volatile @Nullable Dispatcher dispatcher;

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
            Dispatcher d = dispatcher;
            if (d != null) {
                consumers.remove(d);
                try {
                    connection.closeDispatcher(d);
                } catch (RuntimeException e) {
                    if (!transport.isClosed()) {
                        listener.onError("closing " + what, e);
                    }
                }
            }
        }
    }

}
