package io.iios.transport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.iios.spi.TransportException;
import io.iios.spi.TransportListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss://} against a redis-server of the test's own that speaks only TLS, with a private CA and
 * server certificate generated with openssl in a temp dir, and a PKCS12 trust store holding the CA.
 */
class RedisTlsTest {
    private static RedisServerProcess server;
    private static Path truststore;

    @BeforeAll
    static void startTlsServer() throws Exception {
        Path dir = RedisServerProcess.tempDir();
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=iios-test-ca",
                "-keyout", "ca.key", "-out", "ca.crt");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key",
                "-out", "server.csr");
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1\n");
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "1", "-extfile", "san.cnf", "-out", "server.crt");
        truststore = dir.resolve("trust.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
            ks.setCertificateEntry("iios-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(truststore)) {
            ks.store(out, "changeit".toCharArray());
        }
        server = RedisServerProcess.startTls(dir, dir.resolve("server.crt"), dir.resolve("server.key"),
                dir.resolve("ca.crt"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        } catch (IOException e) {
            if (RedisTestSupport.brokersRequired()) {
                throw e;
            }
            Assumptions.abort("openssl is needed to make test certificates: " + e.getMessage());
            return;
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: "
                    + Files.readString(dir.resolve("openssl.log")));
        }
    }

    @Test
    @DisplayName("rediss:// with the CA in iios.redis.truststore: calls, events and discovery work over TLS")
    void endToEndOverTls() {
        assertThat(server.uri()).startsWith("rediss://");
        try (RedisNodes nodes = new RedisNodes(Map.of("iios.redis.uri", server.uri(),
                "iios.redis.truststore", truststore.toString(), "iios.redis.truststore-password", "changeit"),
                null)) {
            EndToEndScenario.run(nodes);
        }
    }

    @Test
    @DisplayName("without the trust store, creating the transport fails at once with an error naming the certificate problem")
    void untrustedServerFailsClearly() {
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try (var t = RedisTestSupport.transport(server.uri(), RedisTestSupport.namespace(), TransportListener.NONE)) {
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
        String plain = server.uri().replace("rediss://", "redis://");
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
