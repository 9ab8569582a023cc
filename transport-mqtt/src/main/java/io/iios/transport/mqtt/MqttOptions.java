package io.iios.transport.mqtt;

import static io.iios.spi.Settings.bool;
import static io.iios.spi.Settings.duration;
import static io.iios.spi.Settings.integer;
import static io.iios.spi.Settings.invalid;
import static io.iios.spi.Settings.optional;

import io.iios.spi.TransportConfig;
import io.iios.spi.TransportException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The settings of the MQTT transport, read from {@code iios.mqtt.*} (see {@code docs/configuration.md}).
 *
 * @param uri {@code tcp://host:port} or {@code ssl://host:port}
 * @param clientIdPrefix the start of every client id this node uses (a random suffix follows)
 * @param username broker user name, or null
 * @param password broker password, or null
 * @param caFile PEM file of the CA(s) trusted for {@code ssl://}, or null
 * @param truststore trust store (PKCS12 or JKS) for {@code ssl://}, or null
 * @param truststorePassword its password, or null
 * @param cleanStart MQTT 5 clean start on the first connection
 * @param sessionExpiry how long the broker keeps the session after a disconnect (0 = ends with the connection)
 * @param keepAlive MQTT keep-alive interval (whole seconds)
 * @param maxInFlight most QoS 1 publishes awaiting their PUBACK (capped by the broker's receive maximum)
 * @param timeout connect, subscribe and acknowledgement timeout
 * @param reconnectDelayMax longest delay between automatic reconnect attempts (whole seconds, at least 1)
 * @param pubsubQos QoS of pub/sub messages (0 or 1)
 */
public record MqttOptions(URI uri, String clientIdPrefix, @Nullable String username, @Nullable String password,
        @Nullable Path caFile, @Nullable Path truststore, @Nullable String truststorePassword, boolean cleanStart,
        Duration sessionExpiry, Duration keepAlive, int maxInFlight, Duration timeout, Duration reconnectDelayMax,
        int pubsubQos) {

    public static final String URI_KEY = "iios.mqtt.uri";
    public static final String CLIENT_ID_PREFIX = "iios.mqtt.client-id-prefix";
    public static final String USERNAME = "iios.mqtt.username";
    public static final String PASSWORD = "iios.mqtt.password";
    public static final String CA_FILE = "iios.mqtt.ca-file";
    public static final String TRUSTSTORE = "iios.mqtt.truststore";
    public static final String TRUSTSTORE_PASSWORD = "iios.mqtt.truststore-password";
    public static final String CLEAN_START = "iios.mqtt.clean-start";
    public static final String SESSION_EXPIRY = "iios.mqtt.session-expiry";
    public static final String KEEP_ALIVE = "iios.mqtt.keep-alive";
    public static final String MAX_IN_FLIGHT = "iios.mqtt.max-in-flight";
    public static final String TIMEOUT = "iios.mqtt.timeout";
    public static final String RECONNECT_DELAY_MAX = "iios.mqtt.reconnect-delay-max";
    public static final String PUBSUB_QOS = "iios.mqtt.pubsub-qos";

    /** Every key this transport reads. */
    public static final Set<String> KEYS = Set.of(URI_KEY, CLIENT_ID_PREFIX, USERNAME, PASSWORD, CA_FILE, TRUSTSTORE,
            TRUSTSTORE_PASSWORD, CLEAN_START, SESSION_EXPIRY, KEEP_ALIVE, MAX_IN_FLIGHT, TIMEOUT, RECONNECT_DELAY_MAX,
            PUBSUB_QOS);

    /** Default broker. */
    public static final String DEFAULT_URI = "tcp://127.0.0.1:1883";

    /** Reads the options from a transport configuration. */
    public static MqttOptions from(TransportConfig config) {
        return from(config.properties());
    }

    /**
     * Reads the options from {@code iios.*} properties.
     *
     * @throws TransportException naming the key, the value and the expected form when a value is invalid
     */
    public static MqttOptions from(Map<String, String> p) {
        URI uri = parseUri(p.getOrDefault(URI_KEY, DEFAULT_URI).trim());
        String prefix = p.getOrDefault(CLIENT_ID_PREFIX, "iios-").trim();
        if (prefix.length() > 64 || !prefix.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw invalid(CLIENT_ID_PREFIX, prefix, "up to 64 printable ASCII characters without spaces");
        }
        String user = optional(p, USERNAME);
        String pass = p.get(PASSWORD) == null || p.get(PASSWORD).isEmpty() ? null : p.get(PASSWORD);
        if (pass != null && user == null) {
            throw new TransportException(PASSWORD + " is set but " + USERNAME
                    + " is not; MQTT sends a password only with a user name");
        }
        String ca = optional(p, CA_FILE);
        String ts = optional(p, TRUSTSTORE);
        if (ca != null && ts != null) {
            throw new TransportException(CA_FILE + " and " + TRUSTSTORE + " are both set; set only one");
        }
        boolean clean = bool(p, CLEAN_START, true);
        Duration expiry = duration(p, SESSION_EXPIRY, "0s", Duration.ZERO);
        Duration keepAlive = duration(p, KEEP_ALIVE, "30s", Duration.ZERO);
        if (keepAlive.toSeconds() > 65535 || (!keepAlive.isZero() && keepAlive.toMillis() % 1000 != 0)) {
            throw invalid(KEEP_ALIVE, p.get(KEEP_ALIVE), "whole seconds from 0 (off) to 65535s");
        }
        int inFlight = integer(p, MAX_IN_FLIGHT, 64, 1, 65535);
        Duration timeout = duration(p, TIMEOUT, "5s", Duration.ofMillis(100));
        Duration reconnect = duration(p, RECONNECT_DELAY_MAX, "4s", Duration.ofSeconds(1));
        String qos = p.getOrDefault(PUBSUB_QOS, "0").trim();
        if (!qos.equals("0") && !qos.equals("1")) {
            throw invalid(PUBSUB_QOS, qos, "0 (at most once, fastest) or 1 (at least once to the broker)");
        }
        return new MqttOptions(uri, prefix, user, pass, ca == null ? null : Path.of(ca), ts == null ? null : Path.of(ts),
                optional(p, TRUSTSTORE_PASSWORD), clean, expiry, keepAlive, inFlight, timeout, reconnect,
                Integer.parseInt(qos));
    }

    /** True for {@code ssl://}. */
    public boolean tls() {
        return "ssl".equalsIgnoreCase(uri.getScheme());
    }

    /** The URI as Paho takes it. */
    public String serverUri() {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + ":" + port();
    }

    /** The port, defaulting to 1883 ({@code tcp}) or 8883 ({@code ssl}). */
    public int port() {
        return uri.getPort() > 0 ? uri.getPort() : tls() ? 8883 : 1883;
    }

    @Override
    public String toString() {
        return "MqttOptions[uri=" + serverUri() + ", clientIdPrefix=" + clientIdPrefix + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", caFile=" + caFile + ", truststore="
                + truststore + ", cleanStart=" + cleanStart + ", sessionExpiry=" + sessionExpiry + ", keepAlive="
                + keepAlive + ", maxInFlight=" + maxInFlight + ", timeout=" + timeout + ", pubsubQos=" + pubsubQos + "]";
    }

    // ---------------------------------------------------------------- parsing

    private static final String URI_FORM = "tcp://host:port, or ssl://host:port for TLS";

    private static URI parseUri(String raw) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw invalid(URI_KEY, raw, URI_FORM);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("tcp") || scheme.equalsIgnoreCase("ssl"))
                || uri.getHost() == null) {
            throw invalid(URI_KEY, raw, URI_FORM);
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid(URI_KEY, "(a URI with credentials)", URI_FORM + "; put credentials in " + USERNAME
                    + " and " + PASSWORD);
        }
        return uri;
    }
}
