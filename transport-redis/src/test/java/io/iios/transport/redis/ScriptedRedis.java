package io.iios.transport.redis;

import io.iios.testsupport.Brokers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A Sentinel set or Cluster started by {@code scripts/redis-sentinel.sh} / {@code scripts/redis-cluster.sh}
 * in a temp dir; {@link #close()} (and a shutdown hook) stops it.
 */
final class ScriptedRedis implements AutoCloseable {
    final int basePort;
    private final Path script;
    private final Path dir;
    private final Thread hook;

    private ScriptedRedis(Path script, Path dir, int basePort) {
        this.script = script;
        this.dir = dir;
        this.basePort = basePort;
        this.hook = new Thread(this::stop, "scripted-redis-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Runs {@code scripts/NAME start DIR BASEPORT}, with {@code ports} free ports from BASEPORT on. */
    static ScriptedRedis start(String name, int ports) {
        Path script = Path.of("..", "scripts", name).toAbsolutePath().normalize();
        int base = freeRange(ports);
        Path dir;
        try {
            dir = Files.createTempDirectory("iios-" + name.replace(".sh", "") + "-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ScriptedRedis r = new ScriptedRedis(script, dir, base);
        try {
            int rc = r.exec("start");
            if (rc != 0) {
                String log = Files.readString(dir.resolve("script.log"));
                r.close();
                String reason = name + " start failed (exit " + rc + "): " + log;
                if (RedisTestSupport.brokersRequired()) {
                    throw new IllegalStateException(reason);
                }
                Assumptions.abort(reason);
            }
        } catch (IOException e) {
            r.close();
            if (RedisTestSupport.brokersRequired()) {
                throw new IllegalStateException(e);
            }
            Assumptions.abort("cannot run " + script + ": " + e.getMessage());
        }
        return r;
    }

    private int exec(String cmd) throws IOException {
        Process p = new ProcessBuilder("bash", script.toString(), cmd, dir.toString(), String.valueOf(basePort))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("script.log").toFile()))
                .start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        return p.exitValue();
    }

    private static int freeRange(int n) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = Brokers.freePort(17000);
            boolean ok = base + n < 18000;
            for (int i = 0; ok && i < n; i++) {
                ok = !Brokers.answers("127.0.0.1", base + i) && !Brokers.answers("127.0.0.1", base + i + 10000);
            }
            if (ok) {
                return base;
            }
        }
        throw new IllegalStateException("no free range of " + n + " ports in 17000-17999");
    }

    private void stop() {
        try {
            exec("stop");
        } catch (IOException ignored) {
            // nothing to stop
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // temp dir
        }
    }
}
