package io.iios.transport.mqtt.internal;

import io.iios.spi.BenchBaseline;
import io.iios.spi.TransportConfig;
import io.iios.transport.mqtt.MqttOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The raw-Paho request/reply baseline for {@code iios bench --baseline}: a requester client publishes
 * {@code id | reply topic | payload} at QoS 0 on a request topic; a responder client subscribed to it publishes
 * {@code id | payload} at QoS 0 on the reply topic from its message callback; the requester, subscribed to the
 * reply topic, correlates by id and sends the next request from its callback (a closed loop with
 * {@code concurrency} requests in flight). Two Paho MQTT 5 async clients, no framework — what a skilled Paho
 * user would write.
 */
public final class RawPahoBaseline implements BenchBaseline {

    @Override
    public String transport() {
        return MqttTransport.NAME;
    }

    @Override
    public String description() {
        return "raw Paho MQTT 5 async clients, QoS 0 request/reply (reply topic in the request), next request sent "
                + "from the reply callback";
    }

    @Override
    public long run(TransportConfig config, int concurrency, int payloadBytes, Duration duration,
            LongConsumer latencyNanos) throws Exception {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        MqttOptions options = MqttOptions.from(config);
        String id = MqttSession.random(8);
        String requestTopic = MqttNames.escape(config.namespace()) + "/_bench/req/" + id;
        String replyTopic = MqttNames.escape(config.namespace()) + "/_bench/rep/" + id;
        byte[] reply = replyTopic.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[payloadBytes];
        Map<Long, Long> pending = new ConcurrentHashMap<>();
        AtomicLong ids = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long[] stopAt = new long[1];

        MqttAsyncClient responder = client(options, "resp");
        MqttAsyncClient requester = client(options, "req");
        try {
            responder.setCallback(new Callback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    ByteBuffer in = ByteBuffer.wrap(message.getPayload());
                    long reqId = in.getLong();
                    byte[] to = new byte[in.getShort()];
                    in.get(to);
                    byte[] out = new byte[8 + in.remaining()];
                    ByteBuffer.wrap(out).putLong(reqId).put(in);
                    try {
                        responder.publish(new String(to, StandardCharsets.UTF_8), new MqttMessage(out, 0, false, null));
                    } catch (MqttException e) {
                        failures.incrementAndGet();
                    }
                }
            });
            requester.setCallback(new Callback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    long reqId = ByteBuffer.wrap(message.getPayload()).getLong();
                    Long start = pending.get(reqId); // only this callback removes: get, then remove below
                    if (start != null) {
                        long now = System.nanoTime();
                        // the next request enters `pending`, and this one is counted, before this one leaves: the
                        // run never looks drained while a request is about to go out or a round trip is uncounted
                        if (now - stopAt[0] < 0) {
                            send(requester, requestTopic, reply, payload, pending, ids, failures);
                        }
                        latencyNanos.accept(now - start);
                        pending.remove(reqId);
                    }
                }
            });
            connect(responder, options);
            connect(requester, options);
            responder.subscribe(requestTopic, 0).waitForCompletion(options.timeout().toMillis());
            requester.subscribe(replyTopic, 0).waitForCompletion(options.timeout().toMillis());
            stopAt[0] = System.nanoTime() + duration.toNanos();
            for (int i = 0; i < concurrency; i++) {
                send(requester, requestTopic, reply, payload, pending, ids, failures);
            }
            long end = stopAt[0] + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() - stopAt[0] < 0 || (!pending.isEmpty() && System.nanoTime() - end < 0)) {
                TimeUnit.MILLISECONDS.sleep(5);
            }
            return pending.size() + failures.get();
        } finally {
            shutdown(requester);
            shutdown(responder);
        }
    }

    private static void send(MqttAsyncClient c, String topic, byte[] reply, byte[] payload, Map<Long, Long> pending,
            AtomicLong ids, AtomicLong failures) {
        long reqId = ids.incrementAndGet();
        byte[] msg = new byte[8 + 2 + reply.length + payload.length];
        ByteBuffer.wrap(msg).putLong(reqId).putShort((short) reply.length).put(reply).put(payload);
        pending.put(reqId, System.nanoTime());
        try {
            c.publish(topic, new MqttMessage(msg, 0, false, null));
        } catch (MqttException e) {
            pending.remove(reqId);
            failures.incrementAndGet();
        }
    }

    private static MqttAsyncClient client(MqttOptions o, String role) throws MqttException {
        return new MqttAsyncClient(o.serverUri(), o.clientIdPrefix() + "bench-" + role + "-" + MqttSession.random(8),
                new MemoryPersistence());
    }

    private static void connect(MqttAsyncClient c, MqttOptions o) throws MqttException {
        MqttConnectionOptions co = new MqttConnectionOptions();
        co.setCleanStart(true);
        if (o.username() != null) {
            co.setUserName(o.username());
        }
        if (o.password() != null) {
            co.setPassword(o.password().getBytes(StandardCharsets.UTF_8));
        }
        if (o.tls()) {
            co.setSocketFactory(TlsContext.socketFactory(o));
        }
        IMqttToken t = c.connect(co);
        t.waitForCompletion(o.timeout().toMillis());
    }

    private static void shutdown(MqttAsyncClient c) {
        try {
            if (c.isConnected()) {
                c.disconnect(100).waitForCompletion(1000);
            }
        } catch (MqttException ignored) {
            // closing anyway
        }
        try {
            c.disconnectForcibly(0, 100, false);
        } catch (MqttException ignored) {
            // already disconnected
        }
        try {
            c.close(true);
        } catch (MqttException ignored) {
            // best effort
        }
    }

    private abstract static class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
