package io.iios.transport.redis;

import io.iios.spi.Capability;
import io.iios.spi.Transport;
import io.iios.spi.TransportListener;
import io.iios.tck.BrokerControl;
import io.iios.tck.TransportCompatibilityKit;
import io.iios.tck.TransportUnderTest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole TCK on a redis-server this test starts on its own port, so the kit's
 * {@code restartBroker()} recovery tests run too (the shared server on 6379 is never restarted).
 */
class RedisRestartCompatibilityTest extends TransportCompatibilityKit {
    private static RedisServerProcess server;
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
            server = RedisServerProcess.start();
            TransportUnderTest base = TransportUnderTest.fromProvider(new RedisTransportProvider(),
                    Map.of("iios.redis.uri", server.uri()));
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
