package io.iios.transport.nats;

import io.iios.spi.Capability;
import io.iios.spi.Transport;
import io.iios.spi.TransportListener;
import io.iios.tck.BrokerControl;
import io.iios.tck.TransportCompatibilityKit;
import io.iios.tck.TransportUnderTest;
import io.iios.testsupport.ServerProcess;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
            TransportUnderTest base = TransportUnderTest.fromProvider(new NatsTransportProvider(),
                    Map.of("iios.nats.servers", server.uri("nats")));
            target = new TransportUnderTest() {
                @Override
                public String name() {
                    return base.name();
                }

                @Override
                public Set<Capability> capabilities() {
                    return base.capabilities();
                }

                @Override
                public Transport connect(TransportListener listener) {
                    return base.connect(listener);
                }

                @Override
                public Optional<BrokerControl> brokerControl() {
                    return Optional.of(() -> {
                        server.kill();
                        server.startAgain();
                    });
                }
            };
        }
        return target;
    }
}
