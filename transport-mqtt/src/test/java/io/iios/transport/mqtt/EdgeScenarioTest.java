package io.iios.transport.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.iios.api.Event;
import io.iios.api.Gateway;
import io.iios.core.Config;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The edge deployment: a device node hosting a service in the "device" namespace, a gateway node elsewhere,
 * nothing between them but a Mosquitto — which restarts (and loses every retained record) in the middle.
 */
class EdgeScenarioTest {
    private MosquittoProcess broker;
    private final List<IiosNode> nodes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startBroker() {
        broker = MosquittoProcess.start();
    }

    @AfterEach
    void stopAll() {
        for (IiosNode n : nodes) {
            try {
                n.close();
            } catch (RuntimeException e) {
                // keep closing
            }
        }
        broker.close();
    }

    private IiosNode start(Iios.Builder b) {
        IiosNode n = b.start();
        nodes.add(n);
        return n;
    }

    private Iios.Builder node(String namespace, String name) {
        return Iios.builder().config(Config.of(Map.of(MqttOptions.URI_KEY, broker.uri())))
                .set("iios.transport", "mqtt")
                .set("iios.namespace", namespace)
                .set("iios.node.name", name)
                .set("iios.discovery.ttl", "2s")
                .set("iios.discovery.heartbeat", "500ms")
                .set("iios.call.timeout", "2s");
    }

    @Test
    @DisplayName("a gateway calls a device's service through the broker, gets its events, and both survive a broker restart")
    void deviceBehindBroker() {
        String ns = "device" + MqttSession();
        IiosNode device = start(node(ns, "device").service(new Sensor()));
        IiosNode gatewayNode = start(node(ns, "gateway"));
        Gateway gateway = gatewayNode.gateway();
        gateway.waitForService("sensor", Duration.ofSeconds(10));
        assertThat(gatewayNode.transport().name()).isEqualTo("mqtt");
        assertThat(gateway.call("sensor", "temperature")).isEqualTo(20.5);

        List<Event> events = new CopyOnWriteArrayList<>();
        gatewayNode.events().on(ns + ":sensor:event", events::add);
        assertThat(gateway.call("sensor", "setpoint", 21.0)).isEqualTo(21.0);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);

        broker.kill();
        broker.startAgain(); // no persistence: every retained record is gone

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> Double.valueOf(22.0).equals(gateway.call("sensor", "setpoint", 22.0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                .anyMatch(e -> Map.of("setpoint", 22.0).equals(e.payload())));
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.service("sensor")
                .map(s -> s.instances().size() == 1).orElse(false));
        assertThat(gateway.call("sensor", "temperature")).isEqualTo(22.0);
        assertThat(device.services()).hasSize(1);
    }

    private static String MqttSession() {
        return MqttTestSupport.namespace().substring(1, 9);
    }
}
