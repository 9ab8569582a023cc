package io.iios.core.security;

import io.iios.api.Authenticator;
import io.iios.api.ConfigException;
import io.iios.api.Credentials;
import io.iios.api.Principal;
import io.iios.core.Config;
import io.iios.core.ConfigKeys;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Believes a user header (default {@code X-Forwarded-User}) only when the request comes straight
 * from a configured proxy address (an IP or a CIDR range), which must strip that header from what it
 * forwards and set it after authenticating the user itself. Requests from anywhere else, or without
 * the header, are not authenticated. Host names are never resolved.
 */
public final class TrustedHeaderAuthenticator implements Authenticator {
    private final String header;
    private final List<Range> proxies;

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    /**
     * @param header the header the proxy sets
     * @param proxies IP addresses or CIDR ranges ({@code 10.0.0.5}, {@code 10.1.0.0/16}, {@code fd00::/8})
     */
    public TrustedHeaderAuthenticator(String header, List<String> proxies) {
        if (header.isBlank()) {
            throw new IllegalArgumentException("the trusted header name must not be blank");
        }
        this.header = header;
        List<Range> r = new ArrayList<>();
        for (String p : proxies) {
            r.add(parse(p));
        }
        this.proxies = List.copyOf(r);
    }

    /** From {@code iios.auth.header.name} and {@code iios.auth.header.proxies}. */
    public static TrustedHeaderAuthenticator from(Config c) {
        try {
            return new TrustedHeaderAuthenticator(c.string(ConfigKeys.AUTH_HEADER_NAME),
                    c.list(ConfigKeys.AUTH_HEADER_PROXIES.key()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigKeys.AUTH_HEADER_PROXIES.key() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Principal> authenticate(Credentials credentials) {
        byte[] peer = literal(credentials.remoteAddress());
        if (peer == null || proxies.stream().noneMatch(r -> r.contains(peer))) {
            return Optional.empty();
        }
        return credentials.header(header).map(String::trim).filter(u -> !u.isEmpty())
                .map(u -> new Principal(u, Map.of("proxy", String.valueOf(credentials.remoteAddress()))));
    }

    private static Range parse(String cidr) {
        int slash = cidr.indexOf('/');
        byte[] net = literal(slash < 0 ? cidr : cidr.substring(0, slash));
        if (net == null) {
            throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR range");
        }
        int prefix = net.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > net.length * 8) {
                throw new IllegalArgumentException("'" + cidr + "' has an invalid prefix length");
            }
        }
        return new Range(net, prefix);
    }

    /** The bytes of an IP literal; null for anything else (host names are never resolved). */
    private static byte @Nullable [] literal(@Nullable String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        String a = address.trim();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        boolean v4 = a.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = a.indexOf(':') >= 0 && a.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
