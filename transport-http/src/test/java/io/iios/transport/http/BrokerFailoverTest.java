package io.iios.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.iios.api.InstanceInfo;
import io.iios.core.Config;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import io.iios.testsupport.ServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backup intercall route: a gateway and a service on a redis-server this test owns; while that Redis is
 * down, calls go on over HTTP with none lost (a call in flight at the kill is sent again over HTTP and the callee's
 * replay cache runs it once), and they go back to the broker once it is up again. With and without signing.
 */
class BrokerFailoverTest {

    private static double intercalls(MeterRegistry r) {
        var c = r.find("iios.http.intercall.requests").counter();
        return c == null ? 0 : c.count();
    }

    private static double connected(MeterRegistry r) {
        var g = r.find("iios.transport.connected").gauge();
        return g == null ? -1 : g.value();
    }

    @ParameterizedTest(name = "signed: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("stopping Redis during a stream of calls: they go on over HTTP, none lost, none run twice, then back on the broker")
    void failoverAndBack(boolean signed) throws Exception {
        try (ServerProcess redis = ServerProcess.redis()) {
            String ns = "fo" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
            Map<String, String> common = new java.util.HashMap<>(Map.of("iios.transport", "redis", "iios.redis.uri", redis.uri("redis"),
                    "iios.namespace", ns, "iios.http.host", "127.0.0.1", "iios.call.timeout", "2s",
                    "iios.discovery.ttl", "3s", "iios.redis.timeout", "500ms",
                    "iios.redis.reconnect-backoff-max", "300ms"));
            if (signed) {
                common.put("iios.security.key", "failover-test-secret-of-at-least-32-bytes");
            }
            MeterRegistry bobMeters = new SimpleMeterRegistry();
            MeterRegistry gwMeters = new SimpleMeterRegistry();
            Tally tally = new Tally();
            try (IiosNode bob = Iios.builder().config(Config.of(common)).service(tally).meterRegistry(bobMeters)
                    .start();
                    IiosNode gw = Iios.builder().config(Config.of(common)).meterRegistry(gwMeters).start()) {
                InstanceInfo info = gw.gateway().waitForService("tally", Duration.ofSeconds(10)).instances().get(0);
                assertThat(info.httpEndpoint()).startsWith("http://127.0.0.1:");

                AtomicBoolean running = new AtomicBoolean(true);
                AtomicInteger ok = new AtomicInteger();
                AtomicInteger issued = new AtomicInteger();
                List<Throwable> failures = new CopyOnWriteArrayList<>();
                Thread caller = Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        int i = issued.getAndIncrement();
                        try {
                            Object r = gw.gateway().call("tally", "run", i);
                            if (!Integer.valueOf(i).equals(r)) {
                                failures.add(new AssertionError("call " + i + " returned " + r));
                            }
                            ok.incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.add(new AssertionError("call " + i + " failed", e));
                        }
                    }
                });
                try {
                    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() >= 50);
                    assertThat(intercalls(bobMeters)).as("calls on the broker before the outage").isZero();

                    redis.kill();
                    double before = intercalls(bobMeters);
                    Awaitility.await().atMost(Duration.ofSeconds(30))
                            .until(() -> intercalls(bobMeters) >= before + 50);
                    assertThat(connected(gwMeters)).as("the gateway knows its broker is down").isZero();

                    redis.startAgain();
                    Awaitility.await().atMost(Duration.ofSeconds(30))
                            .until(() -> connected(gwMeters) == 1 && connected(bobMeters) == 1);
                    // calls are back on the broker: the HTTP count stops growing while calls succeed
                    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                            .until(new java.util.concurrent.Callable<Boolean>() {
                                double last = -1;
                                int okAtLast;

                                @Override
                                public Boolean call() {
                                    double now = intercalls(bobMeters);
                                    boolean stable = now == last && ok.get() >= okAtLast + 20;
                                    if (now != last) {
                                        last = now;
                                        okAtLast = ok.get();
                                    }
                                    return stable;
                                }
                            });
                } finally {
                    running.set(false);
                    caller.join(Duration.ofSeconds(10));
                }
                // none lost: the call in flight when Redis died went again over HTTP with the same identity, and the
                // callee's replay cache ran it once
                assertThat(failures).as("calls failed during the failover").isEmpty();
                assertThat(ok.get()).isEqualTo(issued.get());
                for (int i = 0; i < issued.get(); i++) {
                    assertThat(tally.runs(i)).as("runs of call %d", i).isEqualTo(1);
                }
                assertThat(tally.runs.keySet()).as("calls that ran").hasSize(issued.get());
            }
        }
    }
}
