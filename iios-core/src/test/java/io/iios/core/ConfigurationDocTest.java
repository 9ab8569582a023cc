package io.iios.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigurationDocTest {

    @Test
    @DisplayName("docs/configuration.md lists every core key with its environment form and default")
    void everyKeyDocumented() throws IOException {
        Path doc = Path.of("..", "docs", "configuration.md");
        assertThat(doc).exists();
        String text = Files.readString(doc);
        assertThat(ConfigKeys.ALL).isNotEmpty();
        for (ConfigKey k : ConfigKeys.ALL) {
            String row = text.lines().filter(l -> l.startsWith("| `" + k.key() + "` |")).findFirst().orElse("");
            assertThat(row).as("row of %s", k.key()).contains("`" + k.envName() + "`");
            if (!k.defaultValue().isEmpty()) {
                assertThat(row).as("default of %s", k.key()).contains("`" + k.defaultValue() + "`");
            }
        }
    }
}
