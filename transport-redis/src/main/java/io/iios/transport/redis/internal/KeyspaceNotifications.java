package io.iios.transport.redis.internal;

import io.iios.spi.KvListener;
import io.iios.spi.TransportException;
import io.iios.transport.redis.RedisOptions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;

/**
 * Keyspace notifications for {@code KvStore.watch}: makes sure the server emits at least {@code K$gx}
 * (keyspace channel, string commands, generic commands, expiries), adding missing flags with
 * {@code CONFIG SET} — never removing any; on a Cluster on every master, since notifications are local to
 * the node holding the key. When {@code CONFIG} is refused (managed Redis, ACL), watches poll instead
 * (mode {@code auto}), or creating the transport fails (mode {@code notifications}).
 */
final class KeyspaceNotifications {
    private static final Logger LOG = LoggerFactory.getLogger(KeyspaceNotifications.class);
    static final String REQUIRED = "K$gx";

    private final RedisClients clients;
    private volatile boolean enabled;
    private volatile @Nullable String reason;

    KeyspaceNotifications(RedisClients clients) {
        this.clients = clients;
    }

    boolean enabled() {
        return enabled;
    }

    @Nullable String reason() {
        return reason;
    }

    String channelPrefix() {
        return "__keyspace@" + clients.options.database() + "__:";
    }

    /** Checks (and enables) the flags; called at start and after every reconnect (a restarted or new master). */
    void ensure() {
        RedisOptions.WatchMode mode = clients.options.watch();
        if (mode == RedisOptions.WatchMode.POLL) {
            disable("iios.redis.watch=poll");
            return;
        }
        try {
            if (clients.cluster()) {
                // notifications are local to the node that holds the key: enable them on every master
                for (int slot : clients.oneSlotPerMaster()) {
                    try (Connection c = clients.openTo(clients.slotOwner(slot))) {
                        enableOn(c);
                    }
                }
            } else {
                try (Connection c = clients.openDedicated()) {
                    enableOn(c);
                }
            }
            enabled = true;
            reason = null;
        } catch (RuntimeException e) {
            if (RedisErrors.isUnavailable(e)) {
                throw RedisErrors.wrap("checking notify-keyspace-events", e);
            }
            fail(mode, "CONFIG GET/SET notify-keyspace-events was refused (" + e.getMessage() + ")");
        }
    }

    /** After a Cluster master's watch connection reconnected (maybe to a promoted replica): enable them there. */
    void ensureOnMasterOf(int slot) {
        if (!enabled) {
            return;
        }
        try (Connection c = clients.openTo(clients.slotOwner(slot))) {
            enableOn(c);
        }
    }

    private static void enableOn(Connection c) {
        String flags = configGet(c, "notify-keyspace-events");
        String missing = missing(flags);
        if (!missing.isEmpty()) {
            String wanted = flags + missing;
            c.executeCommand(new CommandArguments(Protocol.Command.CONFIG).add("SET")
                    .add("notify-keyspace-events").add(wanted));
            LOG.info("enabled Redis keyspace notifications for KvStore.watch: notify-keyspace-events '{}' -> '{}'",
                    flags, wanted);
        }
    }

    private void fail(RedisOptions.WatchMode mode, String why) {
        if (mode == RedisOptions.WatchMode.NOTIFICATIONS) {
            throw new TransportException("iios.redis.watch=notifications but " + why
                    + "; enable notify-keyspace-events '" + REQUIRED + "' on the server or set iios.redis.watch=auto");
        }
        if (enabled || reason == null) {
            LOG.warn("KvStore.watch polls every {} because {}; set notify-keyspace-events to include '{}' for "
                    + "instant changes", clients.options.watchPollInterval(), why, REQUIRED);
        }
        disable(why);
    }

    private void disable(String why) {
        enabled = false;
        reason = why;
    }

    static String configGet(Connection c, String name) {
        Object r = c.executeCommand(new CommandArguments(Protocol.Command.CONFIG).add("GET").add(name));
        if (r instanceof java.util.List<?> list && list.size() >= 2 && list.get(1) instanceof byte[] b) {
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
        throw new TransportException("unexpected reply to CONFIG GET " + name + ": " + r);
    }

    /** The flags of {@link #REQUIRED} that {@code flags} lacks ({@code A} stands for {@code g$lshzxet}). */
    static String missing(String flags) {
        StringBuilder out = new StringBuilder();
        boolean all = flags.indexOf('A') >= 0;
        for (char f : REQUIRED.toCharArray()) {
            boolean inAll = f != 'K' && all;
            if (flags.indexOf(f) < 0 && !inAll) {
                out.append(f);
            }
        }
        return out.toString();
    }

    /** The change an event name means for a watch, or null for events that change no value. */
    static KvListener.@Nullable Change change(String event) {
        return switch (event) {
            case "set", "setrange", "append", "incrby", "incrbyfloat", "rename_to", "restore", "copy_to" ->
                KvListener.Change.PUT;
            case "del", "rename_from", "move_from", "getdel" -> KvListener.Change.DELETE;
            case "expired", "evicted" -> KvListener.Change.EXPIRE;
            default -> null;
        };
    }
}
