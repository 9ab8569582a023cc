package io.iios.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iios.spi.Capability;
import io.iios.spi.Transport;
import io.iios.spi.TransportListener;
import io.iios.spi.TransportUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TckLauncherTest {

    private static List<String> lines(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    @DisplayName("the launcher runs every kit on memory, ends with 'N passed, 0 failed, N skipped' and writes a JSON report")
    void memoryPasses(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path report = dir.resolve("tck.json");
        int code = TckLauncher.run(TransportUnderTest.fromProviderName("memory", Map.of(),
                getClass().getClassLoader()), new PrintStream(out, true, StandardCharsets.UTF_8), report);
        List<String> lines = lines(out);
        assertThat(code).as(String.join("\n", lines)).isZero();
        assertThat(lines.get(lines.size() - 1)).matches("\\d+ passed, 0 failed, \\d+ skipped");
        assertThat(lines).contains("Discovery: 8 passed, 0 failed, 0 skipped");
        assertThat(lines).anyMatch(l -> l.matches("KvStore: \\d+ passed, 0 failed, 3 skipped"));
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("transport").asText()).isEqualTo("memory");
        assertThat(json.get("failed").asInt()).isZero();
        assertThat(json.get("tests").size()).isEqualTo(json.get("passed").asInt() + json.get("skipped").asInt());
        JsonNode skipped = null;
        for (JsonNode t : json.get("tests")) {
            assertThat(t.get("group").asText()).isIn("KvStore", "PubSub", "Encoders", "Discovery", "RPC", "Events",
                    "Resilience", "Streams", "RBAC");
            if (t.get("outcome").asText().equals("skipped") && t.get("group").asText().equals("KvStore")) {
                skipped = t;
            }
        }
        assertThat(skipped).isNotNull();
        assertThat(skipped.get("skipReason").asText()).contains("declares KV_");
    }

    @Test
    @DisplayName("a broken transport makes the launcher report failures with their messages and return 1")
    void failuresAreReported() {
        TransportUnderTest broken = new TransportUnderTest() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Set<Capability> capabilities() {
                return Set.of();
            }

            @Override
            public Transport connect(TransportListener listener) {
                throw new TransportUnavailableException("broker down (on purpose)", null);
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = TckLauncher.run(broken, new PrintStream(out, true, StandardCharsets.UTF_8), null);
        List<String> lines = lines(out);
        assertThat(code).isEqualTo(1);
        assertThat(lines.get(lines.size() - 1)).matches("\\d+ passed, [1-9]\\d* failed, \\d+ skipped");
        assertThat(lines).anyMatch(l -> l.startsWith("RPC: 0 passed,"));
        assertThat(lines).anyMatch(l -> l.contains("broker down (on purpose)"));
    }

    @Test
    @DisplayName("an unknown transport name fails with the list of available names")
    void unknownName() {
        assertThatThrownBy(() -> TransportUnderTest.fromProviderName("nope", Map.of(), getClass().getClassLoader()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nope'")
                .hasMessageContaining("available: memory");
    }
}
