package io.iios.compat.node;

import io.iios.testsupport.Brokers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * The Node side of the interop tests: the fixture folder {@code src/test/node} (package.json +
 * package-lock.json for {@code @ignitial/iio-services@2.5.3}), installed once with {@code npm ci}, and
 * the Node processes the tests start from it. Without Redis, node or npm a test is skipped, unless
 * {@code IIOS_REQUIRE_BROKERS=true}, where it fails.
 */
final class NodeFixture {
    static final Path DIR = Path.of("src", "test", "node").toAbsolutePath();
    static final String REDIS = "redis://127.0.0.1:6379/0";
    private static final ReentrantLock INSTALL = new ReentrantLock();
    private static volatile boolean installed;

    private NodeFixture() {
    }

    static boolean required() {
        return Brokers.required();
    }

    static void unavailable(String reason) {
        Brokers.skipOrFail(reason);
    }

    /**
     * Closes what a test class opened, last first (a failure does not stop the others), then deletes the
     * namespace's keys ({@link #deleteKeys}); {@code ns} null when nothing was started.
     */
    static void closeAll(List<? extends AutoCloseable> open, String ns, String acns) {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // keep closing the others
            }
        }
        if (ns != null) {
            deleteKeys(ns, acns);
        }
    }

    /** Checks Redis, node and npm, and runs {@code npm ci} once per JVM when node_modules is stale. */
    static void require() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 6379), 1000);
        } catch (IOException e) {
            unavailable("no Redis answers at 127.0.0.1:6379 (" + e.getMessage() + ")");
        }
        for (String tool : List.of("node", "npm")) {
            try {
                Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    unavailable("'" + tool + " --version' failed");
                }
            } catch (IOException e) {
                unavailable(tool + " is not installed (" + e.getMessage() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        INSTALL.lock();
        try {
            if (!installed) {
                install();
                installed = true;
            }
        } finally {
            INSTALL.unlock();
        }
    }

    private static void install() {
        try {
            Path marker = DIR.resolve("node_modules/.package-lock.json");
            Path lock = DIR.resolve("package-lock.json");
            if (Files.exists(marker) && Files.exists(DIR.resolve("node_modules/@ignitial/iio-services/package.json"))
                    && Files.getLastModifiedTime(marker).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
                return; // npm ci already ran for this lock file
            }
            Path log = Path.of("target", "npm-ci.log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                unavailable("npm ci did not finish within 5 minutes (see " + log + ")");
            }
            if (p.exitValue() != 0) {
                unavailable("npm ci failed with " + p.exitValue() + ": " + Files.readString(log));
            }
        } catch (IOException e) {
            unavailable("cannot run npm ci: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A fresh namespace, so a test run never sees another's keys. */
    static String namespace() {
        return "jc" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** Deletes the keys of a namespace in DB 0 and of an access control namespace in DB 1 (never FLUSH). */
    static void deleteKeys(String ns, String acns) {
        try (RedisClient db0 = RedisClient.builder().fromURI(java.net.URI.create("redis://127.0.0.1:6379/0")).build();
                RedisClient db1 = RedisClient.builder().fromURI(java.net.URI.create("redis://127.0.0.1:6379/1")).build()) {
            for (String k : db0.scanIteration(500, "iios:" + ns + ":*").collect(new ArrayList<>())) {
                db0.del(k);
            }
            for (String pattern : List.of("__role:" + acns + ":*", "__user:" + acns + ":*")) {
                for (String k : db1.scanIteration(500, pattern).collect(new ArrayList<>())) {
                    db1.del(k);
                }
            }
        }
    }

    /** A Node process started from the fixture folder; {@link #close()} always ends it. */
    static class NodeProcess implements AutoCloseable {
        final String name;
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        private final Writer stdin;

        NodeProcess(String name, String script, Map<String, String> env) {
            this.name = name;
            ProcessBuilder pb = new ProcessBuilder("node", script).directory(DIR.toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start node " + script, e);
            }
            // never leave a Node process behind, even when the JVM ends without running @AfterAll
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread.ofVirtual().name("node-" + name).start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                        if (line.equals("READY")) {
                            ready.complete(null);
                        }
                        onLine(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
                ready.completeExceptionally(new IllegalStateException("node process " + name + " ended before READY: "
                        + lines));
            });
        }

        void onLine(String line) {
        }

        NodeProcess awaitReady() {
            try {
                ready.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                close();
                throw new IllegalStateException("node process " + name + " not ready: " + lines, e);
            }
            return this;
        }

        void send(String line) {
            try {
                stdin.write(line);
                stdin.write('\n');
                stdin.flush();
            } catch (IOException e) {
                throw new IllegalStateException("node process " + name + " does not take input: " + lines, e);
            }
        }

        boolean alive() {
            return process.isAlive();
        }

        /** SIGTERM (Node deregisters: DEL of its record), then SIGKILL if it lingers. */
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** The channels matching a glob that have subscribers ({@code PUBSUB CHANNELS}). */
    @SuppressWarnings("unchecked")
    static List<String> channels(RedisClient redis, String glob) {
        List<Object> raw = (List<Object>) redis.sendCommand(Protocol.Command.PUBSUB, "CHANNELS",
                glob);
        List<String> out = new ArrayList<>();
        raw.forEach(o -> out.add(o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o)));
        return out;
    }

    static RedisClient redis(int db) {
        return RedisClient.builder().fromURI(java.net.URI.create("redis://127.0.0.1:6379/" + db)).build();
    }
}
