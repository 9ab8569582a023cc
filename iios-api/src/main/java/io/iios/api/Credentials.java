package io.iios.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a caller presented to a gateway: its request headers (names compared without case) and the
 * address the connection came from.
 *
 * @param headers header name (lower case) → value
 * @param remoteAddress the peer's IP address as text, or null when unknown
 */
public record Credentials(Map<String, String> headers, @Nullable String remoteAddress) {

    public Credentials {
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        headers = Map.copyOf(lower);
    }

    /** Credentials made of one {@code Authorization: Bearer TOKEN} header. */
    public static Credentials bearer(String token) {
        return new Credentials(Map.of("authorization", "Bearer " + token), null);
    }

    /** A header, by name in any case. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The token of an {@code Authorization: Bearer} header, if there is one. */
    public Optional<String> bearerToken() {
        return header("authorization").filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim()).filter(t -> !t.isEmpty());
    }
}
