package io.iios.transport.mqtt.internal;

import io.iios.spi.TransportException;
import io.iios.transport.mqtt.MqttOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** The TLS socket factory for {@code ssl://}: a PEM CA file, a trust store, or the JVM's default trust. */
final class TlsContext {
    private TlsContext() {
    }

    static SSLSocketFactory socketFactory(MqttOptions o) {
        try {
            if (o.caFile() == null && o.truststore() == null) {
                return SSLContext.getDefault().getSocketFactory();
            }
            KeyStore trust;
            if (o.caFile() != null) {
                trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                try (InputStream in = Files.newInputStream(o.caFile())) {
                    int i = 0;
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        trust.setCertificateEntry("ca-" + i++, c);
                    }
                    if (i == 0) {
                        throw new TransportException(MqttOptions.CA_FILE + " '" + o.caFile()
                                + "' holds no PEM certificate");
                    }
                }
            } else {
                Path ts = o.truststore();
                String pass = o.truststorePassword();
                trust = KeyStore.getInstance(ts.toString().endsWith(".jks") ? "JKS" : "PKCS12");
                try (InputStream in = Files.newInputStream(ts)) {
                    trust.load(in, pass == null ? null : pass.toCharArray());
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new TransportException("cannot load the MQTT TLS trust (" + (o.caFile() != null
                    ? MqttOptions.CA_FILE + "=" + o.caFile() : MqttOptions.TRUSTSTORE + "=" + o.truststore()) + "): "
                    + e.getMessage(), e);
        }
    }
}
