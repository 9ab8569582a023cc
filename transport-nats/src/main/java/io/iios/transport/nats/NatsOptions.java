package io.iios.transport.nats;

import static io.iios.spi.Settings.bool;
import static io.iios.spi.Settings.duration;
import static io.iios.spi.Settings.envName;
import static io.iios.spi.Settings.integer;
import static io.iios.spi.Settings.invalid;
import static io.iios.spi.Settings.optional;

import io.iios.spi.TransportConfig;
import io.iios.spi.TransportException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The settings of the NATS transport, read from {@code iios.nats.*} (see {@code docs/configuration.md}).
 *
 * @param servers server URLs ({@code nats://host:port} or {@code tls://host:port}); the client picks one and
 *     fails over to the others (and to servers the cluster announces)
 * @param user user name for user/password authentication, or null
 * @param password password, or null
 * @param token authentication token, or null
 * @param nkeySeed NKey user seed ({@code SU…}) for NKey authentication, or null
 * @param credentials a {@code .creds} file (JWT + NKey seed), or null
 * @param tls whether to require TLS (also implied by a {@code tls://} URL)
 * @param truststore trust store (PKCS12 or JKS) for TLS, or null for the JVM's default trust
 * @param truststorePassword its password, or null
 * @param keystore key store holding the client certificate for mutual TLS, or null
 * @param keystorePassword its password, or null
 * @param connectionName the name the server shows for the connection, or null for {@code iios-NAMESPACE}
 * @param maxReconnects reconnect attempts before giving up; -1 tries forever
 * @param reconnectWait delay between attempts on the same server
 * @param connectTimeout timeout of one connection attempt
 * @param timeout timeout of a JetStream (KV) request
 * @param kvReplicas replicas of a KV bucket this transport creates
 * @param kvStorage storage of a KV bucket this transport creates
 * @param pendingLimit messages a subscription may hold before the client drops (slow consumer)
 */
public record NatsOptions(List<String> servers, @Nullable String user, @Nullable String password,
        @Nullable String token, @Nullable String nkeySeed, @Nullable Path credentials, boolean tls,
        @Nullable Path truststore, @Nullable String truststorePassword, @Nullable Path keystore,
        @Nullable String keystorePassword, @Nullable String connectionName, int maxReconnects,
        Duration reconnectWait, Duration connectTimeout, Duration timeout, int kvReplicas, Storage kvStorage,
        int pendingLimit) {

    public static final String SERVERS = "iios.nats.servers";
    public static final String USER = "iios.nats.user";
    public static final String PASSWORD = "iios.nats.password";
    public static final String TOKEN = "iios.nats.token";
    public static final String NKEY_SEED = "iios.nats.nkey-seed";
    public static final String CREDENTIALS = "iios.nats.credentials";
    public static final String TLS = "iios.nats.tls";
    public static final String TRUSTSTORE = "iios.nats.truststore";
    public static final String TRUSTSTORE_PASSWORD = "iios.nats.truststore-password";
    public static final String KEYSTORE = "iios.nats.keystore";
    public static final String KEYSTORE_PASSWORD = "iios.nats.keystore-password";
    public static final String CONNECTION_NAME = "iios.nats.connection-name";
    public static final String MAX_RECONNECTS = "iios.nats.max-reconnects";
    public static final String RECONNECT_WAIT = "iios.nats.reconnect-wait";
    public static final String CONNECT_TIMEOUT = "iios.nats.connect-timeout";
    public static final String TIMEOUT = "iios.nats.timeout";
    public static final String KV_REPLICAS = "iios.nats.kv-replicas";
    public static final String KV_STORAGE = "iios.nats.kv-storage";
    public static final String PENDING_LIMIT = "iios.nats.pending-limit";

    /** Every key this transport reads. */
    public static final Set<String> KEYS = Set.of(SERVERS, USER, PASSWORD, TOKEN, NKEY_SEED, CREDENTIALS, TLS,
            TRUSTSTORE, TRUSTSTORE_PASSWORD, KEYSTORE, KEYSTORE_PASSWORD, CONNECTION_NAME, MAX_RECONNECTS,
            RECONNECT_WAIT, CONNECT_TIMEOUT, TIMEOUT, KV_REPLICAS, KV_STORAGE, PENDING_LIMIT);

    /** Default server. */
    public static final String DEFAULT_SERVERS = "nats://127.0.0.1:4222";

    /** Where a KV bucket keeps its data. */
    public enum Storage {
        FILE, MEMORY
    }

    public NatsOptions {
        servers = List.copyOf(servers);
    }

    /** Reads the options from a transport configuration. */
    public static NatsOptions from(TransportConfig config) {
        return from(config.properties());
    }

    /**
     * Reads the options from {@code iios.*} properties.
     *
     * @throws TransportException naming the key, the value and the expected form when a value is invalid
     */
    public static NatsOptions from(Map<String, String> p) {
        List<String> servers = servers(p.getOrDefault(SERVERS, DEFAULT_SERVERS));
        String user = optional(p, USER);
        String password = optional(p, PASSWORD);
        String token = optional(p, TOKEN);
        String seed = optional(p, NKEY_SEED);
        String creds = optional(p, CREDENTIALS);
        if (password != null && user == null) {
            throw invalid(PASSWORD, "***", "set together with " + USER);
        }
        int methods = (user != null ? 1 : 0) + (token != null ? 1 : 0) + (seed != null ? 1 : 0) + (creds != null ? 1 : 0);
        if (methods > 1) {
            throw new TransportException("several NATS authentication methods are set (" + USER + ", " + TOKEN + ", "
                    + NKEY_SEED + ", " + CREDENTIALS + "); set only one");
        }
        if (seed != null && !seed.startsWith("SU")) {
            throw invalid(NKEY_SEED, "***", "an NKey user seed, starting with SU");
        }
        Path credentials = creds == null ? null : existingFile(CREDENTIALS, creds);
        boolean tls = bool(p, TLS, false) || servers.stream().anyMatch(s -> s.startsWith("tls://"));
        String ts = optional(p, TRUSTSTORE);
        String ks = optional(p, KEYSTORE);
        int maxReconnects = integer(p, MAX_RECONNECTS, -1, -1, Integer.MAX_VALUE, "a whole number; -1 reconnects forever");
        Duration wait = duration(p, RECONNECT_WAIT, "250ms", Duration.ZERO);
        Duration connectTimeout = duration(p, CONNECT_TIMEOUT, "2s", Duration.ofMillis(1));
        Duration timeout = duration(p, TIMEOUT, "2s", Duration.ofMillis(1));
        int replicas = integer(p, KV_REPLICAS, 1, 1, Integer.MAX_VALUE, "a whole number from 1 to 5");
        if (replicas > 5) {
            throw invalid(KV_REPLICAS, p.get(KV_REPLICAS), "a whole number from 1 to 5");
        }
        String st = p.getOrDefault(KV_STORAGE, "file").trim();
        Storage storage;
        try {
            storage = Storage.valueOf(st.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(KV_STORAGE, st, "file or memory");
        }
        int pending = integer(p, PENDING_LIMIT, 65_536, 1, Integer.MAX_VALUE, "a whole number of at least 1");
        return new NatsOptions(servers, user, password, token, seed, credentials, tls,
                ts == null ? null : existingFile(TRUSTSTORE, ts), optional(p, TRUSTSTORE_PASSWORD),
                ks == null ? null : existingFile(KEYSTORE, ks), optional(p, KEYSTORE_PASSWORD),
                optional(p, CONNECTION_NAME), maxReconnects, wait, connectTimeout, timeout, replicas, storage,
                pending);
    }

    @Override
    public String toString() {
        return "NatsOptions[servers=" + servers + ", auth=" + (user != null ? "user " + user : token != null ? "token"
                : nkeySeed != null ? "nkey" : credentials != null ? "credentials " + credentials : "none")
                + ", tls=" + tls + ", connectionName=" + connectionName + ", maxReconnects=" + maxReconnects
                + ", reconnectWait=" + reconnectWait + ", timeout=" + timeout + ", kvReplicas=" + kvReplicas
                + ", kvStorage=" + kvStorage + ", pendingLimit=" + pendingLimit + "]";
    }

    // ---------------------------------------------------------------- parsing

    private static List<String> servers(String raw) {
        List<String> out = new ArrayList<>();
        for (String part : raw.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (!s.contains("://")) {
                s = "nats://" + s;
            }
            try {
                URI u = new URI(s);
                String scheme = u.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("nats") || scheme.equals("tls")) || u.getHost() == null) {
                    throw new URISyntaxException(s, "scheme or host");
                }
                if (u.getRawUserInfo() != null) {
                    throw new TransportException("invalid value for " + SERVERS + " (environment " + envName(SERVERS)
                            + "): credentials in a server URL are not supported; use " + USER + "/" + PASSWORD
                            + " or " + TOKEN);
                }
            } catch (URISyntaxException e) {
                throw invalid(SERVERS, raw, "comma-separated URLs such as nats://10.0.0.1:4222,tls://10.0.0.2:4222");
            }
            out.add(s);
        }
        if (out.isEmpty()) {
            throw invalid(SERVERS, raw, "comma-separated URLs such as nats://10.0.0.1:4222,tls://10.0.0.2:4222");
        }
        return out;
    }

    private static Path existingFile(String key, String raw) {
        Path path = Path.of(raw);
        if (!Files.isRegularFile(path)) {
            throw invalid(key, raw, "a readable file (not found)");
        }
        return path;
    }
}
