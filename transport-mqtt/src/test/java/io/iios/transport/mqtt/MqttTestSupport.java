package io.iios.transport.mqtt;

import io.iios.spi.TransportConfig;
import io.iios.spi.TransportListener;
import io.iios.testsupport.Brokers;
import io.iios.transport.mqtt.internal.MqttTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Where the test broker is, and whether a test may skip when it is absent. */
final class MqttTestSupport {
    private MqttTestSupport() {
    }

    /** {@code IIOS_TEST_MQTT_URI}, else the local default. */
    static String uri() {
        String env = System.getenv("IIOS_TEST_MQTT_URI");
        return env == null || env.isBlank() ? "tcp://127.0.0.1:1883" : env.trim();
    }

    static boolean brokersRequired() {
        return Brokers.required();
    }

    /** Skips the test (or fails it when brokers are required) unless something answers at {@link #uri()}. */
    static String requireBroker() {
        String uri = uri();
        URI u = URI.create(uri);
        int port = u.getPort() < 0 ? 1883 : u.getPort();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), port), 1000);
        } catch (IOException e) {
            skipOrFail("no MQTT broker answers at " + u.getHost() + ":" + port + " (" + e.getMessage()
                    + "); set IIOS_TEST_MQTT_URI or start Mosquitto");
        }
        return uri;
    }

    static void skipOrFail(String reason) {
        Brokers.skipOrFail(reason);
    }

    /** A fresh namespace (one segment) so tests never see each other. */
    static String namespace() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static MqttTransport transport(String uri, String ns, TransportListener listener, String... extra) {
        Map<String, String> p = new HashMap<>();
        p.put(MqttOptions.URI_KEY, uri);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return (MqttTransport) new MqttTransportProvider().create(TransportConfig.of(ns, p, listener));
    }

    /** Deletes every retained key of a namespace (the broker may persist them). */
    static void deleteNamespace(Map<String, String> config, String ns) {
        try (MqttTransport t = (MqttTransport) new MqttTransportProvider()
                .create(TransportConfig.of(ns, config, TransportListener.NONE))) {
            for (String k : t.kv().keys(ns + ":")) {
                t.kv().delete(k);
            }
        } catch (RuntimeException e) {
            // best effort: the broker is gone, or the keys carry TTLs
        }
    }
}
