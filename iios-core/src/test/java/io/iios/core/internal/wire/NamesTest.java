package io.iios.core.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NamesTest {
    /** The grammar as a regex, the reference the hand-written check is held to. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,127}");

    @Test
    void theHandWrittenCheckAgreesWithTheGrammarsRegex() {
        String alphabet = "aZq09_-:.* %éA\u0000";
        Random random = new Random(42);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(6);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            assertThat(Names.isName(s)).as("'%s'", s).isEqualTo(NAME.matcher(s).matches());
        }
        String longest = "a".repeat(128);
        assertThat(Names.isName(longest)).isTrue();
        assertThat(Names.isName(longest + "b")).isFalse();
        assertThat(NAME.matcher(longest + "b").matches()).isFalse();
    }

    @Test
    void requireNameSaysWhatIsWrong() {
        assertThat(Names.requireName("bob-2_x", "service name")).isEqualTo("bob-2_x");
        assertThatThrownBy(() -> Names.requireName("2bob", "service name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("service name '2bob' must be 1-128 letters");
    }
}
