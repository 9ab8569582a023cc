package io.iios.transport.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.iios.spi.MessageTooLargeException;
import io.iios.spi.Subscription;
import io.iios.spi.TransportException;
import io.iios.spi.TransportListener;
import io.iios.spi.TransportUnavailableException;
import io.iios.testsupport.RecordingListener;
import io.iios.transport.mqtt.internal.MqttTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Outages, limits and refusals on a mosquitto this test owns. */
class MqttFailureTest {
    private static MosquittoProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = MosquittoProcess.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @DisplayName("while the broker is down every call fails fast; after it is back subscriptions and the KV mirror work again")
    void outageAndRecovery() {
        String ns = MqttTestSupport.namespace();
        RecordingListener events = new RecordingListener();
        try (MqttTransport t = MqttTestSupport.transport(broker.uri(), ns, events)) {
            List<String> got = new CopyOnWriteArrayList<>();
            t.pubsub().subscribe(ns + ":ch:>", (c, p) -> got.add(new String(p, StandardCharsets.UTF_8)));
            t.kv().put(ns + ":k", "v".getBytes(StandardCharsets.UTF_8));
            broker.kill();
            await().atMost(Duration.ofSeconds(10)).until(() -> !t.connected());
            assertThat(events.connection).containsExactly(false);
            long start = System.nanoTime();
            assertThatThrownBy(() -> t.pubsub().publish(ns + ":ch:a", new byte[1]))
                    .isInstanceOf(TransportUnavailableException.class).hasMessageContaining("failed fast");
            assertThatThrownBy(() -> t.kv().get(ns + ":k")).isInstanceOf(TransportUnavailableException.class);
            assertThatThrownBy(() -> t.kv().put(ns + ":k", new byte[1])).isInstanceOf(TransportUnavailableException.class);
            assertThatThrownBy(() -> t.pubsub().subscribe(ns + ":x", (c, p) -> { }))
                    .isInstanceOf(TransportUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("all four refusals").isLessThan(Duration.ofSeconds(2));

            broker.startAgain();
            await().atMost(Duration.ofSeconds(30)).until(t::connected);
            assertThat(events.connection).containsExactly(false, true);
            t.pubsub().publish(ns + ":ch:a", "after".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("after"));
            assertThat(t.kv().get(ns + ":k")).as("the restarted broker has no persistence").isEmpty();
            t.kv().put(ns + ":k", "again".getBytes(StandardCharsets.UTF_8));
            assertThat(t.kv().get(ns + ":k")).hasValueSatisfying(v -> assertThat(v).asString().isEqualTo("again"));
            t.kv().delete(ns + ":k");
        }
    }

    @Test
    @DisplayName("the broker's maximum packet size (from CONNACK) is the limit; a larger message fails before it is sent")
    void tooLarge() {
        String ns = MqttTestSupport.namespace();
        try (MqttTransport t = MqttTestSupport.transport(broker.uri(), ns, TransportListener.NONE)) {
            assertThat(t.maxPayloadBytes()).isEqualTo(MosquittoProcess.MAX_PACKET - 1024);
            byte[] big = new byte[(int) MosquittoProcess.MAX_PACKET];
            assertThatThrownBy(() -> t.pubsub().publish(ns + ":big", big))
                    .isInstanceOf(MessageTooLargeException.class)
                    .hasMessageContaining("maximum packet size of " + MosquittoProcess.MAX_PACKET);
            assertThatThrownBy(() -> t.kv().put(ns + ":big", big)).isInstanceOf(MessageTooLargeException.class);
            assertThat(t.connected()).as("nothing was sent, so the broker did not drop us").isTrue();
        }
    }

    @Test
    @DisplayName("a closed subscription gets nothing more; closing the transport twice is fine and ends Paho's receiver thread")
    void closeReleasesEverything() {
        String ns = MqttTestSupport.namespace();
        MqttTransport t = MqttTestSupport.transport(broker.uri(), ns, TransportListener.NONE);
        String id = t.clientId();
        // Paho's receiver always runs on a platform thread (PahoThreads; from JDK 24 on the only loop that does), so
        // getAllStackTraces, which lists platform threads only, shows it until the close
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(th -> th.isAlive() && !th.isVirtual()
                && th.getName().contains(id));
        Subscription s = t.pubsub().subscribe(ns + ":a", (c, p) -> { });
        s.close();
        s.close();
        t.close();
        t.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(th -> th.isAlive() && th.getName().contains(id)));
        assertThatThrownBy(() -> t.pubsub().publish(ns + ":a", new byte[1])).isInstanceOf(TransportException.class);
    }

    @Test
    @DisplayName("an unreachable broker fails create() with TransportUnavailableException naming the address")
    void unreachable() {
        int port = MosquittoProcess.freePort();
        assertThatThrownBy(() -> MqttTestSupport.transport("tcp://127.0.0.1:" + port, "ns", TransportListener.NONE,
                MqttOptions.TIMEOUT, "2s"))
                .isInstanceOf(TransportUnavailableException.class).hasMessageContaining("127.0.0.1:" + port);
    }
}
