package io.iios.transport.redis.internal;

import io.iios.spi.TransportException;
import io.iios.transport.redis.RedisOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import io.iios.spi.TransportUnavailableException;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import org.jspecify.annotations.Nullable;

/**
 * The Jedis side of one transport: the pooled client used for KV commands (standalone, Sentinel or
 * Cluster) and dedicated connections for the subscriber and the publish writer, opened to the current
 * master (standalone server, Sentinel's master, or any Cluster node — classic PUBLISH reaches the whole
 * Cluster).
 */
final class RedisClients implements AutoCloseable {
    final RedisOptions options;
    final JedisClientConfig clientConfig;
    final UnifiedJedis client;
    /** The Cluster's slot map (null unless a Cluster): where sharded channels live. */
    private final @Nullable ClusterConnectionProvider slots;
    private final AtomicInteger nodeCursor = new AtomicInteger();

    RedisClients(RedisOptions options, String clientName) {
        this.options = options;
        this.clientConfig = clientConfig(options, clientName);
        ConnectionPoolConfig pool = poolConfig(options);
        this.slots = options.topology() == RedisOptions.Topology.CLUSTER ? clusterProvider(options, clientConfig, pool)
                : null;
        this.client = build(options, clientConfig, pool, slots);
    }

    private static ClusterConnectionProvider clusterProvider(RedisOptions o, JedisClientConfig cfg,
            ConnectionPoolConfig pool) {
        try {
            return new ClusterConnectionProvider(hostPorts(o.cluster()), cfg, pool);
        } catch (RuntimeException e) {
            throw RedisErrors.wrap("connecting to " + describe(o), e);
        }
    }

