package io.iios.transport.redis;

import io.iios.tck.TransportCompatibilityKit;
import io.iios.tck.TransportUnderTest;
import io.iios.testsupport.ServerProcess;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole TCK on a redis-server this test starts on its own port, so the kit's
 * {@code restartBroker()} recovery tests run too (the shared server on 6379 is never restarted).
 */
class RedisRestartCompatibilityTest extends TransportCompatibilityKit {
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
            server = ServerProcess.redis();
            target = TransportUnderTest.fromProvider(new RedisTransportProvider(),
                    Map.of("iios.redis.uri", server.uri("redis")))
                    .withBrokerControl(server::restart);
        }
        return target;
    }
}
