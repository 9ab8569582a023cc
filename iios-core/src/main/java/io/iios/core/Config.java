package io.iios.core;

import io.iios.api.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Immutable {@code iios.*} settings merged from their sources, highest first: system properties,
 * environment ({@code IIOS_CALL_TIMEOUT} for {@code iios.call.timeout}), the properties file
 * ({@code --config FILE}, else {@code $IIOS_CONFIG}, else {@code iios.properties} on the classpath),
 * then the defaults of {@link ConfigKeys}.
 *
 * <p>Typed getters fail with a {@link ConfigException} naming the key, the value and the expected form.
 */
public final class Config {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB|k|m|g)?",
            Pattern.CASE_INSENSITIVE);

    private final Map<String, String> values;
    private final Map<String, String> origins;

    private Config(Map<String, String> values, Map<String, String> origins) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.origins = Map.copyOf(origins);
    }

    /** Settings from the usual sources, with the file from {@code $IIOS_CONFIG} or the classpath. */
    public static Config load() {
        return load(null);
    }

    /**
     * Settings from the usual sources.
     *
     * @param file the properties file to read instead of {@code $IIOS_CONFIG} / classpath {@code iios.properties}
     * @throws ConfigException when the file cannot be read
     */
    public static Config load(@Nullable Path file) {
        return load(file, System.getenv(), System.getProperties(), Set.of());
    }

    /**
     * Settings from explicit sources (tests, embedding).
     *
     * @param extraKeys keys other than core's (a transport's) whose environment form should be recognised
     */
    public static Config load(@Nullable Path file, Map<String, String> env, Properties sysprops, Set<String> extraKeys) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        Path path = file;
        if (path == null && env.get("IIOS_CONFIG") != null && !env.get("IIOS_CONFIG").isBlank()) {
            path = Path.of(env.get("IIOS_CONFIG"));
        }
        if (path != null) {
            put(values, origins, readFile(path), "file " + path);
        } else {
            put(values, origins, readClasspath(), "classpath iios.properties");
        }
        Map<String, String> envNames = new LinkedHashMap<>();
        for (ConfigKey k : ConfigKeys.ALL) {
            envNames.put(k.envName(), k.key());
        }
        for (String k : extraKeys) {
            envNames.put(ConfigKey.envName(k), k);
        }
        for (String k : values.keySet()) {
            envNames.putIfAbsent(ConfigKey.envName(k), k);
        }
        Map<String, String> fromEnv = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("IIOS_") || name.equals("IIOS_CONFIG") || name.startsWith("IIOS_TEST_")
                    || name.equals("IIOS_REQUIRE_BROKERS")) {
                continue;
            }
            String key = envNames.getOrDefault(name, name.toLowerCase(Locale.ROOT).replace('_', '.'));
            fromEnv.put(key, e.getValue());
        }
        put(values, origins, fromEnv, "environment");
        Map<String, String> fromSys = new LinkedHashMap<>();
        for (String name : sysprops.stringPropertyNames()) {
            if (name.startsWith("iios.") && !name.equals("iios.require.brokers")) {
                fromSys.put(name, sysprops.getProperty(name));
            }
        }
        put(values, origins, fromSys, "system property");
        return new Config(values, origins);
    }

    /** Only these settings (plus defaults): no file, environment or system property is read. */
    public static Config of(Map<String, String> settings) {
        Map<String, String> origins = new LinkedHashMap<>();
        settings.keySet().forEach(k -> origins.put(k, "code"));
        return new Config(settings, origins);
    }

    /** A copy with one setting replaced (highest precedence). */
    public Config with(String key, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(key, value);
        Map<String, String> o = new LinkedHashMap<>(origins);
        o.put(key, "code");
        return new Config(v, o);
    }

    /** A copy with several settings replaced. */
    public Config with(Map<String, String> settings) {
        Config c = this;
        for (Map.Entry<String, String> e : settings.entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        return c;
    }

    private static void put(Map<String, String> values, Map<String, String> origins, Map<String, String> src,
            String origin) {
        src.forEach((k, v) -> {
            values.put(k, v.trim());
            origins.put(k, origin);
        });
    }

    private static Map<String, String> readFile(Path path) {
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return toMap(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + path + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> readClasspath() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = Config.class.getClassLoader();
        }
        try (InputStream in = cl.getResourceAsStream("iios.properties")) {
            if (in == null) {
                return Map.of();
            }
            try (Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
                return toMap(r);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read iios.properties from the classpath: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> toMap(Reader r) throws IOException {
        Properties p = new Properties();
        p.load(r);
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k, p.getProperty(k));
        }
        return m;
    }

    /** Every explicit setting (defaults not included), sorted by key. */
    public Map<String, String> asMap() {
        return values;
    }

    /** Where a setting came from ("file …", "environment", "system property", "code"), for messages. */
    public Optional<String> origin(String key) {
        return Optional.ofNullable(origins.get(key));
    }

    /** Keys set in a file or as system properties that neither core nor {@code knownKeys} defines. */
    public List<String> unknownKeys(Set<String> knownKeys) {
        List<String> unknown = new ArrayList<>();
        for (String k : values.keySet()) {
            if (!k.startsWith("iios.")) {
                continue;
            }
            boolean known = knownKeys.contains(k) || ConfigKeys.ALL.stream().anyMatch(ck -> ck.key().equals(k));
            if (!known) {
                unknown.add(k + " (" + origins.get(k) + ")");
            }
        }
        return unknown;
    }

    /** A setting as set (empty values count as unset). */
    public Optional<String> get(String key) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /** A core setting, or its default. */
    public String string(ConfigKey key) {
        return get(key.key()).orElse(key.defaultValue());
    }

    /** A duration: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}, or ISO-8601 ({@code PT5S}). */
    public Duration duration(ConfigKey key) {
        return duration(key.key(), string(key), key.form());
    }

    /** A duration setting with an explicit default. */
    public Duration duration(String key, Duration fallback) {
        return get(key).map(v -> duration(key, v, "a duration such as 500ms, 5s, 1m")).orElse(fallback);
    }

    private Duration duration(String key, String value, String form) {
        Matcher m = DURATION.matcher(value.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "ms" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value.trim());
        } catch (RuntimeException e) {
            throw invalid(key, value, form);
        }
    }

    /** A size in bytes: {@code 65536}, {@code 512KiB}, {@code 4MiB}, {@code 1GiB}. */
    public long bytes(ConfigKey key) {
        String value = string(key);
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw invalid(key.key(), value, key.form());
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "kib", "kb", "k" -> n * 1024;
            case "mib", "mb", "m" -> n * 1024 * 1024;
            case "gib", "gb", "g" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
    }

    /** An integer setting with an explicit default and bounds. */
    public int integer(String key, int fallback, int min, int max) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get().trim());
            if (n < min || n > max) {
                throw invalid(key, v.get(), "an integer from " + min + " to " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(key, v.get(), "an integer from " + min + " to " + max);
        }
    }

    /** A boolean setting ({@code true}/{@code false}, {@code yes}/{@code no}, {@code on}/{@code off}). */
    public boolean bool(String key, boolean fallback) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return fallback;
        }
        return switch (v.get().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw invalid(key, v.get(), "true or false");
        };
    }

    /** A comma-separated list (blank entries dropped). */
    public List<String> list(String key) {
        return get(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /** One of a fixed set of words. */
    public String oneOf(ConfigKey key, String... allowed) {
        String v = string(key);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw invalid(key.key(), v, String.join(" or ", allowed));
    }

    /** The error for an invalid value: key, value, where it came from and the expected form. */
    public ConfigException invalid(String key, String value, String form) {
        String origin = origins.get(key);
        return new ConfigException("invalid value '" + value + "' for " + key + " (environment " + ConfigKey.envName(key)
                + (origin == null ? "" : ", set by " + origin) + "): expected " + form);
    }

    @Override
    public String toString() {
        return "Config" + values;
    }
}
