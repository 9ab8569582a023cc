package io.iios.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.iios.api.Gateway;
import io.iios.api.RemoteFailureException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void callTimersGaugesAndCounters() {
        try (Cluster cluster = new Cluster()) {
            SimpleMeterRegistry callee = new SimpleMeterRegistry();
            SimpleMeterRegistry caller = new SimpleMeterRegistry();
            cluster.start(cluster.builder().service(new Bob()).meterRegistry(callee));
            Gateway gw = cluster.start(cluster.builder().meterRegistry(caller)).gateway();
            gw.waitForService("bob", Duration.ofSeconds(5));
            for (int i = 0; i < 5; i++) {
                gw.call("bob", "add", i, i);
            }
            assertThatThrownBy(() -> gw.call("bob", "fail", "x")).isInstanceOf(RemoteFailureException.class);

            Timer ok = caller.find("iios.client.calls").tags("service", "bob", "method", "add", "outcome", "success")
                    .timer();
            assertThat(ok).isNotNull();
            assertThat(ok.count()).isEqualTo(5);
            assertThat(caller.find("iios.client.calls").tags("method", "fail", "outcome", "remote_failure").timer()
                    .count()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> callee.find("iios.server.calls")
                    .tags("method", "add", "outcome", "success").timer() != null
                    && callee.find("iios.server.calls").tags("method", "add", "outcome", "success").timer()
                            .count() == 5);
            assertThat(caller.find("iios.client.in.flight").gauge().value()).isZero();
            assertThat(caller.find("iios.discovery.instances").gauge().value()).isEqualTo(1);
            assertThat(caller.find("iios.discovery.changes").tag("change", "up").counter().count()).isEqualTo(1);
            assertThat(caller.find("iios.transport.connected").gauge().value()).isEqualTo(1);
        }
    }
}
