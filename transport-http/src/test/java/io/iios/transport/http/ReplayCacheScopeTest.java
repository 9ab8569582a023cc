package io.iios.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.iios.core.Config;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import io.iios.core.MemoryBroker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The callee's replay cache (docs/http.md) lives only where a call can be sent twice: on a node with a broker and
 * the HTTP route, not on a broker-less node, where no call is ever re-sent.
 */
class ReplayCacheScopeTest {

    private static double entries(MeterRegistry r) {
        var g = r.find("iios.call.replay.entries").gauge();
        return g == null ? -1 : g.value();
    }

    @Test
    @DisplayName("a node with a broker and the HTTP route remembers the calls it served")
    void withBroker() {
        MeterRegistry meters = new SimpleMeterRegistry();
        Map<String, String> cfg = Map.of("iios.namespace", "rc" + Long.toHexString(System.nanoTime()),
                "iios.http.host", "127.0.0.1", "iios.call.timeout", "5s");
        try (MemoryBroker broker = MemoryBroker.create();
                IiosNode bob = Iios.builder().config(Config.of(cfg)).transport(broker::connect).service(new Bob())
                        .meterRegistry(meters).start();
                IiosNode caller = Iios.builder().config(Config.of(cfg)).transport(broker::connect).start()) {
            caller.gateway().waitForService("bob", Duration.ofSeconds(10));
            for (int i = 0; i < 5; i++) {
                assertThat(caller.gateway().call("bob", "add", i, 1)).isEqualTo(i + 1);
            }
            assertThat(entries(meters)).isEqualTo(5);
        }
    }

    @Test
    @DisplayName("a broker-less node (iios.transport=http) keeps no replay cache")
    void brokerless() {
        MeterRegistry meters = new SimpleMeterRegistry();
        Map<String, String> cfg = Map.of("iios.namespace", "rc" + Long.toHexString(System.nanoTime()),
                "iios.transport", "http", "iios.discovery.server", "true", "iios.http.host", "127.0.0.1",
                "iios.call.timeout", "5s");
        try (IiosNode bob = Iios.builder().config(Config.of(cfg)).service(new Bob()).meterRegistry(meters).start()) {
            bob.gateway().waitForService("bob", Duration.ofSeconds(10));
            for (int i = 0; i < 5; i++) {
                assertThat(bob.gateway().call("bob", "add", i, 1)).isEqualTo(i + 1);
            }
            assertThat(meters.find("iios.http.intercall.requests").counter()).isNotNull();
            assertThat(meters.find("iios.http.intercall.requests").counter().count()).isEqualTo(5);
            assertThat(entries(meters)).isEqualTo(-1);
        }
    }
}
