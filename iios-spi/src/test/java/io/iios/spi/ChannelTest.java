package io.iios.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "iios:bob:event:coucou | iios:bob:event:coucou | true",
        "iios:bob:event:coucou | iios:bob:event:coucou2 | false",
        "iios:bob:event:coucou | iios:bob:event | false",
        "iios:bob:event | iios:bob:event:coucou | false",
        "iios:*:event:coucou | iios:bob:event:coucou | true",
        "iios:*:event:coucou | iios:alice:event:coucou | true",
        "iios:*:event:coucou | iios:bob:x:event:coucou | false",
        "iios:*:event:> | iios:bob:event:coucou | true",
        "iios:*:event:> | iios:bob:event:a:b:c | true",
        "iios:*:event:> | iios:bob:event | false",
        "iios:> | iios:x | true",
        "iios:> | iios | false",
        "iios:> | iiosx:y | false",
        "> | a | true",
        "> | a:b:c | true",
        "* | a | true",
        "* | a:b | false",
        "*:* | a:b | true",
        "*:* | a | false",
        "a:*:c | a:b:c | true",
        "a:*:c | a:b:d | false",
        "a:* | a:b:c | false",
        "ab | a | false",
        "a | ab | false",
        "a:b | a:bc | false",
    })
    void matches(String pattern, String channel, boolean expected) {
        assertThat(Channel.matches(pattern, channel)).isEqualTo(expected);
    }

    @Test
    @DisplayName("a concrete channel matches only itself, even with wildcard-like characters inside a segment")
    void literalCharactersInsideSegments() {
        assertThat(Channel.matches("a:b*c", "a:b*c")).isTrue();
        assertThat(Channel.matches("a:b*c", "a:bxc")).isFalse();
        assertThat(Channel.matches("a:x>", "a:x>")).isTrue();
        assertThat(Channel.isPattern("a:b*c")).isFalse();
        assertThat(Channel.isPattern("a:*:c")).isTrue();
        assertThat(Channel.isPattern("a:>")).isTrue();
    }

    @Test
    void validatesChannelsAndPatterns() {
        assertThat(Channel.requireChannel("iios:bob:event")).isEqualTo("iios:bob:event");
        assertThat(Channel.requirePattern("iios:*:event:>")).isEqualTo("iios:*:event:>");
        assertThatThrownBy(() -> Channel.requireChannel("iios:*:x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wildcard");
        assertThatThrownBy(() -> Channel.requireChannel("iios::x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty segment");
        assertThatThrownBy(() -> Channel.requireChannel(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Channel.requirePattern("iios:>:x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("last");
        assertThatThrownBy(() -> Channel.requireSegment("a:b", "service name"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("service name");
        assertThatThrownBy(() -> Channel.requireSegment("*", "event name"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wildcard");
    }

    @Test
    void splitsAndJoins() {
        assertThat(Channel.segments("a:b:c")).containsExactly("a", "b", "c");
        assertThat(Channel.segments("a")).containsExactly("a");
        assertThat(Channel.join("a", "b", "c")).isEqualTo("a:b:c");
    }
}
