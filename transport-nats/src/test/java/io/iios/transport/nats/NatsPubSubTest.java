package io.iios.transport.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.iios.spi.Subscription;
import io.iios.spi.TransportUnavailableException;
import io.iios.testsupport.RecordingListener;
import io.iios.testsupport.ServerProcess;
import io.iios.transport.nats.internal.NatsTransport;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NatsPubSubTest {

    @Test
    @DisplayName("each subscription delivers on a thread of its own (not the publisher's), in order; a throwing handler keeps it; closing the subscription and then the transport ends delivery without reporting an error")
    void deliveryThreadLifecycle() throws Exception {
        String url = NatsTestSupport.requireNats();
        String ns = NatsTestSupport.namespace();
        RecordingListener rec = new RecordingListener();
        List<Integer> got = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        try (NatsTransport t = NatsTestSupport.transport(url, ns, rec)) {
            Subscription sub = t.pubsub().subscribe(ns + ":seq", (ch, p) -> {
                threads.add(Thread.currentThread());
                got.add((int) p[0]);
                if (p[0] == 3) {
                    throw new IllegalStateException("handler failure 3");
                }
            });
            t.pubsub().subscribe(ns + ":other", (ch, p) -> { }); // left open: the transport's close ends it
            for (int i = 0; i < 10; i++) {
                t.pubsub().publish(ns + ":seq", new byte[] {(byte) i});
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 10);
            assertThat(got).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(Set.copyOf(threads)).hasSize(1).doesNotContain(Thread.currentThread());
            assertThat(rec.errors).hasSize(1).allMatch(e -> e.contains("handler failure 3"));
            sub.close();
            t.pubsub().publish(ns + ":seq", new byte[] {42});
            t.pubsub().subscribe(ns + ":seq", (ch, p) -> got.add(-1)); // a later subscriber sees the message,
            t.pubsub().publish(ns + ":seq", new byte[] {43});          // the closed one does not
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains(-1));
            assertThat(got).doesNotContain(42, 43);
        }
        assertThat(rec.errors).hasSize(1);
    }

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
