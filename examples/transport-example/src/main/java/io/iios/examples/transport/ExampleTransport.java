package io.iios.examples.transport;

import io.iios.spi.Capability;
import io.iios.spi.Channel;
import io.iios.spi.KvListener;
import io.iios.spi.KvStore;
import io.iios.spi.MessageHandler;
import io.iios.spi.PubSub;
import io.iios.spi.SegmentEscaper;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import io.iios.spi.TransportListener;
import io.iios.spi.TransportUnavailableException;
import io.iios.spi.UnsupportedCapabilityException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One connection to an {@link ExampleBroker}. It maps the IIOS grammar onto the broker's topics:
 * {@code :} becomes {@code /}, {@code *} becomes {@code +}, {@code >} becomes {@code #}, and the
 * characters the broker gives a meaning to are escaped in every segment. Since {@code #} also matches
 * zero levels where {@code >} needs one, each delivery is re-checked with {@link Channel#matches}.
 */
final class ExampleTransport implements Transport, KvStore, PubSub {
    static final Set<Capability> CAPABILITIES = Set.of(Capability.KV_TTL, Capability.KV_CAS);
    private static final SegmentEscaper ESCAPER = SegmentEscaper.forbidding("/+#")
            .withControlCharacters().withForbiddenLeading("$");

    private final ExampleBroker broker;
    private final TransportListener listener;
    private final Set<Mailbox> mailboxes = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ExampleTransport(ExampleBroker broker, TransportListener listener) {
        this.broker = broker;
        this.listener = listener;
    }

    @Override
    public String name() {
        return ExampleTransportProvider.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public KvStore kv() {
        return this;
    }

    @Override
    public PubSub pubsub() {
        return this;
    }

    private void checkOpen() {
        if (closed) {
            throw new TransportUnavailableException("example transport connection is closed", null);
        }
    }

    // ------------------------------------------------------------------ names

    static String toTopic(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 8);
        for (String segment : Channel.segments(name)) {
            if (!sb.isEmpty()) {
                sb.append('/');
            }
            sb.append(switch (segment) {
                case Channel.ONE -> "+";
                case Channel.TAIL -> "#";
                default -> ESCAPER.escape(segment);
            });
        }
        return sb.toString();
    }

    static String fromTopic(String topic) {
        StringBuilder sb = new StringBuilder(topic.length());
        for (String level : topic.split("/", -1)) {
            if (!sb.isEmpty()) {
                sb.append(Channel.SEPARATOR);
            }
            sb.append(ESCAPER.unescape(level));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ KV (keys are stored as they are)

    @Override
    public Optional<byte[]> get(String key) {
        checkOpen();
        return broker.get(Channel.requireChannel(key));
    }

    @Override
    public void put(String key, byte[] value, @Nullable Duration ttl) {
        checkOpen();
        broker.set(Channel.requireChannel(key), value, ttl == null ? 0 : Math.max(1, ttl.toNanos()));
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, @Nullable Duration ttl) {
        checkOpen();
        return broker.setIfAbsent(Channel.requireChannel(key), value, ttl == null ? 0 : Math.max(1, ttl.toNanos()));
    }

    @Override
    public boolean delete(String key) {
        checkOpen();
        return broker.remove(Channel.requireChannel(key));
    }

    @Override
    public List<String> keys(String prefix) {
        checkOpen();
        return broker.scan(prefix);
    }

    @Override
    public Subscription watch(String prefix, KvListener kvListener) {
        throw new UnsupportedCapabilityException(name(), Capability.KV_WATCH);
    }

    // ------------------------------------------------------------------ pub/sub

    @Override
    public void publish(String channel, byte[] payload) {
        checkOpen();
        broker.publish(toTopic(Channel.requireChannel(channel)), payload);
    }

    @Override
    public Subscription subscribe(String pattern, MessageHandler handler) {
        checkOpen();
        Mailbox m = new Mailbox(Channel.requirePattern(pattern), handler);
        mailboxes.add(m);
        broker.subscribe(m.subscriber);
        return m;
    }

    @Override
    public Subscription subscribe(String pattern, String group, MessageHandler handler) {
        throw new UnsupportedCapabilityException(name(), Capability.QUEUE_GROUPS);
    }

    /**
     * One subscription: the broker drops messages into a queue; a virtual thread hands them to the
     * handler one at a time, off the publisher's thread. The lock makes close() wait for a running
     * handler, so no message starts being handled after close() returns.
     */
    private final class Mailbox implements Subscription {
        private final String pattern;
        private final MessageHandler handler;
        private final LinkedBlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        private final ReentrantLock running = new ReentrantLock();
        private final ExampleBroker.Subscriber subscriber;
        private final Thread worker;
        private volatile boolean done;

        Mailbox(String pattern, MessageHandler handler) {
            this.pattern = pattern;
            this.handler = handler;
            this.subscriber = new ExampleBroker.Subscriber(toTopic(pattern),
                    (topic, payload) -> queue.add(new Object[] {topic, payload}));
            this.worker = Thread.ofVirtual().name("example-sub-" + pattern).start(this::drain);
        }

        private void drain() {
            while (!done) {
                Object[] m;
                try {
                    m = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                String channel = fromTopic((String) m[0]);
                if (!Channel.matches(pattern, channel)) {
                    continue; // '#' matched zero levels where '>' needs one
                }
                running.lock();
                try {
                    if (!done) {
                        handler.onMessage(channel, (byte[]) m[1]);
                    }
                } catch (RuntimeException e) {
                    listener.onError("subscription " + pattern, e);
                } finally {
                    running.unlock();
                }
            }
        }

        @Override
        public void close() {
            broker.unsubscribe(subscriber);
            mailboxes.remove(this);
            running.lock();
            try {
                done = true;
            } finally {
                running.unlock();
            }
            worker.interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        mailboxes.forEach(Mailbox::close);
    }
}
