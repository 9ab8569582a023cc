package io.iios.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iios.api.BadMessageException;
import io.iios.api.Event;
import io.iios.api.Gateway;
import io.iios.core.IiosNode;
import io.iios.spi.PubSub;
import io.iios.spi.Transport;
import io.iios.tck.internal.KitScope;
import io.iios.tck.internal.ProbeService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Bad input and failures never kill a node: garbage and oversized messages on every channel a node
 * listens on, throwing listeners, and (behind {@link TransportUnderTest#brokerControl()}) a broker
 * restart.
 */
public abstract class ResilienceKit {

    /** The transport under test; called once per test. */
    protected abstract TransportUnderTest transport();

    /** {@code iios.message.max-bytes} of the nodes in these tests. */
    private static final int MAX_BYTES = 16 * 1024;

    private KitScope scope;
    private String ns;
    private ProbeService probe;
    private IiosNode probeNode;
    private IiosNode gatewayNode;
    private Gateway gateway;
    private SimpleMeterRegistry probeMeters;
    private SimpleMeterRegistry gatewayMeters;
    private PubSub raw;
    private List<Event> events;

    @BeforeEach
    void openResilienceScope() {
        scope = new KitScope(transport());
        ns = scope.namespace();
        probe = new ProbeService();
        probeMeters = new SimpleMeterRegistry();
        gatewayMeters = new SimpleMeterRegistry();
        probeNode = scope.start(scope.node().service("probe", probe).meterRegistry(probeMeters)
                .set("iios.message.max-bytes", String.valueOf(MAX_BYTES)));
        gatewayNode = scope.start(scope.node().meterRegistry(gatewayMeters)
                .set("iios.message.max-bytes", String.valueOf(MAX_BYTES)));
        gateway = gatewayNode.gateway();
        gateway.waitForService("probe", scope.scaled(Duration.ofSeconds(10)));
        events = new CopyOnWriteArrayList<>();
        gatewayNode.events().on(ns + ":event", events::add);
        raw = scope.raw().pubsub();
    }

    @AfterEach
    void closeResilienceScope() {
        probe.release.countDown();
        scope.close();
    }

    private static double dropped(MeterRegistry r, String reason) {
        Counter c = r.find("iios.messages.dropped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private static double droppedTotal(MeterRegistry r) {
        return r.find("iios.messages.dropped").counters().stream().mapToDouble(Counter::count).sum();
    }

    private String inbox() {
        return ns + ":_rpc:probe:" + probeNode.services().get(0).instanceId();
    }

    private String replyInbox() {
        return ns + ":_reply:" + gatewayNode.nodeId();
    }

    /** The node still answers calls, sees the service once, and delivers events. */
    private void stillServes() {
        assertThat(gateway.call("probe", "add", 20, 22)).isEqualTo(42);
        assertThat(gateway.call("probe", "hello", "again")).isEqualTo("hello again");
        assertThat(gateway.service("probe").orElseThrow().instances()).hasSize(1);
        int before = events.size();
        probeNode.pushEvent("probe", "alive", "yes");
        scope.await().until(() -> events.size() > before);
        assertThat(events.get(events.size() - 1).payload()).isEqualTo("yes");
    }

    private static List<byte[]> garbage() {
        byte[] random = new byte[512];
        new Random(42).nextBytes(random);
        return List.of(random, "{not json".getBytes(StandardCharsets.UTF_8), "null".getBytes(StandardCharsets.UTF_8),
                "[1,2,3]".getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, 2}, new byte[0],
                "{\"v\":1,\"t\":\"req\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    @DisplayName("bad input on every channel")
    class BadInput {

        @Test
        @DisplayName("malformed bytes on the service inbox are dropped and counted; the node keeps serving")
        void malformedOnInbox() {
            List<byte[]> bad = garbage();
            bad.forEach(b -> raw.publish(inbox(), b));
            scope.await().until(() -> dropped(probeMeters, "malformed") == bad.size());
            assertThat(probe.calls.get()).isZero();
            stillServes();
        }

        @Test
        @DisplayName("malformed bytes on the reply inbox, discovery channel and event channels, and a garbage registry record")
        void malformedElsewhere() {
            List<byte[]> bad = garbage();
            bad.forEach(b -> raw.publish(replyInbox(), b));
            bad.forEach(b -> raw.publish(ns + ":_discovery", b));
            bad.forEach(b -> raw.publish(ns + ":probe:event:alive", b));
            Transport writer = scope.raw();
            writer.kv().put(ns + ":_registry:probe:forged", bad.get(0));
            writer.kv().put(ns + ":_registry:ghost:forged", "{\"v\":1}".getBytes(StandardCharsets.UTF_8));
            scope.await().untilAsserted(() -> {
                assertThat(dropped(gatewayMeters, "malformed-reply") + dropped(gatewayMeters, "late-reply"))
                        .as("reply inbox").isEqualTo(bad.size());
                assertThat(dropped(gatewayMeters, "malformed-notice")).as("discovery channel").isEqualTo(bad.size());
                assertThat(dropped(gatewayMeters, "malformed-event")).as("event channel").isEqualTo(bad.size());
                assertThat(dropped(gatewayMeters, "malformed-record")).as("registry records").isGreaterThanOrEqualTo(2);
            });
            assertThat(events).isEmpty();
            assertThat(gateway.services()).extracting(s -> s.name()).containsExactly("probe");
            stillServes();
        }

        @Test
        @DisplayName("oversized messages on every channel are dropped and counted; the node keeps serving")
        void oversized() {
            long brokerMax = probeNode.transport().maxPayloadBytes();
            int size = 2 * MAX_BYTES;
            assumeTrue(brokerMax >= size, "transport " + scope.target().name() + " accepts at most " + brokerMax
                    + " bytes, so it cannot carry a message over iios.message.max-bytes=" + MAX_BYTES);
            byte[] big = new byte[size];
            Arrays.fill(big, (byte) '[');
            double gwBefore = droppedTotal(gatewayMeters);
            raw.publish(inbox(), big);
            raw.publish(replyInbox(), big);
            raw.publish(ns + ":_discovery", big);
            raw.publish(ns + ":probe:event:alive", big);
            scope.await().untilAsserted(() -> {
                assertThat(dropped(probeMeters, "oversized")).as("service inbox").isEqualTo(1);
                assertThat(droppedTotal(gatewayMeters) - gwBefore).as("reply inbox, discovery, events")
                        .isGreaterThanOrEqualTo(3);
            });
            assertThat(probe.calls.get()).isZero();
            stillServes();
        }

        @Test
        @DisplayName("wrong arguments are answered with BadMessage and counted; the node keeps serving")
        void wrongArguments() {
            for (int i = 0; i < 3; i++) {
                try {
                    gateway.call("probe", "add", "a", "b");
                } catch (BadMessageException expected) {
                    // counted below
                }
            }
            assertThat(dropped(probeMeters, "bad-arguments")).isEqualTo(3);
            stillServes();
        }
    }

    @Nested
    @DisplayName("failing code")
    class FailingCode {

        @Test
        @DisplayName("a throwing event listener keeps its subscription and is counted")
        void throwingListener() {
            AtomicInteger calls = new AtomicInteger();
            gatewayNode.events().on(ns + ":probe:event", e -> {
                calls.incrementAndGet();
                throw new IllegalStateException("listener bug (expected by the TCK)");
            });
            probeNode.pushEvent("probe", "x", 1);
            probeNode.pushEvent("probe", "x", 2);
            scope.await().until(() -> calls.get() == 2 && dropped(gatewayMeters, "listener-failed") == 2);
            stillServes();
        }

        @Test
        @DisplayName("a service method that throws fails only its own call")
        void throwingMethod() {
            for (int i = 0; i < 5; i++) {
                try {
                    gateway.call("probe", "fail", "bug " + i);
                } catch (io.iios.api.RemoteFailureException expected) {
                    // each call fails alone
                }
            }
            stillServes();
        }
    }

    @Nested
    @DisplayName("broker restart")
    class BrokerRestart {

        @Test
        @DisplayName("calls, discovery and event subscriptions recover after the broker restarts")
        void recovers() {
            assumeTrue(scope.target().brokerControl().isPresent(), "transport " + scope.target().name()
                    + " offers no brokerControl() (no restart.command in its tck.properties)");
            assertThat(gateway.call("probe", "add", 1, 1)).isEqualTo(2);
            scope.target().brokerControl().orElseThrow().restartBroker();
            scope.await(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> Integer.valueOf(5).equals(gateway.call("probe", "add", 2, 3)));
            int before = events.size();
            scope.await(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                probeNode.pushEvent("probe", "back", "again");
                return events.size() > before;
            });
            scope.await(Duration.ofSeconds(30)).until(() -> gateway.service("probe").isPresent());
        }
    }
}
