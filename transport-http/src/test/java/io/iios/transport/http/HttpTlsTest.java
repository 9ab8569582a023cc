package io.iios.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iios.core.Config;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import io.iios.core.MemoryBroker;
import io.iios.core.extension.RequestNotSentException;
import io.iios.testsupport.TestCertificates;
import io.iios.transport.http.internal.TlsContexts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS on the intercall route and the REST gateway, with a throw-away CA and server certificate made by keytool at test time. */
class HttpTlsTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;
    static String keystore;
    static String truststore;
    static String password;

    @BeforeAll
    static void certificates() {
        certs = TestCertificates.create(dir);
        keystore = certs.serverP12().toString();
        truststore = certs.trustP12().toString();
        password = certs.password();
    }

    private static Map<String, String> config(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of("iios.namespace", "tls" + Long.toHexString(System.nanoTime()),
                "iios.call.route", "http", "iios.call.timeout", "5s"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    @DisplayName("an https intercall and an https REST call succeed; clients without trust fail with a clear error")
    void https() throws Exception {
        MemoryBroker broker = MemoryBroker.create();
        MeterRegistry bobMeters = new SimpleMeterRegistry();
        // bob serves HTTPS (intercall + REST gateway) and, as its own gateway's callee, trusts its certificate too
        Map<String, String> server = config("iios.http.tls.keystore", keystore,
                "iios.http.tls.keystore-password", password, "iios.http.gateway", "true",
                "iios.http.tls.truststore", truststore, "iios.http.tls.truststore-password", password);
        Map<String, String> trusting = new HashMap<>(server);
        trusting.remove("iios.http.gateway");
        trusting.remove("iios.http.tls.keystore");
        Map<String, String> untrusting = new HashMap<>(server);
        untrusting.keySet().removeIf(k -> k.startsWith("iios.http.tls") || k.equals("iios.http.gateway"));
        try (IiosNode bob = Iios.builder().config(Config.of(server)).transport(broker::connect).service(new Bob())
                .meterRegistry(bobMeters).start();
                IiosNode caller = Iios.builder().config(Config.of(trusting)).transport(broker::connect).start();
                IiosNode stranger = Iios.builder().config(Config.of(untrusting)).transport(broker::connect).start()) {
            String endpoint = bob.httpEndpoint().orElseThrow();
            assertThat(endpoint).startsWith("https://127.0.0.1:");

            caller.gateway().waitForService("bob", Duration.ofSeconds(10));
            assertThat(caller.gateway().call("bob", "add", 1, 2)).isEqualTo(3);
            assertThat(bobMeters.find("iios.http.intercall.requests").counter().count()).isEqualTo(1);

            stranger.gateway().waitForService("bob", Duration.ofSeconds(10));
            assertThatThrownBy(() -> stranger.gateway().call("bob", "add", 1, 2))
                    .isInstanceOf(RequestNotSentException.class)
                    .hasMessageContaining("TLS handshake failed").hasMessageContaining("iios.http.tls.truststore");

            SSLContext trust = TlsContexts.client(HttpOptions.from(trusting).tls());
            URI rest = URI.create(endpoint + "/api/bob/add?a=1&a=2");
            try (HttpClient https = HttpClient.newBuilder().sslContext(trust).build();
                    HttpClient plain = HttpClient.newHttpClient()) {
                HttpResponse<String> ok = https.send(HttpRequest.newBuilder(rest).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(ok.body()).isEqualTo("3");
                assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(rest).GET().build(),
                        HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
                // plain HTTP to the HTTPS port is refused, and the server keeps serving
                assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create(rest.toString()
                        .replace("https://", "http://"))).GET().build(), HttpResponse.BodyHandlers.ofString()))
                        .isInstanceOf(IOException.class);
                assertThat(https.send(HttpRequest.newBuilder(rest).GET().build(), HttpResponse.BodyHandlers.ofString())
                        .body()).isEqualTo("3");
            }
        }
    }

    @Test
    @DisplayName("a missing or unreadable key store fails at start naming the key")
    void badStores() throws Exception {
        assertThatThrownBy(() -> HttpOptions.from(Map.of("iios.http.tls.keystore", dir.resolve("none.p12").toString())))
                .isInstanceOf(io.iios.api.ConfigException.class).hasMessageContaining("iios.http.tls.keystore");
        Path junk = Files.writeString(dir.resolve("junk.p12"), "not a key store");
        MemoryBroker broker = MemoryBroker.create();
        assertThatThrownBy(() -> Iios.builder().config(Config.of(config("iios.http.tls.keystore", junk.toString(),
                "iios.http.tls.keystore-password", password))).transport(broker::connect).start())
                .hasMessageContaining("iios.http.tls.keystore");
        assertThatThrownBy(() -> HttpOptions.from(Map.of("iios.http.tls.truststore-type", "PEM")))
                .isInstanceOf(io.iios.api.ConfigException.class).hasMessageContaining("iios.http.tls.truststore-type");
    }
}
