package io.iios.transport.mqtt;

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

class RawPahoBaselineTest {

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = {1, 100})
    @DisplayName("the raw Paho baseline is found by ServiceLoader, completes round trips, stops by itself and leaves no thread")
    void runsAndStops(int concurrency) throws Exception {
        String uri = MqttTestSupport.requireBroker();
        BenchBaseline b = ServiceLoader.load(BenchBaseline.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.transport().equals("mqtt")).findFirst().orElseThrow();
        AtomicLong done = new AtomicLong();
        long failed = b.run(TransportConfig.of(MqttTestSupport.namespace(), Map.of(MqttOptions.URI_KEY, uri),
                TransportListener.NONE), concurrency, 54, Duration.ofMillis(300), n -> done.incrementAndGet());
        assertThat(failed).isZero();
        assertThat(done.get()).isGreaterThan(concurrency);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet()
                .stream().filter(Thread::isAlive).noneMatch(t -> t.getName().contains("bench-re")));
    }
}
