package io.iios.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    @DisplayName("durations: units, bare milliseconds, ISO-8601; garbage, negatives and overflow are refused")
    void durations() {
        assertThat(Settings.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Settings.parseDuration("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Settings.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Settings.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Settings.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Settings.parseDuration("250")).isEqualTo(Duration.ofMillis(250));
        assertThat(Settings.parseDuration("PT3S")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Settings.parseDuration("soon")).isNull();
        assertThat(Settings.parseDuration("-5s")).isNull();
        assertThat(Settings.parseDuration(Long.MAX_VALUE + "d")).isNull();
        assertThat(Settings.duration(Map.of(), "k", "2s", Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Settings.duration(Map.of("k", " "), "k", "2s", Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> Settings.duration(Map.of("iios.x.wait", "10ms"), "iios.x.wait", "2s",
                Duration.ofMillis(100))).isInstanceOf(TransportException.class)
                .hasMessage("invalid value '10ms' for iios.x.wait (environment IIOS_X_WAIT): expected a duration such as "
                        + "500ms, 5s, 1m (at least 100ms)");
    }

    @Test
    @DisplayName("booleans and whole numbers: defaults for blank, bounds enforced, the key's environment form in errors")
    void booleansAndNumbers() {
        assertThat(Settings.bool(Map.of("b", "Yes"), "b", false)).isTrue();
        assertThat(Settings.bool(Map.of("b", "off"), "b", true)).isFalse();
        assertThat(Settings.bool(Map.of("b", ""), "b", true)).isTrue();
        assertThatThrownBy(() -> Settings.bool(Map.of("iios.y.on", "maybe"), "iios.y.on", true))
                .hasMessageContaining("IIOS_Y_ON").hasMessageContaining("true or false");
        assertThat(Settings.integer(Map.of("n", " 7 "), "n", 1, 1, 10)).isEqualTo(7);
        assertThat(Settings.integer(Map.of(), "n", 3, 1, 10)).isEqualTo(3);
        assertThatThrownBy(() -> Settings.integer(Map.of("n", "11"), "n", 1, 1, 10))
                .hasMessageEndingWith("expected a whole number from 1 to 10");
        assertThatThrownBy(() -> Settings.integer(Map.of("n", "0"), "n", 1, 1, Integer.MAX_VALUE))
                .hasMessageEndingWith("expected a whole number of at least 1");
        assertThatThrownBy(() -> Settings.integer(Map.of("n", "x"), "n", 1, -1, 9, "a count; -1 for ever"))
                .hasMessageEndingWith("expected a count; -1 for ever");
        assertThat(Settings.optional(Map.of("s", "  v "), "s")).isEqualTo("v");
        assertThat(Settings.optional(Map.of("s", "  "), "s")).isNull();
        assertThat(Settings.envName("iios.nats.kv-replicas")).isEqualTo("IIOS_NATS_KV_REPLICAS");
    }
}
