package io.iios.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iios.cli.demo.Bob;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import io.iios.core.MemoryBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** call, ls and events against a node hosting bob on a memory broker shared with the command's node. */
class ClientCommandsTest {
    private final ObjectMapper json = new ObjectMapper();
    private MemoryBroker broker;
    private IiosNode bobNode;
    private UnaryOperator<Iios.Builder> sameBroker;

    @BeforeEach
    void start() {
        broker = MemoryBroker.create();
        sameBroker = b -> b.transport(broker::connect);
        bobNode = Iios.builder().transport(broker::connect).service(new Bob()).start();
    }

    @AfterEach
    void stop() {
        bobNode.close();
        broker.close();
    }

    @Test
    @DisplayName("call parses JSON arguments, takes bare words as strings and prints the result as JSON")
    void call() {
        CliRun add = CliRun.run(sameBroker, "call", "bob", "add", "1", "2");
        CliRun hello = CliRun.run(sameBroker, "call", "bob", "hello", "world");
        CliRun quoted = CliRun.run(sameBroker, "call", "--timeout", "2s", "bob", "hello", "\"42\"");

        assertThat(add.exitCode()).as(add.toString()).isZero();
        assertThat(add.out()).isEqualTo("3\n");
        assertThat(hello.out()).isEqualTo("\"hello world\"\n");
        assertThat(quoted.out()).isEqualTo("\"hello 42\"\n");
    }

    @Test
    @DisplayName("call --out FILE writes a stream's bytes to FILE and prints a one-line summary")
    void callStreamToFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("report.txt");
        CliRun r = CliRun.run(sameBroker, "call", "bob", "download", "report.txt", "3", "--out", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(java.nio.file.Files.readString(file))
                .isEqualTo("report.txt line 1\nreport.txt line 2\nreport.txt line 3\n");
        assertThat(r.out().strip()).doesNotContain("\n").startsWith("wrote 54 bytes from bob.download to " + file);
    }

    @Test
    @DisplayName("call of a stream method without --out fails with one line asking for it, exit 1")
    void callStreamWithoutOut() {
        CliRun r = CliRun.run(sameBroker, "call", "bob", "download", "x", "3");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n").contains("bob.download returned a stream", "--out FILE");
    }

    @Test
    @DisplayName("a remote failure is one line with the remote type and message, exit 1")
    void callRemoteFailure() {
        CliRun r = CliRun.run(sameBroker, "call", "bob", "fail", "broken");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n")
                .contains("RemoteFailureException", "java.lang.IllegalStateException", "broken");
    }

    @Test
    @DisplayName("ls lists bob with its instance and methods, marking the public-HTTP ones")
    void ls() throws Exception {
        CliRun text = CliRun.run(sameBroker, "ls", "--wait", "0s");
        CliRun machine = CliRun.run(sameBroker, "ls", "--wait", "0s", "--json");

        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("bob  (1 instance)", "instance " + bobNode.nodeId() + "-0",
                "node " + bobNode.nodeId(), "version 1.0.0", "started ")
                .containsPattern("add +GET +public HTTP")
                .containsPattern("coucou +POST +public HTTP")
                .containsPattern("fail +POST +internal");
        assertThat(machine.exitCode()).isZero();
        JsonNode services = json.readTree(machine.out());
        assertThat(services).hasSize(1);
        assertThat(services.get(0).get("name").asText()).isEqualTo("bob");
        JsonNode instance = services.get(0).get("instances").get(0);
        assertThat(instance.get("nodeId").asText()).isEqualTo(bobNode.nodeId());
        assertThat(instance.get("methods").findValuesAsText("name")).contains("add", "hello", "fail", "coucou");
    }

    @Test
    @DisplayName("events prints each event as a JSON line and exits 0 after --count")
    void events() throws Exception {
        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(
                () -> CliRun.run(sameBroker, "events", "iios:bob:event", "--count", "2", "--timeout", "20s"));

        // The subscription opens at an unknown moment: keep pushing until the command has its two events.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            bobNode.pushEvent("bob", "coucou", Map.of("n", 1));
            return run.isDone();
        });

        CliRun r = run.join();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode line = json.readTree(lines.get(0));
        assertThat(line.get("meta").get("service").asText()).isEqualTo("bob");
        assertThat(line.get("meta").get("event").asText()).isEqualTo("coucou");
        assertThat(line.get("meta").get("instanceId").asText()).isEqualTo(bobNode.nodeId() + "-0");
        assertThat(line.get("meta").has("timestamp")).isTrue();
        assertThat(line.get("payload").get("n").asInt()).isEqualTo(1);
    }

    @Test
    @DisplayName("events exits 1 with a count of what arrived when --timeout passes first")
    void eventsTimeout() {
        CliRun r = CliRun.run(sameBroker, "events", "iios:event", "--count", "1", "--timeout", "200ms");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("received 0 of 1 events");
    }
}
