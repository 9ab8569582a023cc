package io.iios.transport.mqtt;

import io.iios.testsupport.Brokers;
import io.iios.testsupport.ServerProcess;
import io.iios.testsupport.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code mosquitto} this test owns ({@link ServerProcess}, ports 18000-18999) with its own config file, no
 * persistence and a 3 MiB maximum packet size (so the payload-limit tests run). Optionally with a password
 * file and TLS ({@link TestCertificates}, made once per JVM). The shared broker on 1883 is never touched.
 */
final class MosquittoProcess implements AutoCloseable {
    static final long MAX_PACKET = 3L * 1024 * 1024;
    static final String USER = "iios";
    static final String PASSWORD = "s3cret-pass";

    /** One CA and server certificate for every secure broker of this JVM (keytool runs 7 JVMs: ~5-30 s). */
    private static TestCertificates certificates;

    final boolean secure;
    private final ServerProcess process;

    private MosquittoProcess(boolean secure) {
        this.secure = secure;
        this.process = ServerProcess.start("mosquitto", 18000, this::writeConfig,
                p -> List.of("mosquitto", "-c", p.dir.resolve("mosquitto.conf").toString()));
    }

    /** A plain broker (anonymous, TCP). */
    static MosquittoProcess start() {
        return new MosquittoProcess(false);
    }

    /** A broker with a password file and TLS only. */
    static MosquittoProcess startSecure() {
        return new MosquittoProcess(true);
    }

    /** A loopback port nothing listens on now. */
    static int freePort() {
        return Brokers.freePort(18000);
    }

    String uri() {
        return process.uri(secure ? "ssl" : "tcp");
    }

    Path caFile() {
        return certificates().caPem();
    }

    private static synchronized TestCertificates certificates() {
        if (certificates == null) {
            try {
                Path dir = Files.createTempDirectory("iios-mqtt-certs-");
                certificates = TestCertificates.create(dir);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return certificates;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory: best effort
        }
    }

    private void writeConfig(ServerProcess p) {
        StringBuilder conf = new StringBuilder()
                .append("user ").append(System.getProperty("user.name")).append('\n')
                .append("persistence false\n")
                .append("log_dest file ").append(p.dir.resolve("mosquitto.log")).append('\n')
                .append("max_packet_size ").append(MAX_PACKET).append('\n')
                .append("listener ").append(p.port).append(" 127.0.0.1\n");
        try {
            if (secure) {
                TestCertificates certs = certificates();
                passwordFile(p.dir);
                conf.append("allow_anonymous false\n")
                        .append("password_file ").append(p.dir.resolve("passwd")).append('\n')
                        .append("cafile ").append(certs.caPem()).append('\n')
                        .append("certfile ").append(certs.serverPem()).append('\n')
                        .append("keyfile ").append(certs.serverKey()).append('\n');
            } else {
                conf.append("allow_anonymous true\n");
            }
            Files.writeString(p.dir.resolve("mosquitto.conf"), conf.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void passwordFile(Path dir) throws IOException {
        Path log = dir.resolve("passwd.log");
        Process p;
        try {
            p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", dir.resolve("passwd").toString(), USER, PASSWORD)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            Brokers.skipOrFail("cannot run mosquitto_passwd: " + e.getMessage());
            throw e;
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("mosquitto_passwd failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** (Re)starts the broker on the same port with the same config. */
    void startAgain() {
        process.startAgain();
    }

    /** A crash and a restart (a TCK {@code BrokerControl}). */
    void restart() {
        process.restart();
    }

    /** Stops the broker abruptly (SIGKILL), as a crash would. */
    void kill() {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }
}
