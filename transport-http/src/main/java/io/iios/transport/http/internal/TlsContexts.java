package io.iios.transport.http.internal;

import io.helidon.common.tls.Tls;
import io.iios.api.ConfigException;
import io.iios.transport.http.HttpOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/** The SSL contexts of {@code iios.http.tls.*}: the server's key, the clients' trust. */
public final class TlsContexts {

    private TlsContexts() {
    }

    /** The server's TLS (its key store, and the trust store for clients it may ask), or null for plain HTTP. */
    static @Nullable Tls server(HttpOptions.Tls t) {
        Path ks = t.keystore();
        if (ks == null) {
            return null;
        }
        try {
            KeyStore store = load(ks, t.keystorePassword(), t.keystoreType(), "iios.http.tls.keystore");
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, t.keystorePassword().toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return Tls.builder().sslContext(ctx).build();
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException("iios.http.tls.keystore " + ks + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** The context trusting {@code iios.http.tls.truststore}, or null for the JVM's default trust. */
    public static @Nullable SSLContext client(HttpOptions.Tls t) {
        Path ts = t.truststore();
        if (ts == null) {
            return null;
        }
        try {
            KeyStore store = load(ts, t.truststorePassword(), t.truststoreType(), "iios.http.tls.truststore");
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException("iios.http.tls.truststore " + ts + " cannot be used: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, String password, String type, String key) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        } catch (java.io.IOException e) {
            throw new ConfigException(key + " " + file + " cannot be read as " + type + " with the given password ("
                    + key + "-password): " + e.getMessage(), e);
        }
        return store;
    }
}
