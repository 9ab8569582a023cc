package io.iios.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the built {@code target/iios.jar} as users do: {@code java -jar}. */
class CliJarIT {
    private static final Path JAR = Path.of(System.getProperty("iios.jar", "target/iios.jar")).toAbsolutePath();
    private static final Duration BOUND = Duration.ofSeconds(180); // a bound, not a speed check: `tck` took 72 s at load 11

    @Test
    @DisplayName("java -jar iios.jar demo exits 0 with every step")
    void demo(@TempDir Path dir) throws Exception {
        Finished r = runToEnd(dir, "demo");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("bob is live", "-> 3\n", "-> \"hello world\"", "(int) 42",
                "on(\"iios:bob:event:coucou\") got payload {\"text\":\"salut\"}",
                "RemoteFailureException: remote type java.lang.IllegalStateException",
                "BadMessageException", "ServiceUnavailableException", "\"noted: hi\"", "AccessDeniedException",
                "bob  (1 instance)", "demo finished");
    }

    @Test
    @DisplayName("java -jar iios.jar demo --transport redis runs the demo across the local Redis, exit 0")
    void demoOnRedis(@TempDir Path dir) throws Exception {
        requireBroker(6379, "no Redis on 127.0.0.1:6379");
        Path config = Files.writeString(dir.resolve("redis.properties"),
                "iios.redis.uri=redis://127.0.0.1:6379\niios.namespace=demo" + Long.toHexString(System.nanoTime()) + "\n");
        Finished r = runToEnd(dir, "demo", "--transport", "redis", "--config", config.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("transport redis", "bob is live", "-> 3\n", "(int) 42",
                "got payload {\"text\":\"salut\"}", "RemoteFailureException", "demo finished");
    }

    @Test
    @DisplayName("java -jar iios.jar demo --transport nats runs the demo across the local NATS, exit 0")
    void demoOnNats(@TempDir Path dir) throws Exception {
        requireBroker(4222, "no NATS on 127.0.0.1:4222");
        String ns = "demo" + Long.toHexString(System.nanoTime());
        Path config = Files.writeString(dir.resolve("nats.properties"),
                "iios.nats.servers=nats://127.0.0.1:4222\niios.namespace=" + ns + "\n");
        try {
            Finished r = runToEnd(dir, "demo", "--transport", "nats", "--config", config.toString());

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("transport nats", "bob is live", "-> 3\n", "(int) 42",
                    "got payload {\"text\":\"salut\"}", "RemoteFailureException", "demo finished");
        } finally {
            try (io.nats.client.Connection c = io.nats.client.Nats.connect("nats://127.0.0.1:4222")) {
                c.keyValueManagement().delete("iios-" + ns); // the demo's KV bucket
            } catch (Exception ignored) {
                // never created, or no server
            }
        }
    }

    @Test
    @DisplayName("java -jar iios.jar demo --transport http runs broker-less (its own discovery server) and calls the REST gateway, exit 0")
    void demoOnHttp(@TempDir Path dir) throws Exception {
        Finished r = runToEnd(dir, "demo", "--transport", "http");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("transport http", "bob is live", "-> 3\n", "(int) 42",
                "got payload {\"text\":\"salut\"}", "/api/bob/hello?a=world", "-> 200 \"hello world\"",
                "demo finished");
    }

    @Test
    @DisplayName("java -jar iios.jar tck --transport http certifies the broker-less transport, exit 0")
    void tckOnHttp(@TempDir Path dir) throws Exception {
        Finished r = runToEnd(dir, "tck", "--transport", "http");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("(?m)^[1-9][0-9]* passed, 0 failed, [0-9]+ skipped$");
    }

    @Test
    @DisplayName("java -jar iios.jar demo --transport mqtt runs the demo across the local Mosquitto, exit 0")
    void demoOnMqtt(@TempDir Path dir) throws Exception {
        requireBroker(1883, "no MQTT broker on 127.0.0.1:1883");
        String namespace = "demo" + Long.toHexString(System.nanoTime());
        Path config = Files.writeString(dir.resolve("mqtt.properties"),
                "iios.mqtt.uri=tcp://127.0.0.1:1883\niios.namespace=" + namespace + "\n");
        try {
            Finished r = runToEnd(dir, "demo", "--transport", "mqtt", "--config", config.toString());

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("transport mqtt", "bob is live", "-> 3\n", "(int) 42",
                    "got payload {\"text\":\"salut\"}", "RemoteFailureException", "demo finished");
        } finally {
            // the broker persists retained messages: clear the demo's records (RBAC roles)
            try (io.iios.spi.Transport t = new io.iios.transport.mqtt.MqttTransportProvider().create(
                    io.iios.spi.TransportConfig.of(namespace, java.util.Map.of("iios.mqtt.uri", "tcp://127.0.0.1:1883"),
                            io.iios.spi.TransportListener.NONE))) {
                for (String k : t.kv().keys(namespace + ":")) {
                    t.kv().delete(k);
                }
            } catch (RuntimeException e) {
                // best effort
            }
        }
    }

    @Test
    @DisplayName("java -jar iios.jar tck --transport memory certifies the embedded transport, exit 0")
    void tckOnMemory(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("tck.json");
        Finished r = runToEnd(dir, "tck", "--transport", "memory", "--report", report.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("(?m)^[1-9][0-9]* passed, 0 failed, [0-9]+ skipped$")
                .contains("RPC: ", "Discovery: ", "PubSub: ", "KvStore: ");
        assertThat(Files.readString(report)).contains("\"transport\" : \"memory\"", "\"failed\" : 0");
    }

    @Test
    @DisplayName("an unknown transport: one line on stderr listing the available transports, exit 1")
    void unknownTransport(@TempDir Path dir) throws Exception {
        Finished r = runToEnd(dir, "demo", "--transport", "nope");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n").contains("unknown transport 'nope'")
                .containsPattern("available: \\[[a-z, ]*memory, [a-z, ]*mqtt, [a-z, ]*nats, [a-z, ]*redis").contains("http");
    }

    @Test
    @DisplayName("the jar merges META-INF/services: memory, Redis and MQTT transports, baselines and both encoders")
    void servicesMerged() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("io.iios.cli.IiosCommand");
            assertThat(providers(jar, "io.iios.spi.TransportProvider"))
                    .contains("io.iios.core.internal.memory.MemoryTransportProvider",
                            "io.iios.transport.redis.RedisTransportProvider",
                            "io.iios.transport.http.HttpTransportProvider",
                            "io.iios.transport.mqtt.MqttTransportProvider",
                            "io.iios.transport.nats.NatsTransportProvider");
            assertThat(providers(jar, "io.iios.core.extension.NodeExtension"))
                    .contains("io.iios.transport.http.HttpNodeExtension");
            assertThat(providers(jar, "io.iios.spi.BenchBaseline"))
                    .contains("io.iios.transport.redis.internal.RawJedisBaseline",
                            "io.iios.transport.mqtt.internal.RawPahoBaseline",
                            "io.iios.transport.nats.internal.RawJnatsBaseline");
            assertThat(providers(jar, "io.iios.spi.EncoderProvider")).contains(
                    "io.iios.core.internal.codec.JsonEncoderProvider", "io.iios.core.internal.codec.MsgpackEncoderProvider");
            assertThat(jar.stream().map(JarEntry::getName))
                    .noneMatch(n -> n.endsWith(".SF") || n.endsWith(".DSA") || n.endsWith(".RSA"))
                    .noneMatch(n -> n.equals("module-info.class") || n.matches("META-INF/versions/\\d+/module-info.class"));
        }
    }

