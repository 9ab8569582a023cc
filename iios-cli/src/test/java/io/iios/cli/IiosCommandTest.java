package io.iios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IiosCommandTest {

    @Test
    @DisplayName("demo walks through calls, proxy, events, a stream, typed errors, one allowed and one denied call and the listing, then exits 0")
    void demo() {
        CliRun r = CliRun.run("demo");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("transport memory", "namespace iios")
                .contains("bob is live: 1 instance(s)")
                .contains("gateway.call(\"bob\", \"add\", 1, 2)\n      -> 3\n")
                .contains("-> \"hello world\"")
                .contains("gateway.proxy(BobApi.class).add(40, 2)\n      -> (int) 42")
                .contains("on(\"iios:bob:event:coucou\") got payload {\"text\":\"salut\"}, meta service=bob event=coucou")
                .contains("on(\"iios:bob:event\") got payload", "on(\"iios:event\") got payload")
                .contains("RemoteFailureException: remote type java.lang.IllegalStateException, message \"on purpose\"")
                .contains("BadMessageException: ", "ServiceUnavailableException: ")
                .contains("gateway.asUser(\"alice\").call(\"bob\", \"note\", \"hi\")\n      -> \"noted: hi\"")
                .contains("AccessDeniedException: access denied to bob.note for anonymous caller (role anonymous): "
                        + "missing grant create:any|own on service bob")
                .contains("bob  (1 instance)")
                .containsPattern("add +GET +public HTTP")
                .containsPattern("fail +POST +internal")
                .contains("gateway.api(\"bob\").stream(\"download\", \"report.txt\", 20000).asInputStream()\n"
                        + "      -> read 20000 lines (")
                .contains("first \"report.txt line 1\"")
                .contains("13. node.close()", "demo finished");
    }

    @Test
    @DisplayName("demo uses the namespace from the configuration")
    void demoNamespace(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("iios.properties"), "iios.namespace=demo2\n");

        CliRun r = CliRun.run("demo", "--config", cfg.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("namespace demo2", "on(\"demo2:bob:event:coucou\")", "on(\"demo2:event\")");
    }

    @Test
    @DisplayName("an unknown transport fails with one line listing the available ones, exit 1")
    void unknownTransport() {
        CliRun r = CliRun.run("demo", "--transport", "carrier-pigeon");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n").contains("carrier-pigeon").containsPattern("available: \\[[a-z, ]*memory, [a-z, ]*redis").contains("http");
        assertThat(r.out()).isEmpty();
    }

    @Test
    @DisplayName("call with an invalid config value fails with one line naming the key, exit 1")
    void callBadConfig(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("bad.properties"), "iios.call.timeout=soon\n");

        CliRun r = CliRun.run("call", "--config", cfg.toString(), "bob", "add", "1", "2");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n")
                .contains("iios.call.timeout", "'soon'", "IIOS_CALL_TIMEOUT", "expected a duration");
        assertThat(r.err()).doesNotContain("Exception:").doesNotContain("\tat ");
    }

    @Test
    @DisplayName("--verbose adds the stack trace to the error line")
    void verboseStackTrace(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("bad.properties"), "iios.call.timeout=soon\n");

        CliRun r = CliRun.run("call", "-v", "--config", cfg.toString(), "bob", "add");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("iios.call.timeout").contains("\tat ");
    }

    @Test
    @DisplayName("call to a service that never appears fails after --wait with ServiceUnavailable, exit 1")
    void callMissingService() {
        CliRun r = CliRun.run("call", "--transport", "memory", "--wait", "100ms", "nobody", "add", "1", "2");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n").contains("ServiceUnavailableException", "nobody");
    }

    @Test
    @DisplayName("a bad option value is a usage error, exit 2")
    void usageError() {
        assertThat(CliRun.run("call", "--wait", "soon", "bob", "add").exitCode()).isEqualTo(2);
        assertThat(CliRun.run("bench", "--no-such-option").exitCode()).isEqualTo(2);
        assertThat(CliRun.run().exitCode()).isEqualTo(2);
    }

    @Test
    @DisplayName("bench on memory prints calls/s, percentiles, errors and a final JSON line")
    void bench() {
        CliRun r = CliRun.run("bench", "--transport", "memory", "--concurrency", "4", "--duration", "1s",
                "--warmup", "200ms");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("transport memory", "concurrency 4", "bob.add(int, int)")
                .containsPattern("calls +\\d+")
                .containsPattern("errors +0")
                .containsPattern("throughput +[\\d.]+ calls/s")
                .containsPattern("p50 +[\\d.]+").containsPattern("p90 +[\\d.]+").containsPattern("p99 +[\\d.]+")
                .containsPattern("p99\\.9 +[\\d.]+").containsPattern("max +[\\d.]+");
        String[] lines = r.out().strip().split("\n");
        assertThat(lines[lines.length - 1]).startsWith("{\"bench\":\"iios\"")
                .contains("\"concurrency\":4", "\"errors\":0", "\"calls_per_s\":", "\"p50_us\":", "\"p999_us\":",
                        "\"max_us\":");
    }

    @Test
    @DisplayName("bench --stream reads streams back to back and prints MiB/s and a final JSON line")
    void benchStream() {
        CliRun r = CliRun.run("bench", "--transport", "memory", "--concurrency", "2", "--duration", "500ms", "--warmup", "100ms",
                "--stream", "1048576", "--encoder", "msgpack");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("streams of 1048576 bytes").containsPattern("errors +0")
                .containsPattern("throughput +[\\d.]+ MiB/s");
        String[] lines = r.out().strip().split("\n");
        assertThat(lines[lines.length - 1]).startsWith("{\"bench\":\"iios-stream\"")
                .contains("\"stream_bytes\":1048576", "\"errors\":0", "\"mib_per_s\":");
    }

    @Test
    @DisplayName("bench --payload calls echo with that many bytes, on msgpack")
    void benchPayload() {
        CliRun r = CliRun.run("bench", "--transport", "memory", "--concurrency", "1", "--duration", "300ms", "--warmup", "0s",
                "--payload", "2048", "--encoder", "msgpack");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("encoder msgpack", "bob.echo(String of 2048 bytes)", "\"payload_bytes\":2048");
    }

    @Test
    @DisplayName("bench --baseline --rounds alternates framework and raw client and ends with the medians")
    void benchRounds() {
        CliRun r = CliRun.run("bench", "--transport", "http", "--concurrency", "2", "--duration", "300ms",
                "--warmup", "100ms", "--baseline", "--rounds", "3");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        String out = r.out();
        assertThat(out).contains("round 1 of 3: framework first", "round 2 of 3: raw client first",
                "round 3 of 3: framework first");
        // round 2: the raw client's figures come before the framework's, the ratio after both
        String round2 = out.substring(out.indexOf("round 2 of 3"), out.indexOf("round 3 of 3"));
        assertThat(round2.indexOf("baseline: ")).isLessThan(round2.indexOf("{\"bench\":\"iios\""));
        assertThat(round2.lastIndexOf("iios / raw")).isGreaterThan(round2.indexOf("{\"bench\":\"iios\""));
        assertThat(out.split("iios / raw", -1)).hasSize(4);
        assertThat(out).containsPattern("3 rounds, medians: iios [\\d.]+ calls/s, raw [\\d.]+ calls/s, ratio "
                + "[\\d.]+ \\(rounds: [\\d.]+ [\\d.]+ [\\d.]+\\)");
        String[] lines = out.strip().split("\n");
        assertThat(lines[lines.length - 1]).startsWith("{\"bench\":\"rounds\",\"transport\":\"http\"")
                .contains("\"rounds\":3", "\"ratio_median\":")
                .containsPattern("\"ratios\":\\[[\\d.]+,[\\d.]+,[\\d.]+\\]");
    }

    @Test
    @DisplayName("bench --rounds needs --baseline and at least one round, exit 1 with one line")
    void benchRoundsMisuse() {
        CliRun without = CliRun.run("bench", "--transport", "memory", "--rounds", "3");
        CliRun zero = CliRun.run("bench", "--transport", "memory", "--baseline", "--rounds", "0");

        assertThat(without.exitCode()).isEqualTo(1);
        assertThat(without.err().strip()).doesNotContain("\n").contains("--rounds", "--baseline");
        assertThat(zero.exitCode()).isEqualTo(1);
        assertThat(zero.err().strip()).doesNotContain("\n").contains("--rounds must be at least 1, got 0");
    }

    @Test
    @DisplayName("the median of the rounds: the middle one, or the mean of the two middle ones")
    void median() {
        assertThat(BenchCommand.median(java.util.List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(BenchCommand.median(java.util.List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThat(BenchCommand.median(java.util.List.of(0.7))).isEqualTo(0.7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "call", "ls", "events", "serve", "gateway", "bench", "acl"})
    @DisplayName("--help works on every subcommand")
    void help(String sub) {
        CliRun r = CliRun.run(sub, "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: iios " + sub).contains("--config=FILE", "--transport=NAME", "--help",
                "--version");
    }

    @Test
    void versionAndTopLevelHelp() {
        CliRun v = CliRun.run("--version");
        CliRun h = CliRun.run("--help");

        assertThat(v.exitCode()).isZero();
        assertThat(v.out()).startsWith("iios ");
        assertThat(h.exitCode()).isZero();
        assertThat(h.out()).contains("demo", "call", "ls", "events", "serve", "bench", "acl");
    }

    @Test
    @DisplayName("serve without iios.services says what to set, exit 1")
    void serveWithoutServices() {
        CliRun r = CliRun.run("serve");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("iios.services is empty");
    }

    @Test
    @DisplayName("serve names a missing class")
    void serveMissingClass(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("s.properties"), "iios.services=com.example.Missing\n");

        CliRun r = CliRun.run("serve", "--config", cfg.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n").contains("com.example.Missing", "--classpath");
    }
}
