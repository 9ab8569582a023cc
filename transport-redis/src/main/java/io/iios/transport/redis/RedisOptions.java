package io.iios.transport.redis;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The settings of the Redis transport, read from {@code iios.redis.*} (see {@code docs/configuration.md}).
 *
 * <p>Exactly one topology is used: a Cluster when {@code iios.redis.cluster} is set, else Sentinel when
 * {@code iios.redis.sentinels} is set, else the standalone server of {@code iios.redis.uri}. The URI's
 * user, password, database and scheme ({@code rediss} = TLS) apply to every topology.
 *
 * @param uri {@code redis://[user:password@]host:port/db} or {@code rediss://…} for TLS
 * @param truststore trust store (PKCS12 or JKS) for TLS, or null for the JVM's default trust
 * @param truststorePassword its password, or null
 * @param sentinels Sentinel addresses {@code host:port}; empty when Sentinel is not used
 * @param master the master name Sentinel monitors
 * @param cluster Cluster seed nodes {@code host:port}; empty when not a Cluster
 * @param poolSize the most pooled connections used for KV operations
 * @param timeout connect and read timeout of every command
 * @param reconnectBackoff first delay before reconnecting; doubles up to {@code reconnectBackoffMax}
 * @param reconnectBackoffMax longest delay between reconnect attempts
 * @param watch how {@code KvStore.watch} learns about changes
 * @param watchPollInterval how often a polling watch lists the keys
 * @param shardedChannels on a Cluster, channel-grammar patterns of the point-to-point channels that use
 *     sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}); empty: classic pub/sub only
 */
