package io.iios.transport.mqtt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A {@code mosquitto} this test owns, on its own loopback port (18000-18999), with its own config file in a temp
 * directory, no persistence and a 3 MiB maximum packet size (so the payload-limit tests run). Optionally with
 * a password file and TLS (certificates made with the JDK's keytool). Stopped by {@link #close()} and, as a last
 * resort, by a shutdown hook; the shared broker on 1883 is never touched.
 */
final class MosquittoProcess implements AutoCloseable {
    static final long MAX_PACKET = 3L * 1024 * 1024;
    static final String USER = "iios";
    static final String PASSWORD = "s3cret-pass";
    private static final String STORE_PASS = "changeit";

    final int port;
    final Path dir;
    final boolean secure;
    private Process process;
    private final Thread hook;

    private MosquittoProcess(int port, Path dir, boolean secure) {
        this.port = port;
        this.dir = dir;
        this.secure = secure;
        this.hook = new Thread(this::kill, "mosquitto-" + port + "-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** A plain broker (anonymous, TCP). */
    static MosquittoProcess start() {
        return start(false);
    }

    /** A broker with a password file and TLS only. */
    static MosquittoProcess startSecure() {
        return start(true);
    }

    private static MosquittoProcess start(boolean secure) {
        Path dir;
        try {
            dir = Files.createTempDirectory("iios-mosquitto-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        MosquittoProcess p = new MosquittoProcess(freePort(), dir, secure);
        try {
            p.writeConfig();
            p.startAgain();
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
        return p;
    }

    String uri() {
        return (secure ? "ssl" : "tcp") + "://127.0.0.1:" + port;
    }

    Path caFile() {
        return dir.resolve("ca.pem");
    }

    private void writeConfig() {
        StringBuilder conf = new StringBuilder()
                .append("user ").append(System.getProperty("user.name")).append('\n')
                .append("persistence false\n")
                .append("log_dest file ").append(dir.resolve("mosquitto.log")).append('\n')
                .append("max_packet_size ").append(MAX_PACKET).append('\n')
                .append("listener ").append(port).append(" 127.0.0.1\n");
        try {
            if (secure) {
                makeCertificates();
                run(List.of("mosquitto_passwd", "-b", "-c", dir.resolve("passwd").toString(), USER, PASSWORD));
                conf.append("allow_anonymous false\n")
                        .append("password_file ").append(dir.resolve("passwd")).append('\n')
                        .append("cafile ").append(caFile()).append('\n')
                        .append("certfile ").append(dir.resolve("server.pem")).append('\n')
                        .append("keyfile ").append(dir.resolve("server.key")).append('\n');
            } else {
                conf.append("allow_anonymous true\n");
            }
            Files.writeString(dir.resolve("mosquitto.conf"), conf.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CA and a server certificate for 127.0.0.1, made with keytool; PEM files for mosquitto. */
    private void makeCertificates() throws IOException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        String ca = dir.resolve("ca.p12").toString();
        String server = dir.resolve("server.p12").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                "CN=iios-test-ca", "-ext", "bc:c", "-validity", "2", "-keystore", ca, "-storetype", "PKCS12",
                "-storepass", STORE_PASS));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", STORE_PASS, "-file",
                caFile().toString()));
        run(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                "CN=127.0.0.1", "-validity", "2", "-keystore", server, "-storetype", "PKCS12", "-storepass",
                STORE_PASS));
        run(List.of(keytool, "-certreq", "-alias", "server", "-keystore", server, "-storepass", STORE_PASS, "-file",
                dir.resolve("server.csr").toString()));
        run(List.of(keytool, "-gencert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", STORE_PASS, "-infile",
                dir.resolve("server.csr").toString(), "-outfile", dir.resolve("server.pem").toString(), "-ext",
                "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth", "-validity", "2"));
        try (var in = Files.newInputStream(Path.of(server))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, STORE_PASS.toCharArray());
            PrivateKey key = (PrivateKey) ks.getKey("server", STORE_PASS.toCharArray());
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(dir.resolve("server.key"), pem);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the server key", e);
        }
    }

    private void run(List<String> cmd) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("setup.log").toFile())
                    .start();
        } catch (IOException e) {
            MqttTestSupport.skipOrFail("cannot run " + cmd.get(0) + ": " + e.getMessage());
            throw e;
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(cmd.get(0) + " failed: " + Files.readString(dir.resolve("setup.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** (Re)starts the broker on the same port with the same config. */
    void startAgain() {
        try {
            process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        } catch (IOException e) {
            MqttTestSupport.skipOrFail("cannot run mosquitto: " + e.getMessage());
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> answers(port) || !process.isAlive());
        if (!process.isAlive()) {
            String log;
            try {
                log = Files.readString(dir.resolve("out.log")) + Files.readString(dir.resolve("mosquitto.log"));
            } catch (IOException e) {
                log = e.toString();
            }
            throw new IllegalStateException("mosquitto did not start: " + log);
        }
    }

    /** Stops the broker abruptly (SIGKILL), as a crash would. */
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
            int port = 18000 + ThreadLocalRandom.current().nextInt(1000);
            if (answers(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free port in 18000-18999");
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
