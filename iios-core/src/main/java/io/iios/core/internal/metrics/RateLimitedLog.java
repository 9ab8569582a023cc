package io.iios.core.internal.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/** Logs a warning at most once per second per kind, saying how many were suppressed meanwhile. */
public final class RateLimitedLog {
    private static final long INTERVAL_NANOS = 1_000_000_000L;
    private final Logger log;
    private final Map<String, long[]> state = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();

    public RateLimitedLog(Logger log) {
        this.log = log;
    }

    public void warn(String kind, String message, @org.jspecify.annotations.Nullable Throwable error) {
        total.incrementAndGet();
        long now = System.nanoTime();
        long[] s = state.computeIfAbsent(kind, k -> new long[] {now - INTERVAL_NANOS - 1, 0});
        long suppressed;
        synchronized (s) {
            if (now - s[0] < INTERVAL_NANOS) {
                s[1]++;
                return;
            }
            suppressed = s[1];
            s[0] = now;
            s[1] = 0;
        }
        String suffix = suppressed > 0 ? " (" + suppressed + " similar suppressed in the last second)" : "";
        if (error != null && log.isDebugEnabled()) {
            log.warn("{}{}", message, suffix, error);
        } else {
            log.warn("{}{}", message, suffix);
        }
    }

    /** How many warnings were reported, logged or not. */
    public long total() {
        return total.get();
    }
}
