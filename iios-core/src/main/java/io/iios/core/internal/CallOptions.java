package io.iios.core.internal;

import io.iios.core.Config;
import io.iios.core.ConfigKeys;
import java.time.Duration;

/**
 * How calls are made: default timeout, balancing, largest message, route (broker or HTTP), grace after a broker
 * outage, and the callee's replay cache (entries, 0 = off; how long past a call's deadline it is kept).
 */
public record CallOptions(Duration timeout, Balance balance, long maxMessageBytes, Route route, Duration recoveryGrace,
        int replayEntries, Duration replayKeep) {

    /** Which path a call takes to an instance that advertises an HTTP endpoint (iios.call.route). */
    public enum Route {
        /** The broker; HTTP when the broker path fails (or first, when the route says it is preferred). */
        AUTO,
        /** The broker only. */
        BROKER,
        /** HTTP to instances that advertise an endpoint; the broker for the others. */
        HTTP
    }

    /** How a call picks an instance. */
    public enum Balance {
        ROUND_ROBIN, LEAST_IN_FLIGHT
    }

    public static CallOptions from(Config c) {
        Duration timeout = c.duration(ConfigKeys.CALL_TIMEOUT);
        if (timeout.isZero() || timeout.isNegative()) {
            throw c.invalid(ConfigKeys.CALL_TIMEOUT.key(), c.string(ConfigKeys.CALL_TIMEOUT), "a positive duration");
        }
        Balance balance = c.oneOf(ConfigKeys.CALL_BALANCE, "round-robin", "least-in-flight").equals("round-robin")
                ? Balance.ROUND_ROBIN : Balance.LEAST_IN_FLIGHT;
        long max = c.bytes(ConfigKeys.MESSAGE_MAX_BYTES);
        if (max < 1024) {
            throw c.invalid(ConfigKeys.MESSAGE_MAX_BYTES.key(), c.string(ConfigKeys.MESSAGE_MAX_BYTES),
                    "a size of at least 1KiB");
        }
        Route route = Route.valueOf(c.oneOf(ConfigKeys.CALL_ROUTE, "auto", "broker", "http")
                .toUpperCase(java.util.Locale.ROOT));
        Duration grace = c.duration(ConfigKeys.CALL_RECOVERY_GRACE);
        if (grace.isNegative()) {
            throw c.invalid(ConfigKeys.CALL_RECOVERY_GRACE.key(), c.string(ConfigKeys.CALL_RECOVERY_GRACE),
                    "a duration of 0s or more");
        }
        int replayEntries = c.integer(ConfigKeys.CALL_REPLAY_ENTRIES.key(),
                Integer.parseInt(ConfigKeys.CALL_REPLAY_ENTRIES.defaultValue()), 0, 1_000_000);
        Duration replayKeep = c.duration(ConfigKeys.CALL_REPLAY_KEEP);
        if (replayKeep.isNegative()) {
            throw c.invalid(ConfigKeys.CALL_REPLAY_KEEP.key(), c.string(ConfigKeys.CALL_REPLAY_KEEP),
                    "a duration of 0s or more");
        }
        return new CallOptions(timeout, balance, max, route, grace, replayEntries, replayKeep);
    }
}
