package io.iios.transport.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.iios.spi.TransportUnavailableException;
import io.iios.testsupport.RecordingListener;
import io.iios.testsupport.ServerProcess;
import io.iios.transport.nats.internal.NatsTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NatsPubSubTest {

    @Test
    @DisplayName("a slow consumer dropped by the client is reported to the TransportListener as dropped")
    void slowConsumer() throws Exception {
        String url = NatsTestSupport.requireNats();
        String ns = NatsTestSupport.namespace();
        RecordingListener rec = new RecordingListener();
        CountDownLatch release = new CountDownLatch(1);
        try (NatsTransport t = NatsTestSupport.transport(url, ns, rec, "iios.nats.pending-limit", "10")) {
            t.pubsub().subscribe(ns + ":slow", (ch, p) -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < 200; i++) {
                t.pubsub().publish(ns + ":slow", new byte[] {(byte) i});
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !rec.dropped.isEmpty());
            assertThat(rec.dropped.get(0)).startsWith(ns + ":slow: slow consumer");
        } finally {
            release.countDown();
        }
    }

    @Test
    @DisplayName("while the server is down, publish, subscribe and KV calls fail fast with TransportUnavailableException; after it is back, subscriptions work again")
    void outage() {
        try (ServerProcess server = ServerProcess.nats()) {
            String ns = NatsTestSupport.namespace();
            RecordingListener rec = new RecordingListener();
            try (NatsTransport t = NatsTestSupport.transport(server.uri("nats"), ns, rec, "iios.nats.reconnect-wait", "50ms")) {
                List<String> got = new CopyOnWriteArrayList<>();
                t.pubsub().subscribe(ns + ":x", (ch, p) -> got.add(new String(p)));
                t.kv().put(ns + ":k", new byte[] {1});
                server.kill();
                await().atMost(Duration.ofSeconds(10)).until(() -> !t.connected());
                assertThat(rec.connection).contains(false);
                assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
                    assertThatThrownBy(() -> t.pubsub().publish(ns + ":x", new byte[1]))
                            .isInstanceOf(TransportUnavailableException.class);
                    assertThatThrownBy(() -> t.kv().get(ns + ":k")).isInstanceOf(TransportUnavailableException.class);
                    assertThatThrownBy(() -> t.pubsub().subscribe(ns + ":y", (c, p) -> { }))
                            .isInstanceOf(TransportUnavailableException.class);
                });
                server.startAgain();
                await().atMost(Duration.ofSeconds(15)).until(t::connected);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    t.pubsub().publish(ns + ":x", "after".getBytes());
                    assertThat(got).contains("after");
                });
                assertThat(t.kv().get(ns + ":k")).isPresent();
            }
        }
    }
}
