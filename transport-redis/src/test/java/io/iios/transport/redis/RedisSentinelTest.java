package io.iios.transport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.iios.api.Gateway;
import io.iios.api.IiosException;
import io.iios.core.IiosNode;
import io.iios.testsupport.EndToEndScenario;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** 1 master, 1 replica, 3 sentinels, started by scripts/redis-sentinel.sh. */
class RedisSentinelTest {

    @Test
    @DisplayName("a Sentinel failover during a stream of calls: every acknowledged call is right, and calls recover by themselves")
    void failoverDuringCalls() throws Exception {
        try (ScriptedRedis set = ScriptedRedis.start("redis-sentinel.sh", 5)) {
            int base = set.basePort;
            String sentinels = "127.0.0.1:" + (base + 2) + ",127.0.0.1:" + (base + 3) + ",127.0.0.1:" + (base + 4);
            try (RedisNodes nodes = new RedisNodes(Map.of("iios.redis.sentinels", sentinels,
                    "iios.redis.master", "mymaster", "iios.redis.reconnect-backoff", "50ms",
                    "iios.redis.reconnect-backoff-max", "500ms"), null)) {
                IiosNode gw = nodes.start(nodes.builder().set("iios.call.timeout", "2s"));
                nodes.bob();
                Gateway g = gw.gateway();
                g.waitForService("bob", Duration.ofSeconds(10));
                try (RedisNodes others = new RedisNodes(Map.of("iios.redis.sentinels", sentinels,
                        "iios.redis.master", "mymaster"), null)) {
                    EndToEndScenario.run(others);
                }

                AtomicBoolean running = new AtomicBoolean(true);
                AtomicInteger ok = new AtomicInteger();
                List<String> wrong = new CopyOnWriteArrayList<>();
                List<String> failures = new CopyOnWriteArrayList<>();
                Thread caller = Thread.ofVirtual().start(() -> {
                    int i = 0;
                    while (running.get()) {
                        i++;
                        try {
                            Object r = g.call("bob", "add", i, 1);
                            if (!Integer.valueOf(i + 1).equals(r)) {
                                wrong.add(i + " -> " + r);
                            }
                            ok.incrementAndGet();
                        } catch (IiosException e) {
                            failures.add(e.getClass().getSimpleName());
                        }
                    }
                });
                try {
                    await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() >= 50);
                    try (Jedis sentinel = new Jedis(new HostAndPort("127.0.0.1", base + 2))) {
                        sentinel.sentinelFailover("mymaster");
                        await().atMost(Duration.ofSeconds(30)).until(() ->
                                sentinel.sentinelGetMasterAddrByName("mymaster").get(1).equals(String.valueOf(base + 1)));
                    }
                    int afterFailover = ok.get();
                    await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() >= afterFailover + 200);
                } finally {
                    running.set(false);
                    caller.join(10_000);
                }
                assertThat(wrong).as("acknowledged calls with a wrong or lost result").isEmpty();
                assertThat(ok.get()).isGreaterThan(250);
                // calls that did not succeed failed with a typed error (listed), none hung past its timeout
                assertThat(failures).allMatch(f -> f.endsWith("Exception"));
            }
        }
    }
}
