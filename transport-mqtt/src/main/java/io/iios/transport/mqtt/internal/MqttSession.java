package io.iios.transport.mqtt.internal;

import io.iios.spi.TransportException;
import io.iios.spi.TransportListener;
import io.iios.spi.TransportUnavailableException;
import io.iios.transport.mqtt.MqttOptions;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;

/**
 * One Paho MQTT 5 connection and what every part of the transport needs from it: broker subscriptions
 * routed by MQTT 5 subscription identifier, QoS 1 publishes bounded by the broker's receive maximum, a
 * <em>fence</em> (a QoS 1 message to this connection's own topic: when it comes back, everything the broker
 * queued for this connection before has arrived), connection health with fail-fast checks, and automatic
 * reconnect that re-subscribes everything before it reports the connection up again.
 */
final class MqttSession implements AutoCloseable {
    /** MQTT's largest packet (remaining length 268,435,455 plus the fixed header); used when CONNACK sets none. */
    static final long PROTOCOL_MAX_PACKET = 268_435_460L;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /** Where messages of one broker subscription go; called on Paho's callback thread, so it must be quick. */
    interface Sink {
        void accept(String topic, MqttMessage message);
    }

    /** One broker subscription. */
    final class Route {
        final String filter;
        final int qos;
        final int retainHandling;
        final int id;
        final Sink sink;
        volatile boolean closed;

        Route(String filter, int qos, int retainHandling, Sink sink) {
            this.filter = filter;
            this.qos = qos;
            this.retainHandling = retainHandling;
            this.id = ids.incrementAndGet();
            this.sink = sink;
        }
    }

    private final MqttOptions options;
    private final TransportListener listener;
    private final PahoClient client;
    private final MqttConnectionOptions connectOptions;
    private final String clientId;
    private final String fenceTopic;
    private final String where;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, Route> routes = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Void>> fences = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<?>> awaitingAck = ConcurrentHashMap.newKeySet();
    private final AtomicLong fenceIds = new AtomicLong();
    private final List<Runnable> reconnectHooks = new CopyOnWriteArrayList<>();
    private final List<Runnable> disconnectHooks = new CopyOnWriteArrayList<>();
    private final ReentrantLock resubscribeLock = new ReentrantLock();
    private final long timeoutMillis;
    private volatile boolean up;
    private volatile boolean closed;
    private volatile @Nullable Throwable lastFailure;
    private volatile long maxPacket = PROTOCOL_MAX_PACKET;
    private volatile boolean subscriptionIds = true;
    private volatile boolean sharedSubscriptions = true;
    private volatile Semaphore inFlight;
    /**
     * Paho's sender, callback and ping run here on virtual threads (JDK 24+): a message handed from Paho's callback
     * to a handler's virtual thread then usually stays on the same carrier (no wake-up of another OS thread), which
     * is most of the framework's per-message cost on a small machine. The receiver, always in a blocking socket
     * read, runs on a platform thread (see {@link PahoThreads}).
     */
    private final PahoThreads pahoThreads;

    MqttSession(MqttOptions options, String namespace, TransportListener listener) {
        this.options = options;
        this.listener = listener;
        this.timeoutMillis = options.timeout().toMillis();
        this.clientId = options.clientIdPrefix() + random(16);
        this.where = options.serverUri();
        this.fenceTopic = MqttNames.escape(namespace) + "/" + MqttNames.FENCE_LEVEL + "/" + MqttNames.escape(clientId);
        this.inFlight = new Semaphore(options.maxInFlight());
        this.pahoThreads = new PahoThreads(clientId);
        try {
            this.client = new PahoClient(options.serverUri(), clientId, pahoThreads);
        } catch (MqttException e) {
            throw new TransportException("cannot create an MQTT client for " + where + ": " + e.getMessage(), e);
        }
        this.connectOptions = connectOptions(options);
        client.setCallback(new Callback());
    }

