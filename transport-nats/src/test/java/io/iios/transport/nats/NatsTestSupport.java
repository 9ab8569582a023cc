package io.iios.transport.nats;

import static org.junit.jupiter.api.Assertions.fail;

import io.iios.spi.TransportConfig;
import io.iios.spi.TransportListener;
import io.iios.testsupport.Brokers;
import io.iios.transport.nats.internal.NatsTransport;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/** Where the test NATS is, and whether a test may skip when it is absent. */
final class NatsTestSupport {
    private NatsTestSupport() {
    }

    /** {@code IIOS_TEST_NATS_URL}, else the local default. */
    static String url() {
        String env = System.getenv("IIOS_TEST_NATS_URL");
        return env == null || env.isBlank() ? "nats://127.0.0.1:4222" : env.trim();
    }

    static boolean brokersRequired() {
        return Brokers.required();
    }

    /** Skips the test (or fails it when brokers are required) unless something answers at {@link #url()}. */
    static String requireNats() {
        String url = url();
        URI u = URI.create(url.split(",")[0].trim());
        int port = u.getPort() < 0 ? 4222 : u.getPort();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), port), 1000);
        } catch (IOException e) {
            String reason = "no NATS answers at " + u.getHost() + ":" + port + " (" + e.getMessage()
                    + "); set IIOS_TEST_NATS_URL or start nats-server -js";
            if (brokersRequired()) {
                fail(reason + " — IIOS_REQUIRE_BROKERS=true");
            }
            Assumptions.abort(reason);
        }
        return url;
    }

    /** A fresh namespace (one segment) so tests never see each other. */
    static String namespace() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static NatsTransport transport(String url, String ns, TransportListener listener, String... extra) {
        Map<String, String> p = new HashMap<>();
        p.put("iios.nats.servers", url);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return (NatsTransport) new NatsTransportProvider().create(TransportConfig.of(ns, p, listener));
    }

    /** Deletes the KV bucket of a namespace (best effort). */
    static void deleteBucket(String url, String ns) {
        try (Connection c = Nats.connect(url)) {
            c.keyValueManagement().delete("iios-" + ns);
        } catch (IOException | JetStreamApiException | InterruptedException | RuntimeException e) {
            // absent (never used) or the server is gone
        }
    }
}
