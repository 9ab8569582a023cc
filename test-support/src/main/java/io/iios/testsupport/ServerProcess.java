package io.iios.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A broker process a test owns: on its own loopback port, with a temp directory for its files and logs,
 * (re)started by {@link #startAgain()}, killed with SIGKILL by {@link #kill()} (as a crash would), removed by
 * {@link #close()} and, as a last resort, by a shutdown hook. The shared brokers on the default ports are
 * never touched. A missing binary skips the test, or fails it when brokers are required ({@link Brokers}).
 */
public final class ServerProcess implements AutoCloseable {
    public final String name;
    public final int port;
    public final Path dir;
    private final Function<ServerProcess, List<String>> command;
    private final Thread hook;
    private volatile Process process;

    private ServerProcess(String name, int port, Path dir, Function<ServerProcess, List<String>> command) {
        this.name = name;
        this.port = port;
        this.dir = dir;
        this.command = command;
        this.hook = new Thread(this::kill, name + "-" + port + "-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts a server on a free port of {@code [portsFrom, portsFrom + 1000)}.
     *
     * @param prepare runs once before the first start (e.g. writes a config file into {@link #dir})
     * @param command the command line, built from the process (its port and directory)
     */
    public static ServerProcess start(String name, int portsFrom, Consumer<ServerProcess> prepare,
            Function<ServerProcess, List<String>> command) {
        Path dir;
        try {
            dir = Files.createTempDirectory("iios-" + name + "-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ServerProcess p = new ServerProcess(name, Brokers.freePort(portsFrom), dir, command);
        try {
            prepare.accept(p);
            p.startAgain();
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
        return p;
    }

    /** A redis-server without persistence, on 17000-17999. */
    public static ServerProcess redis() {
        return start("redis", 17000, p -> { }, p -> List.of("redis-server", "--port", String.valueOf(p.port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", p.dir.toString(),
                "--logfile", p.dir.resolve("redis.log").toString()));
    }

    /** A nats-server with JetStream (storage in its directory: streams survive a restart), on 18000-18999. */
    public static ServerProcess nats() {
        return start("nats", 18000, p -> { }, p -> List.of("/usr/sbin/nats-server", "-a", "127.0.0.1", "-p",
                String.valueOf(p.port), "-js", "-sd", p.dir.resolve("js").toString(), "-l",
                p.dir.resolve("nats.log").toString()));
    }

    /** {@code scheme://127.0.0.1:port}. */
    public String uri(String scheme) {
        return scheme + "://127.0.0.1:" + port;
    }

    /** (Re)starts the server on the same port and directory; returns once it accepts connections. */
    public void startAgain() {
        List<String> cmd = command.apply(this);
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile())
                    .start();
        } catch (IOException e) {
            Brokers.skipOrFail("cannot run " + cmd.get(0) + ": " + e.getMessage());
        }
        Process p = process;
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> Brokers.answers("127.0.0.1", port) || !p.isAlive());
        if (!p.isAlive()) {
            throw new IllegalStateException(name + " did not start (" + String.join(" ", cmd) + "): " + logs());
        }
    }

    /** A crash and a restart: {@link #kill()} then {@link #startAgain()} (a TCK {@code BrokerControl}). */
    public void restart() {
        kill();
        startAgain();
    }

    /** Whether the process runs. */
    public boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Stops the server abruptly (SIGKILL), as a crash would. */
    public void kill() {
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

    /** The text of every {@code *.log} file in its directory, for a failure message. */
    public String logs() {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList()) {
                sb.append("--- ").append(f.getFileName()).append('\n').append(Files.readString(f));
            }
        } catch (IOException e) {
            sb.append(e);
        }
        return sb.toString();
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
