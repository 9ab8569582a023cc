package io.iios.transport.nats;

import io.iios.tck.TransportCompatibilityKit;
import io.iios.tck.TransportUnderTest;
import io.iios.testsupport.ServerProcess;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole TCK on a nats-server this test starts on its own port and storage, so the kit's
 * {@code restartBroker()} recovery tests run too (the shared server on 4222 is never restarted).
 */
class NatsRestartCompatibilityTest extends TransportCompatibilityKit {
    private static ServerProcess server;
    private static TransportUnderTest target;

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected TransportUnderTest transport() {
        if (target == null) {
            server = ServerProcess.nats();
            target = TransportUnderTest.fromProvider(new NatsTransportProvider(),
                    Map.of("iios.nats.servers", server.uri("nats")))
                    .withBrokerControl(server::restart);
        }
        return target;
    }
}
