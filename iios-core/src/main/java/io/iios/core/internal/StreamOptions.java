package io.iios.core.internal;

import io.iios.core.Config;
import io.iios.core.ConfigKeys;
import java.time.Duration;

/**
 * How streams flow: the largest chunk, the credit window a reader grants (in chunks) and the idle
 * timeout after which a silent peer is declared gone (heartbeats go every third of it).
 */
public record StreamOptions(int chunkSize, int window, Duration idleTimeout) {

    /** Room left in a message for the envelope around a chunk. */
    static final int ENVELOPE_ROOM = 1024;

    public static StreamOptions from(Config c) {
        long chunk = c.bytes(ConfigKeys.STREAM_CHUNK_SIZE);
        long max = c.bytes(ConfigKeys.MESSAGE_MAX_BYTES);
        boolean explicit = c.get(ConfigKeys.STREAM_CHUNK_SIZE.key()).isPresent();
        if (!explicit && encodedSize(chunk) > max) {
            chunk = Math.max(1024, chunkFitting(max)); // the default yields to a small iios.message.max-bytes
        }
        if (chunk < 1024 || encodedSize(chunk) > max) {
            throw c.invalid(ConfigKeys.STREAM_CHUNK_SIZE.key(), c.string(ConfigKeys.STREAM_CHUNK_SIZE),
                    "a size of at least 1KiB whose encoded chunk (" + encodedSize(Math.max(chunk, 1024))
                            + " bytes with base64) fits iios.message.max-bytes (" + max + ")");
        }
        int window = c.integer(ConfigKeys.STREAM_WINDOW.key(), Integer.parseInt(ConfigKeys.STREAM_WINDOW.defaultValue()),
                1, 1024);
        Duration idle = c.duration(ConfigKeys.STREAM_IDLE_TIMEOUT);
        if (idle.compareTo(Duration.ofMillis(300)) < 0) {
            throw c.invalid(ConfigKeys.STREAM_IDLE_TIMEOUT.key(), c.string(ConfigKeys.STREAM_IDLE_TIMEOUT),
                    ConfigKeys.STREAM_IDLE_TIMEOUT.form());
        }
        return new StreamOptions((int) chunk, window, idle);
    }

    /** The worst-case size of a message carrying a chunk of this many bytes (json: base64). */
    public static long encodedSize(long chunk) {
        return (chunk + 2) / 3 * 4 + ENVELOPE_ROOM;
    }

    /** The largest chunk that fits a message limit. */
    public static int chunkFitting(long messageLimit) {
        long room = Math.max(0, messageLimit - ENVELOPE_ROOM);
        return (int) Math.min(Integer.MAX_VALUE - 8, room / 4 * 3);
    }

    /** How often a side that has nothing else to say sends a heartbeat. */
    public Duration heartbeat() {
        return idleTimeout.dividedBy(3);
    }
}
