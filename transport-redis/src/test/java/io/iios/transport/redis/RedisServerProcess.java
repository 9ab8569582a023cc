package io.iios.transport.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * A redis-server this test owns, on its own loopback port (17000-17999), without persistence. Stopped by
 * {@link #close()} and, as a last resort, by a shutdown hook.
 */
final class RedisServerProcess implements AutoCloseable {
    final int port;
    final Path dir;
    private Process process;
    private final Thread hook;

    private RedisServerProcess(int port, Path dir) {
        this.port = port;
        this.dir = dir;
        this.hook = new Thread(this::kill, "redis-server-" + port + "-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts a server on a free port; skips (or fails when brokers are required) without redis-server. */
    static RedisServerProcess start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("iios-redis-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        RedisServerProcess p = new RedisServerProcess(freePort(), dir);
        p.startAgain();
        return p;
    }

    String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** (Re)starts the server on the same port. */
    void startAgain() {
        List<String> cmd = List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString());
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile())
                    .start();
        } catch (IOException e) {
            String reason = "cannot run redis-server: " + e.getMessage();
            if (RedisTestSupport.brokersRequired()) {
                throw new IllegalStateException(reason, e);
            }
            Assumptions.abort(reason);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> answers(port));
    }

    /** Stops the server abruptly (SIGKILL), as a crash would. */
    void kill() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        for (int i = 0; i < 200; i++) {
            int port = 17000 + ThreadLocalRandom.current().nextInt(1000);
            if (answers(port) || answers(port + 10000)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free port in 17000-17999");
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // temp dir
        }
    }
}
