package io.iios.cli;

import io.iios.api.ConfigException;
import io.iios.core.Config;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations on the command line use the configuration grammar: {@code 500ms}, {@code 5s}, {@code 1m}, {@code PT5S}. */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final String KEY = "option";

    @Override
    public Duration convert(String value) {
        try {
            Duration d = Config.of(Map.of(KEY, value)).duration(KEY, Duration.ZERO);
            if (d.isNegative()) {
                throw new TypeConversionException("'" + value + "' is negative");
            }
            return d;
        } catch (ConfigException e) {
            throw new TypeConversionException("'" + value + "' is not a duration such as 500ms, 5s, 1m or PT5S");
        }
    }

    /** A duration as {@link #convert} reads it back, for setting a config key. */
    static String format(Duration d) {
        return d.toMillis() + "ms";
    }
}
