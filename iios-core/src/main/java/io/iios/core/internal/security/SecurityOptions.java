package io.iios.core.internal.security;

import io.iios.api.ConfigException;
import io.iios.core.Config;
import io.iios.core.ConfigKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Message signing settings: the key, an extra accepted key with its end of validity, the largest
 * clock skew accepted. Key values never appear in errors or {@link #toString()}.
 */
public record SecurityOptions(byte @Nullable [] key, byte @Nullable [] previousKey, @Nullable Instant previousUntil,
        Duration maxSkew) {
    /** Shortest key accepted, in bytes (HMAC-SHA256 block-size guidance: at least the output size). */
    public static final int MIN_KEY_BYTES = 32;

    public static SecurityOptions from(Config c) {
        byte[] key = secret(c, ConfigKeys.SECURITY_KEY.key());
        byte[] previous = secret(c, ConfigKeys.SECURITY_PREVIOUS_KEY.key());
        Instant until = null;
        Optional<String> u = c.get(ConfigKeys.SECURITY_PREVIOUS_KEY_UNTIL.key());
        if (u.isPresent()) {
            try {
                until = Instant.parse(u.get().trim());
            } catch (DateTimeParseException e) {
                throw c.invalid(ConfigKeys.SECURITY_PREVIOUS_KEY_UNTIL.key(), u.get(),
                        ConfigKeys.SECURITY_PREVIOUS_KEY_UNTIL.form());
            }
        }
        if (previous != null && until == null) {
            throw new ConfigException(ConfigKeys.SECURITY_PREVIOUS_KEY.key() + " is set but "
                    + ConfigKeys.SECURITY_PREVIOUS_KEY_UNTIL.key() + " is not: say until when (an ISO instant such as "
                    + "2026-01-31T00:00:00Z) the previous key stays accepted");
        }
        if (previous != null && key == null) {
            throw new ConfigException(ConfigKeys.SECURITY_PREVIOUS_KEY.key() + " is set but "
                    + ConfigKeys.SECURITY_KEY.key() + " is not");
        }
        Duration skew = c.duration(ConfigKeys.SECURITY_MAX_SKEW);
        if (skew.isNegative() || skew.isZero()) {
            throw c.invalid(ConfigKeys.SECURITY_MAX_SKEW.key(), c.string(ConfigKeys.SECURITY_MAX_SKEW),
                    "a positive duration");
        }
        return new SecurityOptions(key, previous, until, skew);
    }

    /** {@code base64:...} or plain text; at least {@link #MIN_KEY_BYTES} bytes. The value is never echoed. */
    private static byte @Nullable [] secret(Config c, String name) {
        Optional<String> v = c.get(name);
        if (v.isEmpty()) {
            return null;
        }
        String s = v.get();
        byte[] bytes;
        if (s.startsWith("base64:")) {
            try {
                bytes = Base64.getDecoder().decode(s.substring(7).trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("invalid value for " + name + " (environment "
                        + io.iios.core.ConfigKey.envName(name) + "): the text after 'base64:' is not base64");
            }
        } else {
            bytes = s.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length < MIN_KEY_BYTES) {
            throw new ConfigException("invalid value for " + name + " (environment "
                    + io.iios.core.ConfigKey.envName(name) + "): a key of " + bytes.length + " bytes is too short; "
                    + "expected at least " + MIN_KEY_BYTES + " bytes, as text or as base64:... (e.g. the output of "
                    + "`openssl rand -base64 32`)");
        }
        return bytes;
    }

    public boolean signing() {
        return key != null;
    }

    @Override
    public String toString() {
        return "SecurityOptions[key=" + (key == null ? "none" : "set") + ", previousKey="
                + (previousKey == null ? "none" : "set until " + previousUntil) + ", maxSkew=" + maxSkew + "]";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
