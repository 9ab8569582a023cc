package io.iios.transport.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.iios.spi.NonBlockingHandler;
import io.iios.transport.mqtt.internal.MqttTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A {@link NonBlockingHandler} runs on Paho's callback thread, with the PubSub contract intact. */
class MqttNonBlockingHandlerTest {

    @Test
    @DisplayName("a non-blocking handler gets every message in order, off Paho's I/O thread, and keeps its subscription when it throws")
    void inlineDelivery() {
        String uri = MqttTestSupport.requireBroker();
        String ns = MqttTestSupport.namespace();
        RecordingListener events = new RecordingListener();
        try (MqttTransport t = MqttTestSupport.transport(uri, ns, events)) {
            List<Integer> got = new CopyOnWriteArrayList<>();
            List<String> threads = new CopyOnWriteArrayList<>();
            t.pubsub().subscribe(ns + ":nb", (NonBlockingHandler) (channel, payload) -> {
                int n = Integer.parseInt(new String(payload, StandardCharsets.UTF_8));
                threads.add(Thread.currentThread().getName());
                got.add(n);
                if (n % 100 == 7) {
                    throw new IllegalStateException("handler failure " + n);
                }
            });
            IntStream.range(0, 1_000).forEach(i -> t.pubsub().publish(ns + ":nb",
                    Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
            await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == 1_000);
            assertThat(got).containsExactlyElementsOf(IntStream.range(0, 1_000).boxed().toList());
            assertThat(events.errors).hasSize(10).allMatch(e -> e.contains("handler failure"));
            // Paho reads the socket on "MQTT Rec:" and calls back on "MQTT Call:": the handler ran there, unqueued
            assertThat(threads).allMatch(name -> name.startsWith("MQTT Call"));
        }
    }
}
