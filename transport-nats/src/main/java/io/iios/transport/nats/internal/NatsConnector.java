package io.iios.transport.nats.internal;

import io.iios.spi.TransportException;
import io.iios.spi.TransportUnavailableException;
import io.iios.transport.nats.NatsOptions;
import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.security.GeneralSecurityException;

/** Builds jnats {@link Options} from {@link NatsOptions} and opens a connection. */
final class NatsConnector {
    private NatsConnector() {
    }

    /** Options for a transport connection (reconnect forever by default, UTF-8 subjects, no reconnect buffer). */
    static Options.Builder options(NatsOptions o, String defaultName) {
        Options.Builder b = new Options.Builder()
                .servers(o.servers().toArray(String[]::new))
                .connectionName(o.connectionName() == null ? defaultName : o.connectionName())
                .maxReconnects(o.maxReconnects())
                .reconnectWait(o.reconnectWait())
                .connectionTimeout(o.connectTimeout())
                .supportUTF8Subjects()
                // room for the keep-alive PING plus a subscribe's flush PING under load (each waits for a PONG)
                .maxPingsOut(4)
                // fail fast: while disconnected nothing is buffered for later (calls would otherwise hang)
                .reconnectBufferSize(0);
        if (o.user() != null) {
            b.userInfo(o.user(), o.password() == null ? "" : o.password());
        } else if (o.token() != null) {
            b.token(o.token().toCharArray());
        } else if (o.nkeySeed() != null) {
            b.authHandler(nkey(o.nkeySeed()));
        } else if (o.credentials() != null) {
            b.authHandler(Nats.credentials(o.credentials().toString()));
        }
        if (o.tls() || o.truststore() != null || o.keystore() != null) {
            try {
                if (o.truststore() != null) {
                    b.truststorePath(o.truststore().toString());
                    if (o.truststorePassword() != null) {
                        b.truststorePassword(o.truststorePassword().toCharArray());
                    }
                }
                if (o.keystore() != null) {
                    b.keystorePath(o.keystore().toString());
                    if (o.keystorePassword() != null) {
                        b.keystorePassword(o.keystorePassword().toCharArray());
                    }
                }
                if (o.truststore() == null && o.keystore() == null) {
                    b.secure();
                }
            } catch (GeneralSecurityException e) {
                throw new TransportException("cannot set up TLS for NATS: " + e.getMessage(), e);
            }
        }
        return b;
    }

    /** Connects, wrapping failures. */
    static Connection connect(NatsOptions o, String defaultName, ConnectionListener cl, ErrorListener el) {
        Options opts = options(o, defaultName).connectionListener(cl).errorListener(el).build();
        return connect(opts, o);
    }

    /** Connects with plain options (the baseline). */
    static Connection connect(NatsOptions o, String name) {
        return connect(options(o, name).errorListener(new ErrorListener() {
        }).build(), o);
    }

    private static Connection connect(Options opts, NatsOptions o) {
        try {
            return Nats.connect(opts);
        } catch (IOException e) {
            throw new TransportUnavailableException("cannot connect to NATS at " + o.servers() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while connecting to NATS at " + o.servers(), e);
        } catch (RuntimeException e) {
            throw new TransportException("cannot connect to NATS at " + o.servers() + ": " + e.getMessage(), e);
        }
    }

    private static AuthHandler nkey(String seed) {
        NKey key = NKey.fromSeed(seed.toCharArray());
        return new AuthHandler() {
            @Override
            public byte[] sign(byte[] nonce) {
                try {
                    return key.sign(nonce);
                } catch (GeneralSecurityException | IOException e) {
                    throw new IllegalStateException("cannot sign the NATS nonce with the NKey seed", e);
                }
            }

            @Override
            public char[] getID() {
                try {
                    return key.getPublicKey();
                } catch (GeneralSecurityException | IOException e) {
                    throw new IllegalStateException("invalid NKey seed", e);
                }
            }

            @Override
            public char[] getJWT() {
                return null;
            }
        };
    }
}
