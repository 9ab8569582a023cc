package io.iios.transport.http.internal;

import io.iios.api.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Authenticates requests to a discovery server with {@code iios.security.key}: header
 * {@code Iios-Hub-Auth: TS.SIG}, SIG = base64url(HMAC-SHA256(key, "iios-hub-1\n" OP "\n" TARGET "\n"
 * EXTRA "\n" TS "\n" hex(SHA-256(body)))). The server checks the signature in constant time and the
 * timestamp against the skew. Without a key nothing is signed or checked.
 */
public final class HubAuth {
    public static final String HEADER = "Iios-Hub-Auth";
    private static final long MAX_SKEW_MILLIS = 30_000;
    private final byte @Nullable [] key;

    private HubAuth(byte @Nullable [] key) {
        this.key = key;
    }

    /** From {@code iios.security.key}: text, or {@code base64:} and base64; at least 32 bytes. */
    public static HubAuth fromKey(@Nullable String configured) {
        if (configured == null || configured.isBlank()) {
            return new HubAuth(null);
        }
        byte[] k;
        if (configured.startsWith("base64:")) {
            try {
                k = Base64.getDecoder().decode(configured.substring(7).trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("invalid iios.security.key: not valid base64 after 'base64:'");
            }
        } else {
            k = configured.getBytes(StandardCharsets.UTF_8);
        }
        if (k.length < 32) {
            throw new ConfigException("invalid iios.security.key: it must hold at least 32 bytes");
        }
        return new HubAuth(k);
    }

    public boolean enabled() {
        return key != null;
    }

    /** The header value for a request, or null without a key. */
    public @Nullable String sign(String op, String target, String extra, byte[] body) {
        if (key == null) {
            return null;
        }
        long ts = System.currentTimeMillis();
        return ts + "." + mac(op, target, extra, ts, body);
    }

    /** Whether a request carries a valid signature (always true without a key). */
    public boolean verify(@Nullable String header, String op, String target, String extra, byte[] body) {
        if (key == null) {
            return true;
        }
        if (header == null) {
            return false;
        }
        int dot = header.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(header.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(System.currentTimeMillis() - ts) > MAX_SKEW_MILLIS) {
            return false;
        }
        byte[] expected = mac(op, target, extra, ts, body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = header.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    private String mac(String op, String target, String extra, long ts, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            String input = "iios-hub-1\n" + op + "\n" + target + "\n" + extra + "\n" + ts + "\n" + hash;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