    static JedisClientConfig clientConfig(RedisOptions o, String clientName) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, o.timeout().toMillis());
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout).socketTimeoutMillis(timeout)
                .database(o.database()).clientName(clientName);
        if (o.password() != null) {
            b.password(o.password());
            if (o.user() != null) {
                b.user(o.user());
            }
        }
        if (o.tls()) {
            b.ssl(true);
            if (o.truststore() != null) {
                String pw = o.truststorePassword();
                b.sslOptions(SslOptions.builder().truststore(o.truststore().toFile(),
                        pw == null ? null : pw.toCharArray()).build());
            }
        }
        return b.build();
    }

    private static ConnectionPoolConfig poolConfig(RedisOptions o) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(o.poolSize());
        pool.setMaxIdle(o.poolSize());
        pool.setMinIdle(0);
        pool.setMaxWait(o.timeout());
        return pool;
    }

    private static UnifiedJedis build(RedisOptions o, JedisClientConfig cfg, ConnectionPoolConfig pool,
            @Nullable ClusterConnectionProvider slots) {
        try {
            return switch (o.topology()) {
                case STANDALONE -> RedisClient.builder().hostAndPort(standalone(o)).clientConfig(cfg)
                        .poolConfig(pool).build();
                case SENTINEL -> RedisSentinelClient.builder().masterName(o.master()).sentinels(hostPorts(o.sentinels()))
                        .clientConfig(cfg).sentinelClientConfig(DefaultJedisClientConfig.builder()
                                .connectionTimeoutMillis(cfg.getConnectionTimeoutMillis())
                                .socketTimeoutMillis(cfg.getSocketTimeoutMillis()).ssl(o.tls())
                                .sslOptions(cfg.getSslOptions()).build())
                        .poolConfig(pool).build();
                case CLUSTER -> RedisClusterClient.builder().nodes(hostPorts(o.cluster())).clientConfig(cfg)
                        .poolConfig(pool).connectionProvider(java.util.Objects.requireNonNull(slots)).build();
            };
        } catch (RuntimeException e) {
            throw RedisErrors.wrap("connecting to " + describe(o), e);
        }
    }

    static String describe(RedisOptions o) {
        return switch (o.topology()) {
            case STANDALONE -> standalone(o).toString();
            case SENTINEL -> "master '" + o.master() + "' of Sentinels " + o.sentinels();
            case CLUSTER -> "Cluster " + o.cluster();
        };
    }

    static HostAndPort standalone(RedisOptions o) {
        int port = o.uri().getPort() < 0 ? 6379 : o.uri().getPort();
        return new HostAndPort(o.uri().getHost(), port);
    }

    private static Set<HostAndPort> hostPorts(List<String> list) {
        Set<HostAndPort> out = new LinkedHashSet<>();
        for (String s : list) {
            out.add(HostAndPort.from(s));
        }
        return out;
    }

    /** Where dedicated connections go now. */
    HostAndPort endpoint() {
        return switch (options.topology()) {
            case STANDALONE -> standalone(options);
            case SENTINEL -> {
                HostAndPort m = ((RedisSentinelClient) client).getCurrentMaster();
                if (m == null) {
                    throw new TransportException("Sentinel knows no master named '" + options.master() + "'");
                }
                yield m;
            }
            case CLUSTER -> {
                List<String> nodes = new ArrayList<>(((RedisClusterClient) client).getClusterNodes().keySet());
                if (nodes.isEmpty()) {
                    nodes = options.cluster();
                }
                yield HostAndPort.from(nodes.get(Math.floorMod(nodeCursor.getAndIncrement(), nodes.size())));
            }
        };
    }

    /** A new connection of its own (not pooled) to the current endpoint. */
    Connection openDedicated() {
        return verified(new Connection(endpoint(), clientConfig));
    }

    /** A new connection of its own to one Cluster node (for sharded pub/sub). */
    PublishConnection openTo(HostAndPort node) {
        return verified(new PublishConnection(node, clientConfig));
    }

    /** The master serving a hash slot, from the cached slot map (Cluster only). */
    HostAndPort slotOwner(int slot) {
        HostAndPort node = java.util.Objects.requireNonNull(slots, "not a Cluster").getNode(slot);
        if (node == null) {
            throw new TransportUnavailableException("no Cluster node serves slot " + slot + " (yet)", null);
        }
        return node;
    }

    /**
     * One slot of each Cluster master, from {@code CLUSTER SLOTS}: a master is then found again after a
     * failover as "the master serving that slot".
     */
    List<Integer> oneSlotPerMaster() {
        java.util.Map<String, Integer> firstSlot = new java.util.LinkedHashMap<>();
        try (Connection c = openDedicated()) {
            Object reply = c.executeCommand(new CommandArguments(Protocol.Command.CLUSTER).add("SLOTS"));
            for (Object range : (List<?>) reply) {
                List<?> r = (List<?>) range;
                List<?> master = (List<?>) r.get(2);
                String node = new String((byte[]) master.get(0), java.nio.charset.StandardCharsets.UTF_8) + ":"
                        + master.get(1);
                firstSlot.putIfAbsent(node, ((Long) r.get(0)).intValue());
            }
        }
        return List.copyOf(firstSlot.values());
    }

    /** Reloads the slot map after a slot moved or a master failed over (Cluster only). */
    void renewSlots() {
        if (slots != null) {
            slots.renewSlotCache();
        }
    }

    /** A dedicated connection for fire-and-forget writes: the caller can flush it without reading replies. */
    PublishConnection openPublisher() {
        return verified(new PublishConnection(endpoint(), clientConfig));
    }

    private <C extends Connection> C verified(C c) {
        try {
            c.connect();
            if (options.topology() == RedisOptions.Topology.SENTINEL) {
                // right after a failover Sentinel may still name the demoted master: never settle on a replica
                Object role = c.executeCommand(new CommandArguments(Protocol.Command.ROLE));
                if (!(role instanceof List<?> r) || r.isEmpty() || !(r.get(0) instanceof byte[] b)
                        || !"master".equals(new String(b, java.nio.charset.StandardCharsets.US_ASCII))) {
                    throw new TransportUnavailableException(c + " is not the master (yet)", null);
                }
            }
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** A {@link Connection} whose buffered output can be flushed without waiting for replies. */
    static final class PublishConnection extends Connection {
        private final HostAndPort node;

        PublishConnection(HostAndPort endpoint, JedisClientConfig config) {
            super(endpoint, config);
            this.node = endpoint;
        }

        void flushNow() {
            flush();
        }

        /** Reads one reply already requested, without flushing (a Redis error reply is thrown). */
        Object readReply() {
            return getUnflushedObject();
        }

        HostAndPort node() {
            return node;
        }
    }

    /** Drops idle pooled connections (after a reconnect they may point at a dead socket). */
    void clearIdle() {
        if (client instanceof RedisClient rc) {
            try {
                rc.getPool().clear();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
    }

    boolean cluster() {
        return options.topology() == RedisOptions.Topology.CLUSTER;
    }

    @Override
    public void close() {
        client.close();
    }
}
