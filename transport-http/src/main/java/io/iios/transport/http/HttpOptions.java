package io.iios.transport.http;

import io.iios.api.ConfigException;
import io.iios.core.Config;
import io.iios.core.ConfigKey;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The settings of the HTTP module ({@code iios.http.*}, {@code iios.discovery.server(s)}), listed in
 * {@code docs/configuration.md} (a test keeps the two in step) and explained in {@code docs/http.md}.
 *
 * @param enabled whether a node runs the HTTP server at all
 * @param host the address the server binds
 * @param port the port it binds (0 = an ephemeral port)
 * @param advertise the base URL others use to reach it, or null to derive it from host and port
 * @param maxBody largest request body any route accepts (413 above)
 * @param readTimeout how long the server waits for a client's next bytes (slow clients)
 * @param connectTimeout how long the intercall and discovery clients wait to connect
 * @param gateway whether the public REST gateway ({@code /api/...}) is served
 * @param auth how the gateway authenticates callers
 * @param allowAnonymous whether a gateway request without credentials is served as the anonymous user
 * @param corsOrigins origins allowed to call the gateway from a browser; empty = no CORS headers
 * @param discoveryServers base URLs of the discovery servers (broker-less {@code http} transport)
 * @param discoveryServer whether this node is a discovery server itself
 * @param tls the key and trust stores of HTTPS ({@code iios.http.tls.*})
 */
