package io.iios.core.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NamesTest {

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
            assertThat(Names.isName(s)).as("'%s'", s).isEqualTo(Names.NAME.matcher(s).matches());
        }
        String longest = "a".repeat(128);
        assertThat(Names.isName(longest)).isTrue();
        assertThat(Names.isName(longest + "b")).isFalse();
        assertThat(Names.NAME.matcher(longest + "b").matches()).isFalse();
    }

    @Test
    void requireNameSaysWhatIsWrong() {
        assertThat(Names.requireName("bob-2_x", "service name")).isEqualTo("bob-2_x");
        assertThatThrownBy(() -> Names.requireName("2bob", "service name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("service name '2bob' must be 1-128 letters");
    }
}
