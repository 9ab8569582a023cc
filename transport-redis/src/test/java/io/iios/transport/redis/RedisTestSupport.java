package io.iios.transport.redis;

import static org.junit.jupiter.api.Assertions.fail;

import io.iios.spi.TransportConfig;
import io.iios.spi.TransportListener;
import io.iios.testsupport.Brokers;
import io.iios.transport.redis.internal.RedisTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.RedisClient;

/** Where the test Redis is, and whether a test may skip when it is absent. */
final class RedisTestSupport {
    private RedisTestSupport() {
    }

    /** {@code IIOS_TEST_REDIS_URI}, else the local default. */
    static String uri() {
        String env = System.getenv("IIOS_TEST_REDIS_URI");
        return env == null || env.isBlank() ? "redis://127.0.0.1:6379/0" : env.trim();
    }

    static boolean brokersRequired() {
        return Brokers.required();
    }

    /** Skips the test (or fails it when brokers are required) unless something answers at {@link #uri()}. */
    static String requireRedis() {
        String uri = uri();
        URI u = URI.create(uri);
        int port = u.getPort() < 0 ? 6379 : u.getPort();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), port), 1000);
        } catch (IOException e) {
            String reason = "no Redis answers at " + u.getHost() + ":" + port + " (" + e.getMessage()
                    + "); set IIOS_TEST_REDIS_URI or start one";
            if (brokersRequired()) {
                fail(reason + " — IIOS_REQUIRE_BROKERS=true");
            }
            Assumptions.abort(reason);
        }
        return uri;
    }

    /** A fresh namespace (one segment) so tests never see each other. */
    static String namespace() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static RedisTransport transport(String uri, String ns, TransportListener listener, String... extra) {
        Map<String, String> p = new HashMap<>();
        p.put("iios.redis.uri", uri);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return (RedisTransport) new RedisTransportProvider().create(TransportConfig.of(ns, p, listener));
    }

    /** Deletes every key of a namespace (SCAN, never KEYS). */
    static void deleteNamespace(String uri, String ns) {
        try (RedisClient c = RedisClient.builder().fromURI(uri).build()) {
            for (String k : c.scanIteration(500, ns + ":*").collect(new java.util.ArrayList<>())) {
                c.del(k);
            }
        } catch (RuntimeException e) {
            // best effort: the keys carry TTLs or belong to a namespace nobody reuses
        }
    }
}
