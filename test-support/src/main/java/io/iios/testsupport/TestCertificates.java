package io.iios.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and a server certificate for {@code 127.0.0.1}/{@code localhost}, made with the JDK's
 * keytool in a directory, valid two days: PEM files for brokers (mosquitto, redis-server), PKCS12 stores
 * for Java servers and clients.
 *
 * @param caPem the CA certificate (PEM) — what a client trusts
 * @param serverPem the server certificate signed by the CA (PEM)
 * @param serverKey the server's private key (PEM, PKCS#8)
 * @param serverP12 the server's key and certificate (PKCS12, alias {@code server})
 * @param trustP12 a trust store holding the CA (PKCS12)
 * @param password the password of both stores
 */
public record TestCertificates(Path caPem, Path serverPem, Path serverKey, Path serverP12, Path trustP12,
        String password) {
    private static final String PASS = "changeit";

    /** Makes the files in {@code dir}; skips the test (or fails it when brokers are required) without keytool. */
    public static TestCertificates create(Path dir) {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        String ca = dir.resolve("ca.p12").toString();
        Path server = dir.resolve("server.p12");
        TestCertificates c = new TestCertificates(dir.resolve("ca.pem"), dir.resolve("server.pem"),
                dir.resolve("server.key"), server, dir.resolve("trust.p12"), PASS);
        Path log = dir.resolve("certificates.log");
        run(log, keytool, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                "CN=iios-test-ca", "-ext", "bc:c", "-validity", "2", "-keystore", ca, "-storetype", "PKCS12",
                "-storepass", PASS);
        run(log, keytool, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", PASS, "-file",
                c.caPem.toString());
        run(log, keytool, "-importcert", "-noprompt", "-alias", "ca", "-file", c.caPem.toString(), "-keystore",
                c.trustP12.toString(), "-storetype", "PKCS12", "-storepass", PASS);
        run(log, keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                "CN=127.0.0.1", "-validity", "2", "-keystore", server.toString(), "-storetype", "PKCS12",
                "-storepass", PASS);
        run(log, keytool, "-certreq", "-alias", "server", "-keystore", server.toString(), "-storepass", PASS,
                "-file", dir.resolve("server.csr").toString());
        run(log, keytool, "-gencert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", PASS, "-infile",
                dir.resolve("server.csr").toString(), "-outfile", c.serverPem.toString(), "-ext",
                "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth", "-validity", "2");
        // the signed chain back into the server's store, so Java servers present the CA-signed certificate
        try {
            Files.writeString(dir.resolve("chain.pem"), Files.readString(c.serverPem) + Files.readString(c.caPem));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        run(log, keytool, "-importcert", "-noprompt", "-alias", "server", "-file", dir.resolve("chain.pem").toString(),
                "-keystore", server.toString(), "-storepass", PASS);
        try (InputStream in = Files.newInputStream(server)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASS.toCharArray());
            PrivateKey key = (PrivateKey) ks.getKey("server", PASS.toCharArray());
            Files.writeString(c.serverKey, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the server key: " + e.getMessage(), e);
        }
        return c;
    }

    private static void run(Path log, String... cmd) {
        Process p;
        try {
            p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            Brokers.skipOrFail("cannot run " + cmd[0] + ": " + e.getMessage());
            return;
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
