package io.iios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    @DisplayName("a call argument is JSON when it parses, else the word as a string")
    void arguments() {
        assertThat(Json.argument("1")).isEqualTo(1);
        assertThat(Json.argument("\"x\"")).isEqualTo("x");
        assertThat(Json.argument("[1,2]")).isEqualTo(List.of(1, 2));
        assertThat(Json.argument("{\"a\":1}")).isEqualTo(Map.of("a", 1));
        assertThat(Json.argument("true")).isEqualTo(true);
        assertThat(Json.argument("null")).isNull();
        assertThat(Json.argument("hello")).isEqualTo("hello");
        assertThat(Json.argument("12abc")).isEqualTo("12abc");
    }
}
