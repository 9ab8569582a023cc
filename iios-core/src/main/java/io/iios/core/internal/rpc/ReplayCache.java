package io.iios.core.internal.rpc;

import io.iios.core.internal.metrics.NodeMetrics;
import io.iios.spi.MessageHandler;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The callee's memory of recent calls, keyed by the call identity of the request envelope: the caller's node id
 * ({@code n}) and its call id ({@code id}), both covered by the signature when {@code iios.security.key} is set.
 * A caller re-sends over HTTP a call whose broker delivery became unknown (the broker went down while it was in
 * flight) with the same bytes; here a repeat of a finished call gets the stored reply, a repeat of a call still
 * running waits for the same reply, and an unseen call runs. A request with a known identity but different bytes
 * is no repeat: it runs as a new call and is not recorded, so a forged repeat never fetches another's reply.
 *
 * <p>Bounded: an entry lives until the call's deadline plus {@code keep} (clock differences between nodes), and
 * at most {@code maxEntries} live at once (the oldest goes first, counted as {@code evicted} when its deadline had
 * not passed). Counts in {@code iios.call.replays{outcome=replayed|joined|mismatch|evicted}}.
 */
public final class ReplayCache {
    private record Key(String node, long id) {
    }

    private static final class Entry {
        final Key key;
        final byte[] request;
        final long deadlineMillis;
        final long expiresAtMillis;
        final CompletableFuture<byte[]> reply = new CompletableFuture<>();

        Entry(Key key, byte[] request, long deadlineMillis, long expiresAtMillis) {
            this.key = key;
            this.request = request;
            this.deadlineMillis = deadlineMillis;
            this.expiresAtMillis = expiresAtMillis;
        }
    }

    /**
     * What to do with a request: run it, replying through {@link #replies()} (which records the reply), or, for
     * a repeat, send the first arrival's reply when {@link #repeatOf()} completes.
     */
    public record Claim(@Nullable PubSub replies, @Nullable CompletableFuture<byte[]> repeatOf) {
    }

    private static final Claim UNRECORDED = new Claim(null, null);

    private final int maxEntries;
    private final long keepMillis;
    private final NodeMetrics metrics;
    private final LongSupplier clock;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Entry> order = new ConcurrentLinkedQueue<>();

    public ReplayCache(int maxEntries, Duration keep, NodeMetrics metrics) {
        this(maxEntries, keep, metrics, System::currentTimeMillis);
    }

    ReplayCache(int maxEntries, Duration keep, NodeMetrics metrics, LongSupplier clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.maxEntries = maxEntries;
        this.keepMillis = keep.toMillis();
        this.metrics = metrics;
        this.clock = clock;
        metrics.gauge("iios.call.replay.entries", entries::size);
    }

    /**
     * Looks a request up by its identity, recording it when unseen.
     *
     * @param node the caller node id of the (verified) envelope
     * @param id its call id
     * @param request the request bytes as received
     * @param deadlineMillis its deadline
     * @param replies where the callee sends the reply to this arrival
     */
    public Claim claim(String node, long id, byte[] request, long deadlineMillis, PubSub replies) {
        long now = clock.getAsLong();
        purge(now);
        Key key = new Key(node, id);
        Entry fresh = new Entry(key, request, deadlineMillis, Math.max(deadlineMillis, now) + keepMillis);
        Entry seen = entries.putIfAbsent(key, fresh);
        if (seen == null) {
            order.offer(fresh);
            return new Claim(new Recording(fresh, replies), null);
        }
        if (!Arrays.equals(seen.request, request)) {
            metrics.replay("mismatch");
            return UNRECORDED;
        }
        metrics.replay(seen.reply.isDone() ? "replayed" : "joined");
        return new Claim(null, seen.reply);
    }

    /** How many calls it remembers now. */
    public int size() {
        return entries.size();
    }

    private void purge(long now) {
        while (true) {
            Entry head = order.peek();
            if (head == null) {
                return;
            }
            boolean expired = head.expiresAtMillis < now;
            if (!expired && entries.size() < maxEntries) {
                return;
            }
            if (order.remove(head) && entries.remove(head.key, head) && !expired && head.deadlineMillis >= now) {
                metrics.replay("evicted");
            }
        }
    }

    /** Sends replies on, and keeps the first one as the call's reply for repeats. */
    private static final class Recording implements PubSub {
        private final Entry entry;
        private final PubSub next;

        Recording(Entry entry, PubSub next) {
            this.entry = entry;
            this.next = next;
        }

        @Override
        public void publish(String channel, byte[] payload) {
            entry.reply.complete(payload);
            next.publish(channel, payload);
        }

        @Override
        public Subscription subscribe(String pattern, MessageHandler handler) {
            return next.subscribe(pattern, handler);
        }

        @Override
        public Subscription subscribe(String pattern, String group, MessageHandler handler) {
            return next.subscribe(pattern, group, handler);
        }
    }
}
