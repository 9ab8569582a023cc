package io.iios.compat.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code iios ls} and {@code iios call} (the built iios.jar) against a namespace of Node services. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("iios ls / iios call with --config naming iios.protocol=node-v2")
class NodeCliTest {
    private static final Path JAR = Path.of("..", "iios-cli", "target", "iios.jar").toAbsolutePath();
    private String ns;
    private Path config;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        NodeFixture.require();
        if (!Files.exists(JAR)) {
            NodeFixture.unavailable(JAR + " is not built (run the reactor's package phase first)");
        }
        ns = NodeFixture.namespace();
        open.add(new NodeFixture.NodeProcess("clibob", "service.js", Map.of("NS", ns, "NAME", "clibob",
                "HTTP_RPC", "false")).awaitReady());
        config = Files.createDirectories(Path.of("target")).resolve("node-v2-" + ns + ".properties");
        Files.writeString(config, "iios.protocol=node-v2\niios.namespace=" + ns + "\niios.transport=redis\n"
                + "iios.redis.uri=" + NodeFixture.REDIS + "\n");
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (ns != null) {
            NodeFixture.deleteKeys(ns, "none");
        }
    }

    private String iios(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                JAR.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    @DisplayName("iios ls lists the Node service with its methods and verbs")
    void lsListsNodeServices() throws Exception {
        String out = iios("ls", "--config", config.toString(), "--wait", "2s");
        assertThat(out).contains("clibob").contains("add").contains("whoami").contains("GET");
    }

    @Test
    @DisplayName("iios call reaches the Node service over pub/sub")
    void callReachesNodeService() throws Exception {
        String out = iios("call", "clibob", "add", "2", "3", "--config", config.toString());
        assertThat(out.strip()).endsWith("5");
    }
}