public record HttpOptions(boolean enabled, String host, int port, @Nullable String advertise, long maxBody,
        Duration readTimeout, Duration connectTimeout, boolean gateway, Auth auth, boolean allowAnonymous,
        List<String> corsOrigins, List<URI> discoveryServers, boolean discoveryServer, Tls tls) {

    /**
     * HTTPS settings. With a key store the node's server speaks only HTTPS (intercall route, discovery routes,
     * REST gateway) and advertises an {@code https://} URL; the trust store is what the node's clients (intercall,
     * discovery) trust, the JVM's default trust when unset.
     *
     * @param keystore the server's key store (private key + certificate chain), or null for plain HTTP
     * @param keystorePassword its password (also the key's)
     * @param keystoreType its type, e.g. PKCS12 or JKS
     * @param truststore the certificates clients trust, or null for the JVM's default trust
     * @param truststorePassword its password
     * @param truststoreType its type
     */
    public record Tls(java.nio.file.@Nullable Path keystore, String keystorePassword, String keystoreType,
            java.nio.file.@Nullable Path truststore, String truststorePassword, String truststoreType) {

        /** Whether the server speaks HTTPS. */
        public boolean server() {
            return keystore != null;
        }

        @Override
        public String toString() {
            return "Tls[keystore=" + keystore + ", truststore=" + truststore + "]"; // never the passwords
        }
    }

    /** How the REST gateway turns a request into a user id. */
    public enum Auth {
        /** Every request is anonymous; no credentials are read. */
        NONE,
        /** {@code Authorization: Bearer} JWT, checked by core's JwtAuthenticator ({@code iios.auth.jwt.*}). */
        JWT,
        /** A header set by a trusted proxy ({@code iios.auth.header.*}). */
        HEADER
    }

    public static final ConfigKey ENABLED = new ConfigKey("iios.http.enabled", "true", "true or false",
            "Runs the node's HTTP server (intercall route, and the gateway when enabled) whenever this module is on the classpath.");
    public static final ConfigKey HOST = new ConfigKey("iios.http.host", "127.0.0.1", "an IP address or host name; 0.0.0.0 for every interface",
            "Address the HTTP server binds. The loopback default keeps the node private; set it to reach the node from other hosts.");
    public static final ConfigKey PORT = new ConfigKey("iios.http.port", "0", "a port from 0 to 65535; 0 picks a free one",
            "Port of the HTTP server. The intercall route works with any port (it is advertised); give a gateway a fixed one.");
    public static final ConfigKey ADVERTISE = new ConfigKey("iios.http.advertise", "", "a base URL such as http://10.0.0.5:8080",
            "URL other nodes use to reach this node's HTTP server (instance records, discovery). Default: http://HOST:PORT, with this host's address when bound to 0.0.0.0.");
    public static final ConfigKey MAX_BODY = new ConfigKey("iios.http.max-body", "8MiB", "a size such as 65536, 512KiB, 4MiB",
            "Largest request body any HTTP route accepts; larger ones are answered 413 and the connection keeps serving.");
    public static final ConfigKey READ_TIMEOUT = new ConfigKey("iios.http.read-timeout", "10s", "a duration such as 500ms, 5s, 1m",
            "How long the server waits for a client's next bytes; a client that trickles its request is cut off after it.");
    public static final ConfigKey CONNECT_TIMEOUT = new ConfigKey("iios.http.connect-timeout", "2s", "a duration such as 500ms, 5s, 1m",
            "How long the intercall and discovery clients wait for a TCP connection.");
    public static final ConfigKey GATEWAY = new ConfigKey("iios.http.gateway", "false", "true or false",
            "Serves the public REST gateway: /api/SERVICE/METHOD, /api/services, /api/events, /api/openapi.json and /metrics.");
    public static final ConfigKey AUTH = new ConfigKey("iios.http.auth", "none", "none, jwt or header",
            "How the gateway authenticates callers: none (everyone is anonymous), jwt (iios.auth.jwt.*) or header (iios.auth.header.*).");
    public static final ConfigKey ALLOW_ANONYMOUS = new ConfigKey("iios.http.allow-anonymous", "false", "true or false",
            "With iios.http.auth=jwt or header: serve a request that carries no credentials as the anonymous user instead of answering 401.");
    public static final ConfigKey CORS_ORIGINS = new ConfigKey("iios.http.cors.origins", "", "comma-separated origins such as https://app.example.com, or *",
            "Browser origins allowed to call the gateway (CORS); empty sends no CORS headers.");
    public static final ConfigKey DISCOVERY_SERVERS = new ConfigKey("iios.discovery.servers", "", "comma-separated base URLs such as http://gw1:8080,http://gw2:8080",
            "Broker-less mode (iios.transport=http): the discovery servers this node registers with and relays events through.");
    public static final ConfigKey DISCOVERY_SERVER = new ConfigKey("iios.discovery.server", "false", "true or false",
            "Broker-less mode: this node is a discovery server (its HTTP server keeps the registry and relays messages for the others).");

    public static final ConfigKey TLS_KEYSTORE = new ConfigKey("iios.http.tls.keystore", "", "a file path (PKCS12 or JKS)",
            "Key store with the HTTP server's private key and certificate: when set, the server speaks only HTTPS (intercall route, discovery routes, REST gateway) and advertises https://.");
    public static final ConfigKey TLS_KEYSTORE_PASSWORD = new ConfigKey("iios.http.tls.keystore-password", "", "text",
            "Password of the key store and of its key.");
    public static final ConfigKey TLS_KEYSTORE_TYPE = new ConfigKey("iios.http.tls.keystore-type", "PKCS12", "PKCS12 or JKS",
            "Type of the key store.");
    public static final ConfigKey TLS_TRUSTSTORE = new ConfigKey("iios.http.tls.truststore", "", "a file path (PKCS12 or JKS)",
            "Certificates (or their CA) the node's HTTPS clients trust: intercall calls to other nodes and discovery-server requests. Empty: the JVM's default trust.");
    public static final ConfigKey TLS_TRUSTSTORE_PASSWORD = new ConfigKey("iios.http.tls.truststore-password", "", "text",
            "Password of the trust store.");
    public static final ConfigKey TLS_TRUSTSTORE_TYPE = new ConfigKey("iios.http.tls.truststore-type", "PKCS12", "PKCS12 or JKS",
            "Type of the trust store.");

    /** Every key, in documentation order. */
    public static final List<ConfigKey> ALL = List.of(ENABLED, HOST, PORT, ADVERTISE, MAX_BODY, READ_TIMEOUT,
            CONNECT_TIMEOUT, GATEWAY, AUTH, ALLOW_ANONYMOUS, CORS_ORIGINS, DISCOVERY_SERVERS, DISCOVERY_SERVER,
            TLS_KEYSTORE, TLS_KEYSTORE_PASSWORD, TLS_KEYSTORE_TYPE, TLS_TRUSTSTORE, TLS_TRUSTSTORE_PASSWORD,
            TLS_TRUSTSTORE_TYPE);

    /** Every key name. */
    public static final Set<String> KEYS = ALL.stream().map(ConfigKey::key).collect(Collectors.toUnmodifiableSet());

    /** Reads the settings from a node's configuration (defaults for what is unset). */
    public static HttpOptions from(Config c) {
        boolean enabled = c.bool(ENABLED.key(), true);
        String host = c.string(HOST).trim();
        int port = c.integer(PORT.key(), 0, 0, 65535);
        String advertise = c.get(ADVERTISE.key()).map(String::trim).orElse(null);
        if (advertise != null) {
            uri(c, ADVERTISE.key(), advertise);
            advertise = stripSlash(advertise);
        }
        long maxBody = c.bytes(MAX_BODY);
        if (maxBody < 1024) {
            throw c.invalid(MAX_BODY.key(), c.string(MAX_BODY), "a size of at least 1KiB");
        }
        Duration read = positive(c, READ_TIMEOUT);
        Duration connect = positive(c, CONNECT_TIMEOUT);
        boolean gateway = c.bool(GATEWAY.key(), false);
        String authName = c.string(AUTH).trim().toLowerCase(Locale.ROOT);
        Auth auth = switch (authName) {
            case "none" -> Auth.NONE;
            case "jwt" -> Auth.JWT;
            case "header" -> Auth.HEADER;
            default -> throw c.invalid(AUTH.key(), authName, AUTH.form());
        };
        boolean anonymous = c.bool(ALLOW_ANONYMOUS.key(), false);
        List<String> origins = c.list(CORS_ORIGINS.key()).stream().map(HttpOptions::stripSlash).toList();
        List<URI> servers = new ArrayList<>();
        for (String s : c.list(DISCOVERY_SERVERS.key())) {
            servers.add(uri(c, DISCOVERY_SERVERS.key(), stripSlash(s)));
        }
        boolean server = c.bool(DISCOVERY_SERVER.key(), false);
        Tls tls = new Tls(file(c, TLS_KEYSTORE), c.string(TLS_KEYSTORE_PASSWORD), storeType(c, TLS_KEYSTORE_TYPE),
                file(c, TLS_TRUSTSTORE), c.string(TLS_TRUSTSTORE_PASSWORD), storeType(c, TLS_TRUSTSTORE_TYPE));
        return new HttpOptions(enabled, host, port, advertise, maxBody, read, connect, gateway, auth, anonymous,
                List.copyOf(origins), List.copyOf(servers), server, tls);
    }

    /** Reads the settings from a transport's properties. */
    public static HttpOptions from(Map<String, String> properties) {
        return from(Config.of(properties));
    }

    /** The URL others use for a server bound to {@link #host()} on {@code boundPort}. */
    public String advertisedUrl(int boundPort) {
        if (advertise != null) {
            return advertise;
        }
        String h = host;
        if (h.equals("0.0.0.0") || h.equals("::") || h.isEmpty()) {
            try {
                h = InetAddress.getLocalHost().getHostAddress();
            } catch (UnknownHostException e) {
                h = "127.0.0.1";
            }
        }
        if (h.contains(":") && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        return (tls.server() ? "https://" : "http://") + h + ":" + boundPort;
    }

    private static java.nio.file.@Nullable Path file(Config c, ConfigKey key) {
        String v = c.string(key).trim();
        if (v.isEmpty()) {
            return null;
        }
        java.nio.file.Path p = java.nio.file.Path.of(v);
        if (!java.nio.file.Files.isReadable(p)) {
            throw c.invalid(key.key(), v, "a readable file (" + key.form() + ")");
        }
        return p;
    }

    private static String storeType(Config c, ConfigKey key) {
        String v = c.string(key).trim().toUpperCase(Locale.ROOT);
        if (!v.equals("PKCS12") && !v.equals("JKS")) {
            throw c.invalid(key.key(), c.string(key), key.form());
        }
        return v;
    }

    private static Duration positive(Config c, ConfigKey key) {
        Duration d = c.duration(key);
        if (d.isZero() || d.isNegative()) {
            throw c.invalid(key.key(), c.string(key), "a positive duration");
        }
        return d;
    }

    private static URI uri(Config c, String key, String value) {
        try {
            URI u = URI.create(value);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw c.invalid(key, value, "an http:// or https:// URL with a host");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw c.invalid(key, value, "an http:// or https:// URL with a host");
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    static ConfigException invalid(String key, String value, String form) {
        return Config.of(Map.of()).invalid(key, value, form);
    }
}
