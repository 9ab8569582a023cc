package io.iios.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentEscaperTest {

    private static final SegmentEscaper NATS = SegmentEscaper.forbidding(".*> ").withControlCharacters();
    private static final SegmentEscaper MQTT = SegmentEscaper.forbidding("/+#").withControlCharacters()
            .withForbiddenLeading("$");
    private static final SegmentEscaper REDIS = SegmentEscaper.forbidding("*?[]\\^");

    @ParameterizedTest
    @ValueSource(strings = {"plain", "a.b", "x*y>z", "with space", "100%", "%2E", "tab\there", "$SYS",
        "a/b+c#d", "[glob]?\\", "héllo wörld ✓", "", "%", "%%%"})
    @DisplayName("every segment round-trips through each broker's escaper")
    void roundTrips(String segment) {
        for (SegmentEscaper e : new SegmentEscaper[] {NATS, MQTT, REDIS}) {
            String escaped = e.escape(segment);
            for (int i = 0; i < escaped.length(); i++) {
                char ch = escaped.charAt(i);
                assertThat(ch != '%' && e.isForbidden(ch, i == 0)).as("'%s' left in %s", ch, escaped).isFalse();
            }
            assertThat(e.unescape(escaped)).isEqualTo(segment);
        }
    }

    @Test
    void escapesOnlyWhatIsForbidden() {
        assertThat(NATS.escape("a.b")).isEqualTo("a%2Eb");
        assertThat(NATS.escape("plain")).isSameAs("plain");
        assertThat(MQTT.escape("$SYS")).isEqualTo("%24SYS");
        assertThat(MQTT.escape("a$b")).isEqualTo("a$b");
        assertThat(REDIS.escape("a*b")).isEqualTo("a%2Ab");
        assertThat(NATS.escape("50%")).isEqualTo("50%25");
    }

    @Test
    void rejectsBrokenEscapes() {
        assertThatThrownBy(() -> NATS.unescape("a%2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> NATS.unescape("a%ZZb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad escape");
        assertThatThrownBy(() -> SegmentEscaper.forbidding("é")).isInstanceOf(IllegalArgumentException.class);
    }
}