public record RedisOptions(URI uri, @Nullable Path truststore, @Nullable String truststorePassword,
        List<String> sentinels, String master, List<String> cluster, int poolSize, Duration timeout,
        Duration reconnectBackoff, Duration reconnectBackoffMax, WatchMode watch, Duration watchPollInterval,
        List<String> shardedChannels) {

    public static final String URI_KEY = "iios.redis.uri";
    public static final String TRUSTSTORE = "iios.redis.truststore";
    public static final String TRUSTSTORE_PASSWORD = "iios.redis.truststore-password";
    public static final String SENTINELS = "iios.redis.sentinels";
    public static final String MASTER = "iios.redis.master";
    public static final String CLUSTER = "iios.redis.cluster";
    public static final String POOL_SIZE = "iios.redis.pool-size";
    public static final String TIMEOUT = "iios.redis.timeout";
    public static final String RECONNECT_BACKOFF = "iios.redis.reconnect-backoff";
    public static final String RECONNECT_BACKOFF_MAX = "iios.redis.reconnect-backoff-max";
    public static final String WATCH = "iios.redis.watch";
    public static final String WATCH_POLL_INTERVAL = "iios.redis.watch-poll-interval";
    public static final String SHARDED_CHANNELS = "iios.redis.sharded-channels";

    /** Core's point-to-point channels (RPC inboxes, reply inboxes, streams), which no pattern subscribes. */
    public static final String DEFAULT_SHARDED_CHANNELS = "*:_rpc:>,*:_reply:>,*:_stream:>";

    /** Every key this transport reads. */
    public static final Set<String> KEYS = Set.of(URI_KEY, TRUSTSTORE, TRUSTSTORE_PASSWORD, SENTINELS, MASTER,
            CLUSTER, POOL_SIZE, TIMEOUT, RECONNECT_BACKOFF, RECONNECT_BACKOFF_MAX, WATCH, WATCH_POLL_INTERVAL,
            SHARDED_CHANNELS);

    /** Default server. */
    public static final String DEFAULT_URI = "redis://127.0.0.1:6379/0";

    /** How a watch learns about changes. */
    public enum WatchMode {
        /** Keyspace notifications when the server has them or accepts {@code CONFIG SET}; else polling. */
        AUTO,
        /** Keyspace notifications only; creating the transport fails when they cannot be enabled. */
        NOTIFICATIONS,
        /** Always poll with SCAN (e.g. where notifications are forbidden or too costly). */
        POLL
    }

    /** Which deployment the options describe. */
    public enum Topology {
        STANDALONE, SENTINEL, CLUSTER
    }

    public RedisOptions {
        sentinels = List.copyOf(sentinels);
        cluster = List.copyOf(cluster);
        shardedChannels = List.copyOf(shardedChannels);
    }

    /** Reads the options from a transport configuration. */
    public static RedisOptions from(TransportConfig config) {
        return from(config.properties());
    }

    /**
     * Reads the options from {@code iios.*} properties.
     *
     * @throws TransportException naming the key, the value and the expected form when a value is invalid
     */
    public static RedisOptions from(Map<String, String> p) {
        URI uri = parseUri(p.getOrDefault(URI_KEY, DEFAULT_URI).trim());
        String ts = optional(p, TRUSTSTORE);
        String tsPass = optional(p, TRUSTSTORE_PASSWORD);
        List<String> sentinels = hostPorts(p, SENTINELS);
        String master = p.getOrDefault(MASTER, "mymaster").trim();
        if (master.isEmpty()) {
            throw invalid(MASTER, master, "the master name Sentinel monitors, e.g. mymaster");
        }
        List<String> cluster = hostPorts(p, CLUSTER);
        if (!sentinels.isEmpty() && !cluster.isEmpty()) {
            throw new TransportException(SENTINELS + " and " + CLUSTER
                    + " are both set; a Redis deployment is either a Sentinel set or a Cluster: set only one");
        }
        if (!cluster.isEmpty() && database(uri) != 0) {
            throw invalid(URI_KEY, redact(uri), "database 0 (a Redis Cluster has only database 0)");
        }
        int pool = integer(p, POOL_SIZE, 16, 1, Integer.MAX_VALUE);
        Duration timeout = duration(p, TIMEOUT, "2s", Duration.ofMillis(1));
        Duration backoff = duration(p, RECONNECT_BACKOFF, "100ms", Duration.ofMillis(1));
        Duration backoffMax = duration(p, RECONNECT_BACKOFF_MAX, "5s", Duration.ofMillis(1));
        if (backoffMax.compareTo(backoff) < 0) {
            throw invalid(RECONNECT_BACKOFF_MAX, p.get(RECONNECT_BACKOFF_MAX),
                    "a duration not shorter than " + RECONNECT_BACKOFF + " (" + backoff.toMillis() + "ms)");
        }
        String w = p.getOrDefault(WATCH, "auto").trim();
        WatchMode watch;
        try {
            watch = WatchMode.valueOf(w.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(WATCH, w, "auto, notifications or poll");
        }
        Duration poll = duration(p, WATCH_POLL_INTERVAL, "1s", Duration.ofMillis(10));
        List<String> sharded = patterns(p, SHARDED_CHANNELS, DEFAULT_SHARDED_CHANNELS);
        return new RedisOptions(uri, ts == null ? null : Path.of(ts), tsPass, sentinels, master, cluster, pool,
                timeout, backoff, backoffMax, watch, poll, sharded);
    }

    /** Which topology these options select. */
    public Topology topology() {
        return !cluster.isEmpty() ? Topology.CLUSTER : !sentinels.isEmpty() ? Topology.SENTINEL : Topology.STANDALONE;
    }

    /** True for {@code rediss://}. */
    public boolean tls() {
        return "rediss".equalsIgnoreCase(uri.getScheme());
    }

    /** The database number of the URI's path (0 when absent). */
    public int database() {
        return database(uri);
    }

    /** The user of the URI, or null. */
    public @Nullable String user() {
        String[] ui = userInfo(uri);
        return ui == null || ui[0].isEmpty() ? null : ui[0];
    }

    /** The password of the URI, or null. */
    public @Nullable String password() {
        String[] ui = userInfo(uri);
        return ui == null ? null : ui[1];
    }

    @Override
    public String toString() {
        return "RedisOptions[uri=" + redact(uri) + ", topology=" + topology() + ", sentinels=" + sentinels
                + ", master=" + master + ", cluster=" + cluster + ", poolSize=" + poolSize + ", timeout=" + timeout
                + ", truststore=" + truststore + ", watch=" + watch + ", shardedChannels=" + shardedChannels + "]";
    }

    // ---------------------------------------------------------------- parsing

    private static @Nullable String[] userInfo(URI uri) {
        String ui = uri.getRawUserInfo();
        if (ui == null) {
            return null;
        }
        int colon = ui.indexOf(':');
        // redis://password@host is the traditional form; redis://user:password@host the ACL form.
        String user = colon < 0 ? "" : decode(ui.substring(0, colon));
        String pass = decode(colon < 0 ? ui : ui.substring(colon + 1));
        return new String[] {user, pass};
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The URI without its password, for messages. */
    static String redact(URI uri) {
        return uri.getRawUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "***@");
    }

    private static final String URI_FORM = "redis://[user:password@]host:port[/db] or rediss://… for TLS";

    private static URI parseUri(String raw) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw invalid(URI_KEY, "(unparsable URI)", URI_FORM);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("redis") || scheme.equalsIgnoreCase("rediss"))
                || uri.getHost() == null) {
            throw invalid(URI_KEY, redact(uri), URI_FORM);
        }
        database(uri);
        return uri;
    }

    private static int database(URI uri) {
        String path = uri.getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        try {
            int db = Integer.parseInt(path.substring(1));
            if (db < 0) {
                throw new NumberFormatException();
            }
            return db;
        } catch (NumberFormatException e) {
            throw invalid(URI_KEY, redact(uri), URI_FORM + " (db is a number such as 0)");
        }
    }

    private static List<String> hostPorts(Map<String, String> p, String key) {
        String raw = p.getOrDefault(key, "").trim();
        List<String> out = new ArrayList<>();
        if (raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split(",")) {
            String hp = part.trim();
            int colon = hp.lastIndexOf(':');
            try {
                if (colon <= 0) {
                    throw new NumberFormatException();
                }
                int port = Integer.parseInt(hp.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw invalid(key, raw, "a comma-separated list of host:port, e.g. 10.0.0.1:26379,10.0.0.2:26379");
            }
            out.add(hp);
        }
        return out;
    }

    private static List<String> patterns(Map<String, String> p, String key, String dflt) {
        String raw = p.getOrDefault(key, dflt).trim();
        List<String> out = new ArrayList<>();
        if (raw.isEmpty() || raw.equalsIgnoreCase("none")) {
            return out;
        }
        for (String part : raw.split(",")) {
            String pattern = part.trim();
            try {
                out.add(io.iios.spi.Channel.requirePattern(pattern));
            } catch (IllegalArgumentException e) {
                throw invalid(key, raw, "none, or comma-separated channel patterns such as " + DEFAULT_SHARDED_CHANNELS
                        + " (" + e.getMessage() + ")");
            }
        }
        return out;
    }
}
