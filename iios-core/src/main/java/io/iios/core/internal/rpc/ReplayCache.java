package io.iios.core.internal.rpc;

import io.iios.core.internal.metrics.NodeMetrics;
import io.iios.spi.MessageHandler;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
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
 * <p>Bounded: an entry lives until the call's deadline plus {@code keep} (clock differences between nodes), in a
 * fixed table of {@code maxEntries} places (rounded up to a multiple of {@link #WAYS}) allocated once. A call
 * id picks a set of {@link #WAYS} places; a new call takes a free or expired one, else the one whose entry ends
 * soonest (counted as {@code evicted} when its deadline had not passed). Counts in
 * {@code iios.call.replays{outcome=replayed|joined|mismatch|evicted}}.
 *
 * <p>Every call of a broker node that serves the HTTP route passes here, so what it keeps is laid out for the
 * garbage collector: the identity, deadline and end of each place in flat arrays, and the request and reply bytes
 * copied into one byte slab allocated with the table ({@link #SLOT_BYTES} per place, the slab at most
 * {@link #MAX_SLAB_BYTES}); only bytes that do not fit are kept as arrays of their own. Keeping each call's
 * objects instead (an entry, its future, the request and reply arrays, the decoded node id) made every young
 * collection copy the last {@code maxEntries} calls: ~2 µs of CPU per call at 100 calls in flight on Redis
 * (docs/performance.md).
 */
public final class ReplayCache {
    /** Places per set: a new call displaces an entry only when all of its set's places hold live calls. */
    static final int WAYS = 8;
    /** Slab bytes per place, for the request and the reply together. */
    static final int SLOT_BYTES = 512;
    static final int MAX_SLAB_BYTES = 16 << 20;
    private static final int LOCKS = 64;
    private static final int RUNNING = -1;

    /**
     * What to do with a request: run it, replying through {@link #replies()} (which records the reply), or, for
     * a repeat, send the first arrival's reply when {@link #repeatOf()} completes.
     */
    public record Claim(@Nullable PubSub replies, @Nullable CompletableFuture<byte[]> repeatOf) {
    }

    private static final Claim UNRECORDED = new Claim(null, null);

    private final int ways;
    private final int sets;
    private final int slotBytes;
    // Place i belongs to set i / ways; every field of place i is guarded by lockOf(i / ways).
    private final long[] ids;
    private final int[] nodeHashes;
    private final long[] deadlines;
    private final long[] ends; // Long.MIN_VALUE: never used
    private final int[] requestLengths;
    private final int[] replyLengths; // RUNNING until the reply is recorded
    private final byte[] slab; // place i: bytes [i * slotBytes, (i + 1) * slotBytes), request then reply
    private final @Nullable Object[] requests; // the request array when it does not fit in the slab
    private final @Nullable Object[] replies; // the reply array when it does not fit
    private final @Nullable Recording[] running; // the running call, for repeats that join it
    private final Object[] locks = new Object[LOCKS];
    private final long keepMillis;
    private final NodeMetrics metrics;
    /** Counted on nearly every call once the cache is full: a striped adder, read by a function counter. */
    private final LongAdder evicted = new LongAdder();
    private final LongSupplier clock;

    public ReplayCache(int maxEntries, Duration keep, NodeMetrics metrics) {
        this(maxEntries, keep, metrics, System::currentTimeMillis);
    }

    ReplayCache(int maxEntries, Duration keep, NodeMetrics metrics, LongSupplier clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.ways = Math.min(WAYS, maxEntries);
        this.sets = (maxEntries + ways - 1) / ways;
        int places = sets * ways;
        int perPlace = Math.min(SLOT_BYTES, MAX_SLAB_BYTES / places);
        this.slotBytes = perPlace < 64 ? 0 : perPlace;
        this.ids = new long[places];
        this.nodeHashes = new int[places];
        this.deadlines = new long[places];
        this.ends = new long[places];
        Arrays.fill(ends, Long.MIN_VALUE);
        this.requestLengths = new int[places];
        this.replyLengths = new int[places];
        this.slab = new byte[places * slotBytes];
        this.requests = new Object[places];
        this.replies = new Object[places];
        this.running = new Recording[places];
        for (int i = 0; i < LOCKS; i++) {
            locks[i] = new Object();
        }
        this.keepMillis = keep.toMillis();
        this.metrics = metrics;
        metrics.replaysCounted("evicted", evicted);
        this.clock = clock;
        metrics.gauge("iios.call.replay.entries", this::size);
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
        int nodeHash = node.hashCode();
        int set = setOf(id);
        int first = set * ways;
        Recording fresh = null; // an unseen call
        boolean displaced = false;
        String outcome = "mismatch"; // else, what the repeat is
        CompletableFuture<byte[]> repeatOf = null;
        synchronized (lockOf(set)) {
            int victim = first;
            long victimEnd = Long.MAX_VALUE;
            int seen = -1;
            for (int i = first; i < first + ways; i++) {
                long end = ends[i];
                if (end < now) { // free or expired
                    if (victimEnd != Long.MIN_VALUE) {
                        victim = i;
                        victimEnd = Long.MIN_VALUE;
                    }
                } else if (ids[i] == id && nodeHashes[i] == nodeHash) {
                    seen = i;
                    break;
                } else if (end < victimEnd) {
                    victim = i;
                    victimEnd = end;
                }
            }
            if (seen < 0) {
                displaced = victimEnd >= now && deadlines[victim] >= now;
                fresh = take(victim, id, nodeHash, request, deadlineMillis, Math.max(deadlineMillis, now) + keepMillis,
                        replies);
            } else if (sameRequest(seen, request)) {
                // the request bytes hold the node id and call id: equal bytes are the same call from the same node
                if (replyLengths[seen] != RUNNING) {
                    outcome = "replayed";
                    repeatOf = CompletableFuture.completedFuture(reply(seen));
                } else {
                    outcome = "joined";
                    Recording call = running[seen];
                    if (call.joined == null) {
                        call.joined = new CompletableFuture<>();
                    }
                    repeatOf = call.joined;
                }
            }
        }
        if (fresh != null) {
            if (displaced) {
                evicted.increment();
            }
            return new Claim(fresh, null);
        }
        metrics.replay(outcome);
        return repeatOf == null ? UNRECORDED : new Claim(null, repeatOf);
    }

    /** Gives place {@code i} to a new call. Under its set's lock. */
    private Recording take(int i, long id, int nodeHash, byte[] request, long deadlineMillis, long end,
            PubSub next) {
        ids[i] = id;
        nodeHashes[i] = nodeHash;
        deadlines[i] = deadlineMillis;
        ends[i] = end;
        requestLengths[i] = request.length;
        if (request.length <= slotBytes) {
            System.arraycopy(request, 0, slab, i * slotBytes, request.length);
            requests[i] = null;
        } else {
            requests[i] = request;
        }
        replyLengths[i] = RUNNING;
        replies[i] = null;
        Recording recording = new Recording(this, i, next);
        running[i] = recording;
        return recording;
    }

    private boolean sameRequest(int i, byte[] request) {
        Object big = requests[i];
        if (big != null) {
            return Arrays.equals((byte[]) big, request);
        }
        int at = i * slotBytes;
        return requestLengths[i] == request.length
                && Arrays.equals(slab, at, at + request.length, request, 0, request.length);
    }

    private byte[] reply(int i) {
        Object big = replies[i];
        if (big != null) {
            return (byte[]) big;
        }
        int at = i * slotBytes + requestLengths[i];
        return Arrays.copyOfRange(slab, at, at + replyLengths[i]);
    }

    /** Keeps the first reply of a call, if its place still holds it, and hands it to the repeats that joined it. */
    private void record(Recording call, byte[] reply) {
        int i = call.place;
        CompletableFuture<byte[]> joined;
        synchronized (lockOf(i / ways)) {
            joined = call.joined;
            call.joined = null;
            if (running[i] == call) { // the place is still this call's, and it has not replied yet
                boolean inSlab = requests[i] == null && requestLengths[i] + reply.length <= slotBytes;
                if (inSlab) {
                    System.arraycopy(reply, 0, slab, i * slotBytes + requestLengths[i], reply.length);
                } else {
                    replies[i] = reply;
                }
                replyLengths[i] = reply.length;
                running[i] = null;
            }
        }
        if (joined != null) {
            joined.complete(reply);
        }
    }

    /** How many calls it remembers now (entries whose deadline plus keep has not passed). */
    public int size() {
        long now = clock.getAsLong();
        int live = 0;
        for (int set = 0; set < sets; set++) {
            synchronized (lockOf(set)) {
                for (int i = set * ways; i < (set + 1) * ways; i++) {
                    if (ends[i] >= now) {
                        live++;
                    }
                }
            }
        }
        return live;
    }

    /** The set of a call id: call ids count up per caller node, so they are mixed (murmur3's 64-bit finalizer). */
    int setOf(long id) {
        long h = id;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Long.remainderUnsigned(h, sets);
    }

    private Object lockOf(int set) {
        return locks[set & (LOCKS - 1)];
    }

    /**
     * One call that runs: sends its replies on and records the first one for repeats, also when its place has
     * gone to another call meanwhile (then only the repeats that joined it get it).
     */
    private static final class Recording implements PubSub {
        private final ReplayCache cache;
        private final int place;
        private final PubSub next;
        private @Nullable CompletableFuture<byte[]> joined; // guarded by the place's set's lock

        Recording(ReplayCache cache, int place, PubSub next) {
            this.cache = cache;
            this.place = place;
            this.next = next;
        }

        @Override
        public void publish(String channel, byte[] payload) {
            cache.record(this, payload);
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
