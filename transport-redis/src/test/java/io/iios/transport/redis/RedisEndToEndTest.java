package io.iios.transport.redis;

import io.iios.testsupport.EndToEndScenario;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RedisEndToEndTest {

    @Test
    @DisplayName("gateway + 2 bob instances on the local Redis: calls, events, discovery (crash and graceful stop)")
    void endToEnd() {
        String uri = RedisTestSupport.requireRedis();
        try (RedisNodes nodes = new RedisNodes(Map.of("iios.redis.uri", uri), uri)) {
            EndToEndScenario.run(nodes);
        }
    }

    @Test
    @DisplayName("the same with iios.redis.watch=poll (the fallback when keyspace notifications are refused)")
    void endToEndPolling() {
        String uri = RedisTestSupport.requireRedis();
        try (RedisNodes nodes = new RedisNodes(Map.of("iios.redis.uri", uri, "iios.redis.watch", "poll",
                "iios.redis.watch-poll-interval", "200ms"), uri)) {
            EndToEndScenario.run(nodes);
        }
    }
}
