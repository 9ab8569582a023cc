package io.iios.transport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.iios.spi.TransportException;
import io.iios.spi.TransportListener;
import io.iios.testsupport.EndToEndScenario;
import io.iios.testsupport.ServerProcess;
import io.iios.testsupport.TestCertificates;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss://} against a redis-server of the test's own that speaks only TLS ({@code --port 0
 * --tls-port}), with a throw-away CA and server certificate ({@link TestCertificates}, made at test time)
 * and a PKCS12 trust store holding the CA.
 */
class RedisTlsTest {
    private static ServerProcess server;
    private static TestCertificates certs;

    @BeforeAll
    static void startTlsServer() {
        server = ServerProcess.start("redis-tls", 17000, p -> certs = TestCertificates.create(p.dir),
                p -> List.of("redis-server", "--port", "0", "--tls-port", String.valueOf(p.port), "--bind", "127.0.0.1",
                        "--tls-cert-file", certs.serverPem().toString(), "--tls-key-file", certs.serverKey().toString(),
                        "--tls-ca-cert-file", certs.caPem().toString(), "--tls-auth-clients", "no",
                        "--save", "", "--appendonly", "no", "--dir", p.dir.toString(),
                        "--logfile", p.dir.resolve("redis.log").toString()));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static String uri() {
        return server.uri("rediss") + "/0";
    }

    @Test
    @DisplayName("rediss:// with the CA in iios.redis.truststore: calls, events and discovery work over TLS")
    void endToEndOverTls() {
        try (RedisNodes nodes = new RedisNodes(Map.of("iios.redis.uri", uri(),
                "iios.redis.truststore", certs.trustP12().toString(), "iios.redis.truststore-password",
                certs.password()), null)) {
            EndToEndScenario.run(nodes);
        }
    }

    @Test
    @DisplayName("without the trust store, creating the transport fails at once with an error naming the certificate problem")
    void untrustedServerFailsClearly() {
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try (var t = RedisTestSupport.transport(uri(), RedisTestSupport.namespace(), TransportListener.NONE)) {
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        await().atMost(Duration.ofSeconds(15)).until(outcome::isDone);
        Throwable error = outcome.join();
        assertThat(error).isInstanceOf(TransportException.class)
                .hasMessageContaining("TLS").hasMessageContaining(RedisOptions.TRUSTSTORE);
    }

    @Test
    @DisplayName("plain redis:// to the TLS-only port fails with a clear error instead of hanging")
    void plainClientOnTlsPortFails() {
        String plain = server.uri("redis") + "/0";
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try (var t = RedisTestSupport.transport(plain, RedisTestSupport.namespace(), TransportListener.NONE,
                    "iios.redis.timeout", "1s")) {
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        await().atMost(Duration.ofSeconds(15)).until(outcome::isDone);
        assertThat(outcome.join()).isInstanceOf(TransportException.class);
    }
}