    static String random(int n) {
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    private static MqttConnectionOptions connectOptions(MqttOptions o) {
        MqttConnectionOptions c = new MqttConnectionOptions();
        c.setCleanStart(o.cleanStart());
        c.setSessionExpiryInterval(o.sessionExpiry().toSeconds());
        c.setKeepAliveInterval((int) o.keepAlive().toSeconds());
        c.setConnectionTimeout((int) Math.max(1, (o.timeout().toMillis() + 999) / 1000));
        c.setAutomaticReconnect(true);
        c.setAutomaticReconnectDelay(1, (int) Math.max(1, o.reconnectDelayMax().toSeconds()));
        if (o.username() != null) {
            c.setUserName(o.username());
        }
        if (o.password() != null) {
            c.setPassword(o.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        c.setSocketFactory(o.tls() ? TlsContext.socketFactory(o) : BufferedSocketFactory.INSTANCE);
        return c;
    }

    /** Connects (bounded by the timeout) and subscribes this connection's fence topic. */
    void connect() {
        IMqttToken token;
        try {
            token = client.connect(connectOptions);
            token.waitForCompletion(timeoutMillis);
        } catch (MqttException e) {
            closeQuietly();
            throw MqttErrors.connectFailure(where, e);
        }
        readConnack(token.getResponseProperties());
        up = true;
        subscribe(fenceTopic, 1, 2, (topic, m) -> {
            CompletableFuture<Void> f = fences.remove(ByteBuffer.wrap(m.getPayload()).getLong());
            if (f != null) {
                f.complete(null);
            }
        });
    }

    private void readConnack(@Nullable MqttProperties p) {
        if (p == null) {
            return;
        }
        Long max = p.getMaximumPacketSize();
        maxPacket = max == null || max <= 0 ? PROTOCOL_MAX_PACKET : max;
        Integer receiveMax = p.getReceiveMaximum();
        int brokerWindow = receiveMax == null ? 65535 : receiveMax;
        // Paho counts a QoS 0 message being written in the same window, and refuses a publish at the limit:
        // keep two places free.
        inFlight = new Semaphore(Math.max(1, Math.min(options.maxInFlight(), brokerWindow - 2)));
        subscriptionIds = p.isSubscriptionIdentifiersAvailable();
        sharedSubscriptions = p.isSharedSubscriptionAvailable();
    }

    String clientId() {
        return clientId;
    }

    String where() {
        return where;
    }

    /** The broker's maximum packet size from CONNACK, or the protocol's. */
    long maxPacket() {
        return maxPacket;
    }

    boolean sharedSubscriptionsAvailable() {
        return sharedSubscriptions;
    }

    boolean isUp() {
        return up;
    }

    /** Runs after every reconnect, once every broker subscription is back and before the node is told. */
    void onReconnect(Runnable hook) {
        reconnectHooks.add(hook);
    }

    /** Runs on Paho's callback thread when the connection drops; must be quick. */
    void onDisconnect(Runnable hook) {
        disconnectHooks.add(hook);
    }

    /** Throws {@link TransportUnavailableException} at once while disconnected. */
    void check(String what) {
        if (closed) {
            throw new TransportException("the MQTT transport is closed; " + what + " refused");
        }
        if (!up) {
            Throwable cause = lastFailure;
            throw new TransportUnavailableException("MQTT broker at " + where + " is unreachable; " + what
                    + " failed fast" + (cause == null ? "" : " (" + cause.getMessage() + ")"), cause);
        }
    }

    // ---------------------------------------------------------------- subscriptions

    /** Subscribes on the broker and returns once the broker granted it. */
    Route subscribe(String filter, int qos, int retainHandling, Sink sink) {
        Route r = new Route(filter, qos, retainHandling, sink);
        routes.put(r.id, r);
        try {
            brokerSubscribe(r);
        } catch (RuntimeException e) {
            routes.remove(r.id);
            throw e;
        }
        return r;
    }

    private void brokerSubscribe(Route r) {
        MqttSubscription s = new MqttSubscription(r.filter, r.qos);
        s.setRetainHandling(r.retainHandling);
        MqttProperties props = new MqttProperties();
        if (subscriptionIds) {
            props.setSubscriptionIdentifier(r.id);
        }
        try {
            IMqttToken t = client.subscribe(new MqttSubscription[] {s}, null, null, props);
            t.waitForCompletion(timeoutMillis);
            int[] codes = t.getReasonCodes();
            if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                throw new TransportException("MQTT broker at " + where + " refused the subscription to '" + r.filter
                        + "': " + MqttErrors.reason(codes[0]));
            }
        } catch (MqttException e) {
            throw MqttErrors.wrap("subscribe " + r.filter, where, e);
        }
    }

    /** Ends a broker subscription; no message reaches its sink after this returns. */
    void unsubscribe(Route r) {
        r.closed = true;
        routes.remove(r.id);
        if (up && !closed) {
            try {
                client.unsubscribe(r.filter);
            } catch (MqttException e) {
                listener.onError("mqtt unsubscribe " + r.filter, e);
            }
        }
    }

    private void dispatch(String topic, MqttMessage m) {
        List<Integer> sids = m.getProperties() == null ? null : m.getProperties().getSubscriptionIdentifiers();
        if (sids != null && !sids.isEmpty()) {
            for (Integer id : sids) {
                Route r = routes.get(id);
                if (r != null && !r.closed) {
                    deliver(r, topic, m);
                }
            }
            return;
        }
        for (Route r : routes.values()) { // a broker without subscription identifiers
            if (!r.closed && MqttNames.mqttMatches(r.filter, topic)) {
                deliver(r, topic, m);
            }
        }
    }

    private void deliver(Route r, String topic, MqttMessage m) {
        try {
            r.sink.accept(topic, m);
        } catch (RuntimeException e) {
            listener.onError("mqtt subscription " + r.filter, e);
        }
    }

    // ---------------------------------------------------------------- publishing

    /** QoS 0 publish: returns once Paho queued it (Paho's single sender keeps each thread's order). */
    void publishQos0(String topic, byte[] payload) {
        check("publish");
        MqttMessage m = new MqttMessage(payload, 0, false, null);
        for (int attempt = 0; ; attempt++) {
            try {
                client.publish(topic, m);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT && attempt < 1000) {
                    Thread.onSpinWait(); // QoS 1 acknowledgements free the window within microseconds
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                    continue;
                }
                throw MqttErrors.wrap("publish " + topic, where, e);
            }
        }
    }

    /**
     * QoS 1 publish; the future completes when the broker acknowledged it (PUBACK), exceptionally when it
     * refused it or the connection dropped. Blocks only while {@code max-in-flight} publishes await their ack.
     */
    CompletableFuture<Void> publishQos1(String topic, byte[] payload, boolean retained, @Nullable MqttProperties props) {
        check("publish");
        Semaphore window = inFlight;
        try {
            if (!window.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new TransportException("MQTT: " + options.maxInFlight() + " QoS 1 messages still await the "
                        + "broker's acknowledgement after " + timeoutMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while waiting for the MQTT in-flight window", e);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        awaitingAck.add(done);
        done.whenComplete((v, t) -> {
            awaitingAck.remove(done);
            window.release();
        });
        try {
            client.publish(topic, new MqttMessage(payload, 1, retained, props), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                        done.completeExceptionally(new TransportException("MQTT broker at " + where
                                + " refused the message on '" + topic + "': " + MqttErrors.reason(codes[0])));
                    } else {
                        done.complete(null);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    done.completeExceptionally(e instanceof MqttException me
                            ? MqttErrors.wrap("publish " + topic, where, me)
                            : new TransportException("MQTT publish on '" + topic + "' failed: " + e, e));
                }
            });
        } catch (MqttException e) {
            done.completeExceptionally(MqttErrors.wrap("publish " + topic, where, e));
        }
        return done;
    }

    /** Waits for a future of this session, bounded by the timeout, unwrapping transport exceptions. */
    <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TransportException te) {
                throw te;
            }
            throw new TransportException("MQTT " + what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            f.cancel(false);
            if (!up) {
                throw new TransportUnavailableException("MQTT broker at " + where + " became unreachable during "
                        + what, lastFailure);
            }
            throw new TransportException("MQTT " + what + " got no answer from " + where + " within "
                    + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted during MQTT " + what, e);
        }
    }

    /**
     * Returns once every message the broker queued for this connection before now has been handed to its sink:
     * a QoS 1 message to this connection's own fence topic comes back behind them.
     */
    void fence(String what) {
        long id = fenceIds.incrementAndGet();
        CompletableFuture<Void> back = new CompletableFuture<>();
        fences.put(id, back);
        try {
            CompletableFuture<Void> sent = publishQos1(fenceTopic, ByteBuffer.allocate(8).putLong(id).array(), false,
                    null);
            await(sent.thenCompose(v -> back), what);
        } finally {
            fences.remove(id);
        }
    }

    // ---------------------------------------------------------------- connection events

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            Throwable cause = response.getException();
            lastFailure = cause != null ? cause : new TransportUnavailableException("MQTT broker at " + where
                    + " disconnected (" + response + ")", null);
            boolean wasUp = up;
            up = false;
            TransportUnavailableException lost = new TransportUnavailableException("MQTT connection to " + where
                    + " lost", lastFailure);
            for (Runnable hook : disconnectHooks) {
                try {
                    hook.run();
                } catch (RuntimeException e) {
                    listener.onError("mqtt disconnect", e);
                }
            }
            for (CompletableFuture<?> f : List.copyOf(awaitingAck)) {
                f.completeExceptionally(lost);
            }
            if (wasUp && !closed) {
                listener.onConnectionChange(false);
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            listener.onError("mqtt " + where, e);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            dispatch(topic, message);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            if (reconnect && !closed) {
                Thread.ofVirtual().name("iios-mqtt-resubscribe").start(MqttSession.this::restore);
            }
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }

    /** After a reconnect: re-subscribes every route, runs the hooks, then reports the connection up. */
    private void restore() {
        resubscribeLock.lock();
        try {
            if (closed || !client.isConnected()) {
                return;
            }
            for (Route r : List.copyOf(routes.values())) {
                if (!r.closed) {
                    brokerSubscribe(r);
                }
            }
            up = true;
            for (Runnable hook : reconnectHooks) {
                try {
                    hook.run();
                } catch (RuntimeException e) {
                    listener.onError("mqtt reconnect", e);
                }
            }
            listener.onConnectionChange(true);
        } catch (RuntimeException e) {
            up = false;
            listener.onError("mqtt re-subscribe after reconnect to " + where, e);
            // drop the connection so that Paho reconnects and we try again
            try {
                client.dropNow(100, false);
                client.reconnect();
            } catch (MqttException again) {
                listener.onError("mqtt reconnect", again);
            }
        } finally {
            resubscribeLock.unlock();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        up = false;
        routes.clear();
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            if (client.isConnected()) {
                client.disconnectNow(200).waitForCompletion(Math.min(timeoutMillis, 1000));
            }
        } catch (MqttException e) {
            // closing anyway
        }
        if (client.isConnected()) { // a clean DISCONNECT did not go through: drop the socket
            try {
                client.dropNow(100, false);
            } catch (MqttException e) {
                // already disconnected
            }
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // best effort
        }
        pahoThreads.shutdownNow();
    }
}
