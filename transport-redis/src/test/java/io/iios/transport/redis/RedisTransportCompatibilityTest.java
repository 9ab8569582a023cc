package io.iios.transport.redis;

import io.iios.tck.TransportCompatibilityKit;
import io.iios.tck.TransportUnderTest;
import java.util.Map;

/** The whole TCK against the shared local Redis ({@code IIOS_TEST_REDIS_URI}, else 127.0.0.1:6379). */
class RedisTransportCompatibilityTest extends TransportCompatibilityKit {
    private static TransportUnderTest redis;

    @Override
    protected TransportUnderTest transport() {
        if (redis == null) {
            redis = TransportUnderTest.fromProvider(new RedisTransportProvider(),
                    Map.of("iios.redis.uri", RedisTestSupport.requireRedis()));
        }
        return redis;
    }
}