    @Test
    @DisplayName("serve hosts a class from a --classpath jar and exits 0 on SIGTERM")
    void serve(@TempDir Path dir) throws Exception {
        Path serviceJar = compileServiceJar(dir);
        Path config = Files.writeString(dir.resolve("serve.properties"),
                "iios.services=sample.Greeter\niios.transport=memory\n");
        Path out = dir.resolve("serve.out");
        Path err = dir.resolve("serve.err");
        Process p = start(out, err, "serve", "--config", config.toString(), "--classpath", serviceJar.toString());
        try {
            await().atMost(BOUND).until(() -> Files.readString(out).contains("running; stop with"));
            assertThat(Files.readString(out)).containsPattern("serving greeter \\(sample.Greeter\\) as instance \\S+ "
                    + "on transport memory, namespace iios");

            p.destroy(); // SIGTERM
            await().atMost(BOUND).until(() -> !p.isAlive());

            assertThat(p.exitValue()).as(Files.readString(err)).isZero();
            assertThat(Files.readString(out)).contains("stopped; services deregistered");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    @DisplayName("serve with a class that is not on the classpath: one line, exit 1")
    void serveMissingClass(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("serve.properties"), "iios.services=sample.Nobody\n");

        Finished r = runToEnd(dir, "serve", "--config", config.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n").contains("sample.Nobody");
    }

    private static List<String> providers(JarFile jar, String service) throws IOException {
        JarEntry e = jar.getJarEntry("META-INF/services/" + service);
        assertThat(e).as("META-INF/services/" + service).isNotNull();
        try (InputStream in = jar.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }

    /** Compiles a small @Service class against the iios jar and packs it into a jar. */
    private static Path compileServiceJar(Path dir) throws IOException {
        Path src = dir.resolve("src/sample/Greeter.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package sample;

                import io.iios.api.Get;
                import io.iios.api.Service;

                @Service("greeter")
                public class Greeter {
                    @Get
                    public String greet(String name) {
                        return "hi " + name;
                    }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "--release", "21", "-classpath", JAR.toString(),
                "-d", classes.toString(), src.toString());
        assertThat(rc).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();
        Path jar = dir.resolve("greeter.jar");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(os);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                jos.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                jos.write(Files.readAllBytes(f));
                jos.closeEntry();
            }
        }
        return jar;
    }

    private record Finished(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private static Finished runToEnd(Path dir, String... args) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = start(out, err, args);
        try {
            assertThat(p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("iios %s ended", List.of(args)).isTrue();
            return new Finished(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
        }
    }

    private static Process start(Path out, Path err, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    /**
     * Skips the test when nothing answers on the port, unless brokers are required
     * ({@code IIOS_REQUIRE_BROKERS=true}), where the test runs and fails on its own.
     */
    private static void requireBroker(int port, String reason) {
        boolean up;
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            up = true;
        } catch (IOException e) {
            up = false;
        }
        boolean required = "true".equalsIgnoreCase(System.getenv("IIOS_REQUIRE_BROKERS"))
                || "true".equalsIgnoreCase(System.getProperty("iios.require.brokers"));
        org.junit.jupiter.api.Assumptions.assumeTrue(up || required, reason);
    }
}
