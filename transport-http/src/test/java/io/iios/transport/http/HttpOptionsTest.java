package io.iios.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iios.api.ConfigException;
import io.iios.core.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HttpOptionsTest {

    @Test
    @DisplayName("defaults: loopback, ephemeral port, no gateway, no auth, no CORS")
    void defaults() {
        HttpOptions o = HttpOptions.from(Map.of());
        assertThat(o.enabled()).isTrue();
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.port()).isZero();
        assertThat(o.gateway()).isFalse();
        assertThat(o.auth()).isEqualTo(HttpOptions.Auth.NONE);
        assertThat(o.corsOrigins()).isEmpty();
        assertThat(o.advertisedUrl(8080)).isEqualTo("http://127.0.0.1:8080");
        assertThat(HttpOptions.from(Map.of("iios.http.advertise", "http://gw:9000/")).advertisedUrl(1))
                .isEqualTo("http://gw:9000");
    }

    @Test
    @DisplayName("an invalid value fails naming the key and the expected form")
    void invalid() {
        assertThatThrownBy(() -> HttpOptions.from(Map.of("iios.http.auth", "basic")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("iios.http.auth").hasMessageContaining("jwt");
        assertThatThrownBy(() -> HttpOptions.from(Map.of("iios.discovery.servers", "gw:8080")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("iios.discovery.servers");
        assertThatThrownBy(() -> HttpOptions.from(Map.of("iios.http.port", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("iios.http.port");
    }

    @Test
    @DisplayName("docs/configuration.md lists every HTTP key with its environment form and default")
    void everyKeyDocumented() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (ConfigKey k : HttpOptions.ALL) {
            String row = doc.lines().filter(l -> l.startsWith("| `" + k.key() + "` |")).findFirst().orElse("");
            assertThat(row).as("row of %s", k.key()).contains("`" + k.envName() + "`");
            if (!k.defaultValue().isEmpty()) {
                assertThat(row).as("default of %s", k.key()).contains("`" + k.defaultValue() + "`");
            }
        }
        assertThat(new HttpTransportProvider().configKeys()).isEqualTo(HttpOptions.KEYS);
        assertThat(new HttpNodeExtension().configKeys()).isEqualTo(HttpOptions.KEYS);
    }
}
