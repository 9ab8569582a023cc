package io.iios.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads a transport's settings ({@link TransportConfig#properties()}) in the forms core's configuration
 * uses, with one error message shape: {@code invalid value 'X' for KEY (environment ENV): expected …}.
 * A blank value counts as absent (the default applies).
 */
public final class Settings {
    private Settings() {
    }

    /** The value, trimmed, or null when absent or blank. */
    public static @Nullable String optional(Map<String, String> p, String key) {
        String raw = p.get(key);
        return raw == null || raw.isBlank() ? null : raw.trim();
    }

    /** {@code true}/{@code yes}/{@code on}/{@code 1} or {@code false}/{@code no}/{@code off}/{@code 0}, any case (as core's). */
    public static boolean bool(Map<String, String> p, String key, boolean dflt) {
        String raw = optional(p, key);
        if (raw == null) {
            return dflt;
        }
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw invalid(key, raw, "true or false");
        };
    }

    /** A whole number in {@code [min, max]}. */
    public static int integer(Map<String, String> p, String key, int dflt, int min, int max) {
        return integer(p, key, dflt, min, max, max == Integer.MAX_VALUE ? "a whole number of at least " + min
                : "a whole number from " + min + " to " + max);
    }

    /** A whole number in {@code [min, max]}; {@code expected} says what is allowed, for the error. */
    public static int integer(Map<String, String> p, String key, int dflt, int min, int max, String expected) {
        String raw = optional(p, key);
        if (raw == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(raw);
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw invalid(key, raw, expected);
        }
    }

    /** A duration ({@link #parseDuration}) of at least {@code min}; {@code dflt} in the same form. */
    public static Duration duration(Map<String, String> p, String key, String dflt, Duration min) {
        String raw = p.getOrDefault(key, dflt).trim();
        if (raw.isEmpty()) {
            raw = dflt;
        }
        Duration d = parseDuration(raw);
        if (d == null || d.compareTo(min) < 0) {
            throw invalid(key, raw, "a duration such as 500ms, 5s, 1m (at least " + min.toMillis() + "ms)");
        }
        return d;
    }

    /**
     * {@code 500ms}, {@code 5s}, {@code 1m}, {@code 2h}, {@code 1d}, a bare number of milliseconds, or ISO-8601
     * ({@code PT5S}); null when it is none of these or negative.
     */
    public static @Nullable Duration parseDuration(String s) {
        try {
            if (s.startsWith("P") || s.startsWith("p")) {
                return Duration.parse(s);
            }
            String lower = s.toLowerCase(Locale.ROOT);
            String[][] units = {{"ms", "1"}, {"s", "1000"}, {"m", "60000"}, {"h", "3600000"}, {"d", "86400000"}};
            for (String[] u : units) {
                if (lower.endsWith(u[0]) && !(u[0].equals("s") && lower.endsWith("ms"))) {
                    long n = Long.parseLong(lower.substring(0, lower.length() - u[0].length()).trim());
                    return n < 0 ? null : Duration.ofMillis(Math.multiplyExact(n, Long.parseLong(u[1])));
                }
            }
            long n = Long.parseLong(lower);
            return n < 0 ? null : Duration.ofMillis(n);
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    /** The environment form of a key, e.g. {@code IIOS_NATS_SERVERS} for {@code iios.nats.servers}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The error for a value that is not what {@code expected} says. */
    public static TransportException invalid(String key, @Nullable String value, String expected) {
        return new TransportException("invalid value '" + value + "' for " + key + " (environment " + envName(key)
                + "): expected " + expected);
    }
}
