package io.iios.transport.nats;

import io.iios.testsupport.EndToEndScenario;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NatsEndToEndTest {

    @Test
    @DisplayName("gateway + 2 bob instances on the local NATS: calls, events, discovery (crash and graceful stop)")
    void endToEnd() {
        String url = NatsTestSupport.requireNats();
        try (NatsNodes nodes = new NatsNodes(Map.of("iios.nats.servers", url), url)) {
            EndToEndScenario.run(nodes);
        }
    }
}
