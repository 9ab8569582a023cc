package io.iios.transport.http;

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

class RawHelidonBaselineTest {

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = {1, 100})
    @DisplayName("the bare Helidon baseline is found by ServiceLoader, completes round trips and stops by itself")
    void runsAndStops(int concurrency) throws Exception {
        BenchBaseline b = ServiceLoader.load(BenchBaseline.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.transport().equals("http")).findFirst().orElseThrow();
        AtomicLong done = new AtomicLong();
        long failed = b.run(TransportConfig.of("bl", Map.of(), TransportListener.NONE), concurrency, 54,
                Duration.ofMillis(300), n -> done.incrementAndGet());
        assertThat(failed).isZero();
        assertThat(done.get()).isGreaterThan(concurrency);
    }
}
