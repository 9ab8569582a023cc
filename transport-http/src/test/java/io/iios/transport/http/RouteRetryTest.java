package io.iios.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.iios.api.InstanceInfo;
import io.iios.api.TransportFailureException;
import io.iios.core.Config;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import io.iios.core.extension.RequestNotSentException;
import io.iios.testsupport.ServerProcess;
import io.iios.transport.http.internal.IntercallClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code iios.call.route=auto} sends a call on its other route when the request did not reach the callee, and
 * again over HTTP when the broker went down while the call was on it; the callee's replay cache makes sure a call
 * whose request had arrived runs once. Counts the runs on the service.
 */
class RouteRetryTest {

    private static double connected(MeterRegistry r) {
        var g = r.find("iios.transport.connected").gauge();
        return g == null ? -1 : g.value();
    }

    private static double intercalls(MeterRegistry r) {
        var c = r.find("iios.http.intercall.requests").counter();
        return c == null ? 0 : c.count();
    }

    private static Map<String, String> common(ServerProcess redis) {
        String ns = "rr" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        return Map.of("iios.transport", "redis", "iios.redis.uri", redis.uri("redis"), "iios.namespace", ns,
                "iios.http.host", "127.0.0.1", "iios.call.timeout", "2s", "iios.discovery.ttl", "3s",
                "iios.redis.timeout", "500ms", "iios.redis.reconnect-backoff-max", "300ms");
    }

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static double replays(MeterRegistry r, String outcome) {
        var c = r.find("iios.call.replays").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    @DisplayName("a call whose reply was lost with the broker is sent again over HTTP, returns its result and ran once")
    void resentOverHttpRunsOnce() throws Exception {
        try (ServerProcess redis = ServerProcess.redis()) {
            Map<String, String> common = with(common(redis), "iios.call.timeout", "15s");
            Tally tally = new Tally();
            MeterRegistry tallyMeters = new SimpleMeterRegistry();
            MeterRegistry gwMeters = new SimpleMeterRegistry();
            try (IiosNode callee = Iios.builder().config(Config.of(common)).service(tally).meterRegistry(tallyMeters)
                    .start();
                    IiosNode gw = Iios.builder().config(Config.of(common)).meterRegistry(gwMeters).start()) {
                InstanceInfo info = gw.gateway().waitForService("tally", Duration.ofSeconds(10)).instances().get(0);
                assertThat(info.httpEndpoint()).isNotNull();
                CountDownLatch gate = new CountDownLatch(1);
                tally.gate = gate;
                CompletableFuture<Object> call = gw.gateway().callAsync("tally", "run", 1);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> tally.runs(1) == 1);

                redis.kill(); // the request reached tally on the broker; its reply cannot go back
                Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> connected(gwMeters) == 0 && connected(tallyMeters) == 0);
                // the gateway sends the call again over HTTP; tally's replay cache joins it to the running one
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> intercalls(tallyMeters) == 1);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> replays(tallyMeters, "joined") == 1);
                gate.countDown();

                assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(1);
                assertThat(tally.runs(1)).as("runs of the call sent twice").isEqualTo(1);
                assertThat(gwMeters.find("iios.call.resent").counter()).isNotNull()
                        .satisfies(c -> assertThat(c.count()).isEqualTo(1));

                // while the broker is down, new calls go over HTTP and run once each
                assertThat(gw.gateway().call("tally", "run", 2)).isEqualTo(2);
                assertThat(tally.runs(2)).isEqualTo(1);
            }
        }
    }

    @Test
    @DisplayName("an HTTP attempt refused before the request was written goes on the broker and runs once")
    void refusedHttpFallsBackToBroker() throws Exception {
        try (ServerProcess redis = ServerProcess.redis()) {
            Map<String, String> common = common(redis);
            int dead;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                dead = s.getLocalPort(); // closed at once: nothing listens there afterwards
            }
            Tally tally = new Tally();
            MeterRegistry gwMeters = new SimpleMeterRegistry();
            MeterRegistry tallyMeters = new SimpleMeterRegistry();
            try (IiosNode callee = Iios.builder().config(Config.of(with(common, "iios.http.advertise",
                    "http://127.0.0.1:" + dead))).service(tally).meterRegistry(tallyMeters).start();
                    IiosNode gw = Iios.builder().config(Config.of(with(common, "iios.call.recovery-grace", "120s")))
                            .meterRegistry(gwMeters).start();
                    IiosNode probe = Iios.builder().config(Config.of(with(common, "iios.call.route", "broker")))
                            .start()) {
                gw.gateway().waitForService("tally", Duration.ofSeconds(10));
                probe.gateway().waitForService("tally", Duration.ofSeconds(10));

                // an outage, then the broker is back: gw is in its recovery grace, HTTP first
                redis.kill();
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> connected(gwMeters) == 0);
                redis.startAgain();
                Awaitility.await().atMost(Duration.ofSeconds(20))
                        .until(() -> connected(gwMeters) == 1 && connected(tallyMeters) == 1);
                // tally listens on its inbox again: a broker-only caller gets through (probes use n < 0)
                AtomicInteger probeN = new AtomicInteger(-1);
                Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                        .until(() -> probe.gateway().call("tally", "run", probeN.decrementAndGet()) != null);

                assertThat(gw.gateway().call("tally", "run", 7)).isEqualTo(7);
                assertThat(tally.runs(7)).isEqualTo(1);

                // the same call with route=http has no other way: it fails as not sent, and nothing ran
                try (IiosNode httpOnly = Iios.builder().config(Config.of(with(common, "iios.call.route", "http")))
                        .start()) {
                    httpOnly.gateway().waitForService("tally", Duration.ofSeconds(10));
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> httpOnly.gateway().call("tally", "run", 8))
                            .isInstanceOf(RequestNotSentException.class).hasMessageContaining("cannot connect");
                    assertThat(tally.runs(8)).isZero();
                }
            }
        }
    }

    @Test
    @DisplayName("the intercall client tells 'not sent' (connection refused) from 'failed after sending'")
    void classification() throws Exception {
        InstanceInfo refused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = instance("http://127.0.0.1:" + s.getLocalPort());
        }
        try (IntercallClient client = new IntercallClient(Duration.ofSeconds(2), "application/json", false, null);
                ServerSocket rude = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ExecutionException notSent = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> client.send(refused, "run", "{}".getBytes(), Duration.ofSeconds(2)).get(10, TimeUnit.SECONDS));
            assertThat(notSent.getCause()).isInstanceOf(RequestNotSentException.class);

            // a server that reads the whole request, then drops the connection without answering
            AtomicInteger received = new AtomicInteger();
            Thread server = Thread.ofVirtual().start(() -> {
                try (Socket s = rude.accept(); InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[8192];
                    int n = in.read(buf);
                    if (n > 0) {
                        received.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    // the test fails on the count below
                }
            });
            ExecutionException lost = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> client.send(instance("http://127.0.0.1:" + rude.getLocalPort()), "run", "{}".getBytes(),
                            Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS));
            server.join(Duration.ofSeconds(10));
            assertThat(received.get()).as("the request reached the server").isEqualTo(1);
            assertThat(lost.getCause()).isInstanceOf(TransportFailureException.class)
                    .isNotInstanceOf(RequestNotSentException.class);
        }
    }

    private static InstanceInfo instance(String endpoint) {
        return new InstanceInfo("tally", "tally-1", "node-1", "1.0", Map.of(), endpoint, Map.of(), Instant.now());
    }
}
