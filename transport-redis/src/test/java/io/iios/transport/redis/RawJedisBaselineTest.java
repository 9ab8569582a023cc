package io.iios.transport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.iios.spi.BenchBaseline;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportListener;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
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
}
