package io.iios.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iios.api.BadMessageException;
import io.iios.api.CallTimeoutException;
import io.iios.api.Gateway;
import io.iios.api.RemoteFailureException;
import io.iios.api.ServiceUnavailableException;
import io.iios.core.IiosNode;
import io.iios.spi.Encoder;
import io.iios.tck.internal.KitScope;
import io.iios.tck.internal.ProbeService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Remote calls over the transport: values, errors, timeouts, balancing, correlation of many
 * concurrent replies, deadlines and large arguments.
 */
public abstract class RpcKit {

    /** The transport under test; called once per test. */
    protected abstract TransportUnderTest transport();

    private KitScope scope;
    private ProbeService probe;
    private IiosNode probeNode;
    private SimpleMeterRegistry probeMeters;
    private Gateway gateway;

    @BeforeEach
    void openRpcScope() {
        scope = new KitScope(transport());
        probe = new ProbeService();
        probeMeters = new SimpleMeterRegistry();
        probeNode = scope.startProbe("probe", probe, probeMeters);
        gateway = scope.gateway().gateway();
        gateway.waitForService("probe", scope.scaled(Duration.ofSeconds(10)));
    }

    @AfterEach
    void closeRpcScope() {
        probe.release.countDown();
        scope.close();
    }

    static double dropped(MeterRegistry registry, String reason) {
        Counter c = registry.find("iios.messages.dropped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Nested
    @DisplayName("values")
    class Values {

        @Test
        @DisplayName("arguments and results of every kind of the value model")
        void argumentAndReturnTypes() {
            assertThat(gateway.call("probe", "add", 1, 2)).isEqualTo(3);
            assertThat(gateway.api("probe").call(String.class, "hello", "wörld \uD83D\uDE00"))
                    .isEqualTo("hello wörld \uD83D\uDE00");
            assertThat(gateway.call("probe", "half", 5.0)).isEqualTo(2.5);
            assertThat(gateway.call("probe", "not", false)).isEqualTo(true);
            assertThat(gateway.api("probe").call(ProbeService.Point.class, "move", new ProbeService.Point(1, 2), 3))
                    .isEqualTo(new ProbeService.Point(4, 2));
            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("list", List.of(1, "two", List.of(3.5, true)));
            nested.put("map", Map.of("k", "v"));
            nested.put("none", null);
            assertThat(gateway.call("probe", "echoMap", nested)).isEqualTo(nested);
            assertThat(gateway.call("probe", "longs", List.of(Long.MAX_VALUE, Long.MIN_VALUE, 0L)))
                    .isEqualTo(List.of(Long.MAX_VALUE, Long.MIN_VALUE, 0));
            byte[] all = new byte[256];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            assertThat(gateway.api("probe").call(byte[].class, "bytes", (Object) all)).isEqualTo(all);
        }

        @Test
        @DisplayName("a void method returns null after running once")
        void voidMethod() {
            assertThat(gateway.call("probe", "nothing")).isNull();
            assertThat(probe.calls.get()).isEqualTo(1);
        }

        @Test
        @DisplayName("1 MiB of arguments goes through")
        void largeArguments() {
            long max = probeNode.transport().maxPayloadBytes();
            assumeTrue(max >= 2L * 1024 * 1024, "transport " + scope.target().name()
                    + " accepts at most " + max + " bytes per message, less than a 1 MiB argument needs");
            byte[] data = new byte[1024 * 1024];
            new Random(11).nextBytes(data);
            assertThat(gateway.call("probe", "length", (Object) data)).isEqualTo(1024 * 1024);
            assertThat(gateway.api("probe").call(byte[].class, "bytes", (Object) data)).isEqualTo(data);
        }
    }

    @Nested
    @DisplayName("errors")
    class Errors {

        @Test
        @DisplayName("a remote exception becomes RemoteFailureException with its type and message")
        void remoteFailure() {
            assertThatThrownBy(() -> gateway.call("probe", "fail", "boom"))
                    .isInstanceOfSatisfying(RemoteFailureException.class, e -> {
                        assertThat(e.remoteType()).isEqualTo(IllegalStateException.class.getName());
                        assertThat(e.remoteMessage()).isEqualTo("boom");
                    });
            assertThatThrownBy(() -> gateway.call("probe", "failLater", "later"))
                    .isInstanceOfSatisfying(RemoteFailureException.class, e -> {
                        assertThat(e.remoteType()).isEqualTo(UnsupportedOperationException.class.getName());
                        assertThat(e.remoteMessage()).isEqualTo("later");
                    });
            assertThat(gateway.call("probe", "add", 2, 2)).isEqualTo(4);
        }

        @Test
        @DisplayName("a call with no reply before its deadline fails with CallTimeoutException")
        void timeout() {
            Gateway fast = scope.start(scope.node().set("iios.call.timeout",
                    scope.scaled(Duration.ofMillis(500)).toMillis() + "ms")).gateway();
            fast.waitForService("probe", scope.scaled(Duration.ofSeconds(10)));
            assertTimeoutPreemptively(scope.scaled(Duration.ofSeconds(10)), () -> assertThatThrownBy(
                    () -> fast.call("probe", "slow", 60_000)).isInstanceOf(CallTimeoutException.class)
                    .hasMessageContaining("probe.slow"));
            probe.release.countDown();
            assertThat(fast.call("probe", "add", 1, 1)).isEqualTo(2);
        }

        @Test
        @DisplayName("a call to a service with no live instance fails promptly with ServiceUnavailableException")
        void noInstance() {
            assertTimeoutPreemptively(scope.scaled(Duration.ofSeconds(5)), () -> assertThatThrownBy(
                    () -> gateway.call("nobody", "add", 1, 2)).isInstanceOf(ServiceUnavailableException.class)
                    .hasMessageContaining("nobody"));
        }

        @Test
        @DisplayName("an unknown method fails with BadMessageException and runs nothing")
        void unknownMethod() {
            assertThatThrownBy(() -> gateway.call("probe", "nope")).isInstanceOf(BadMessageException.class)
                    .hasMessageContaining("nope");
            assertThatThrownBy(() -> gateway.call("probe", "add", "x", 2)).isInstanceOf(BadMessageException.class);
            assertThat(probe.calls.get()).isZero();
        }
    }

    @Nested
    @DisplayName("routing")
    class Routing {

        @Test
        @DisplayName("calls spread over three instances")
        void loadSpread() {
            scope.startProbe("probe", new ProbeService());
            scope.startProbe("probe", new ProbeService());
            scope.await().until(() -> gateway.service("probe").map(s -> s.instances().size()).orElse(0) == 3);
            Map<String, Integer> hits = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                hits.merge((String) gateway.call("probe", "instance"), 1, Integer::sum);
            }
            assertThat(hits).hasSize(3);
            assertThat(hits.values()).as("round-robin share of 30 calls").containsOnly(10);
        }

        @Test
        @DisplayName("1,000 concurrent calls are each matched to their own reply")
        void concurrentCalls() {
            int n = 1000;
            List<CompletableFuture<Object>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                futures.add(gateway.api("probe").callAsync("add", i, 1_000_000));
            }
            long bound = scope.scaled(Duration.ofSeconds(30)).toMillis();
            for (int i = 0; i < n; i++) {
                assertThat(futures.get(i)).succeedsWithin(bound, TimeUnit.MILLISECONDS).isEqualTo(i + 1_000_000);
            }
            assertThat(probe.calls.get()).isEqualTo(n);
        }

        @Test
        @DisplayName("a request whose deadline has passed is not executed, and counted as expired")
        void expiredDeadline() {
            Encoder encoder = probeNode.encoder();
            String inbox = scope.namespace() + ":_rpc:probe:" + probeNode.services().get(0).instanceId();
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("v", 1);
            req.put("t", "req");
            req.put("id", 1);
            req.put("s", "probe");
            req.put("m", "add");
            req.put("a", Arrays.asList(1, 2));
            req.put("r", scope.namespace() + ":_reply:late");
            req.put("dl", System.currentTimeMillis() - 1);
            req.put("n", "late");
            scope.raw().pubsub().publish(inbox, encoder.encode(req));
            scope.await().until(() -> dropped(probeMeters, "expired") == 1);
            assertThat(probe.calls.get()).isZero();
            assertThat(gateway.call("probe", "add", 1, 2)).isEqualTo(3);
        }
    }
}
