package io.iios.transport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.iios.spi.BenchBaseline;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportListener;
import io.iios.testsupport.ServerProcess;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import redis.clients.jedis.Jedis;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RawJedisBaselineTest {

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = {1, 100})
    @DisplayName("the raw Jedis baseline is found by ServiceLoader, completes round trips, stops by itself and leaves no thread")
    void runsAndStops(int concurrency) throws Exception {
        String uri = RedisTestSupport.requireRedis();
        BenchBaseline b = ServiceLoader.load(BenchBaseline.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.transport().equals("redis")).findFirst().orElseThrow();
        AtomicLong done = new AtomicLong();
        long failed = b.run(TransportConfig.of(RedisTestSupport.namespace(), Map.of("iios.redis.uri", uri),
                TransportListener.NONE), concurrency, 54, Duration.ofMillis(300), n -> done.incrementAndGet());
        assertThat(failed).isZero();
        assertThat(done.get()).isGreaterThan(concurrency);
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("iios-bench"))).isEmpty();
    }

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = {1, 100})
    @DisplayName("every round trip the baseline counts is one request and one reply PUBLISH on a server of the test's own")
    void countsWhatRedisDid(int concurrency) throws Exception {
        try (ServerProcess server = ServerProcess.redis()) {
            BenchBaseline b = new io.iios.transport.redis.internal.RawJedisBaseline();
            AtomicLong done = new AtomicLong();
            long before = publishCalls(server.port);
            long failed = b.run(TransportConfig.of(RedisTestSupport.namespace(), Map.of("iios.redis.uri", server.uri("redis")),
                    TransportListener.NONE), concurrency, 54, Duration.ofMillis(500), n -> done.incrementAndGet());
            long publishes = publishCalls(server.port) - before;
            assertThat(failed).isZero();
            assertThat(done.get()).isGreaterThan(concurrency);
            // the loop drains what is in flight before returning, so nothing is left half done
            assertThat(publishes).isEqualTo(2 * done.get());
        }
    }

    private static long publishCalls(int port) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            String stats = j.info("commandstats");
            Matcher m = Pattern.compile("cmdstat_publish:calls=(\\d+)").matcher(stats);
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }
    }
}
