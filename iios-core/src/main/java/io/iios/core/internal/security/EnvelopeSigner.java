package io.iios.core.internal.security;

import io.iios.core.internal.metrics.NodeMetrics;
import io.iios.core.internal.metrics.RateLimitedLog;
import io.iios.spi.Encoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Signs and verifies envelopes (docs/protocol.md, "Signing"): {@code sig} = HMAC-SHA256 over
 * {@code "iios-sig-1\n"}, the canonical form of every field but {@code sig} and the body, then the
 * SHA-256 of the canonical form of the body (the first present of {@code a, res, err, p, rec}).
 * Without a key it signs nothing and accepts everything.
 *
 * <p>{@link Mac} and {@link MessageDigest} instances are pooled, not thread-local: most callers are
 * short-lived virtual threads, which would make a thread-local a fresh instance per call.
 */
public final class EnvelopeSigner {
    static final byte[] PREFIX = "iios-sig-1\n".getBytes(StandardCharsets.US_ASCII);
    static final List<String> BODY_FIELDS = List.of("a", "res", "err", "p", "rec");
    private static final int POOL_MAX = 64;

    /** The outcome of a check; anything but {@code OK} is a drop reason. */
    public enum Verdict {
        OK, UNSIGNED, FORGED, STALE;

        /** The {@code reason} tag of {@code iios.messages.dropped}. */
        public String reason() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final @Nullable SecretKeySpec key;
    private final @Nullable SecretKeySpec previous;
    private final String kid;
    private final @Nullable String previousKid;
    private final long previousUntilMillis;
    private final long maxSkewMillis;
    private final Encoder encoder;
    private final boolean bytesStayBinary;
    private final LongSupplier clock;
    private final ConcurrentLinkedQueue<State> pool = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    private final class State {
        final CanonicalForm form = new CanonicalForm();
        final MessageDigest sha;
        final Mac mac;
        final @Nullable Mac previousMac;

        State() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
                mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                if (previous != null) {
                    previousMac = Mac.getInstance("HmacSHA256");
                    previousMac.init(previous);
                } else {
                    previousMac = null;
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JVM lacks HmacSHA256/SHA-256", e);
            }
        }
    }

    private EnvelopeSigner(SecurityOptions options, Encoder encoder, LongSupplier clock) {
        this.key = options.key() == null ? null : new SecretKeySpec(options.key(), "HmacSHA256");
        this.previous = options.previousKey() == null ? null : new SecretKeySpec(options.previousKey(), "HmacSHA256");
        this.kid = options.key() == null ? "" : keyId(options.key());
        this.previousKid = options.previousKey() == null ? null : keyId(options.previousKey());
        this.previousUntilMillis = options.previousUntil() == null ? Long.MIN_VALUE
                : options.previousUntil().toEpochMilli();
        this.maxSkewMillis = options.maxSkew().toMillis();
        this.encoder = encoder;
        this.clock = clock;
        boolean binary;
        try {
            binary = encoder.decode(encoder.encode(new byte[] {1})) instanceof byte[];
        } catch (RuntimeException e) {
            binary = false;
        }
        this.bytesStayBinary = binary;
    }

    public static EnvelopeSigner create(SecurityOptions options, Encoder encoder) {
        return new EnvelopeSigner(options, encoder, System::currentTimeMillis);
    }

    /** A signer that signs nothing and accepts everything (no {@code iios.security.key}). */
    public static EnvelopeSigner disabled(Encoder encoder) {
        return create(new SecurityOptions(null, null, null, Duration.ofSeconds(30)), encoder);
    }

    /** The key id: the first 8 bytes of SHA-256("iios-kid" + key), in hex. Reveals nothing usable. */
    static String keyId(byte[] key) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("iios-kid".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(md.digest(key), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean enabled() {
        return key != null;
    }

    /** The id of the key this node signs with, or empty without a key. */
    public String keyId() {
        return kid;
    }

    /**
     * Adds {@code ts} (unless present), {@code kid} and {@code sig}. The body may be replaced by the
     * value the receiver will decode (e.g. a record becomes a map), so the digest matches on both sides.
     *
     * @return the same map
     */
    public Map<String, Object> sign(Map<String, Object> envelope) {
        if (key == null) {
            return envelope;
        }
        envelope.remove("sig");
        envelope.putIfAbsent("ts", clock.getAsLong());
        envelope.put("kid", kid);
        State s = borrow();
        try {
            String bodyField = bodyField(envelope);
            byte[] digest;
            try {
                digest = bodyDigest(s, bodyField == null ? null : envelope.get(bodyField));
            } catch (CanonicalForm.NotCanonical e) {
                Object normalized = encoder.decode(encoder.encode(envelope.get(bodyField)));
                envelope.put(bodyField, normalized);
                digest = bodyDigest(s, normalized);
            }
            envelope.put("sig", mac(s, s.mac, envelope, bodyField, digest));
            return envelope;
        } finally {
            release(s);
        }
    }

    /** Checks a decoded envelope whose timestamp must be within {@code iios.security.max-skew} of now. */
    public Verdict verify(Map<?, ?> envelope) {
        return verify(envelope, 0);
    }

    /**
     * Checks a decoded envelope that may legitimately be up to {@code extraAgeMillis} older than the
     * skew allows (instance records read from the KV store live for their TTL).
     */
    public Verdict verify(Map<?, ?> envelope, long extraAgeMillis) {
        if (key == null) {
            return Verdict.OK;
        }
        Object sig = envelope.get("sig");
        if (sig == null) {
            return Verdict.UNSIGNED;
        }
        if (!(sig instanceof String given) || !(envelope.get("kid") instanceof String k)
                || !(envelope.get("ts") instanceof Number ts) || ts instanceof Double) {
            return Verdict.FORGED;
        }
        long now = clock.getAsLong();
        State s = borrow();
        try {
            Mac mac;
            if (k.equals(kid)) {
                mac = s.mac;
            } else if (k.equals(previousKid) && now < previousUntilMillis && s.previousMac != null) {
                mac = s.previousMac;
            } else {
                return Verdict.FORGED;
            }
            String bodyField = bodyField(envelope);
            String expected;
            try {
                expected = mac(s, mac, envelope, bodyField,
                        bodyDigest(s, bodyField == null ? null : envelope.get(bodyField)));
            } catch (CanonicalForm.NotCanonical e) {
                return Verdict.FORGED;
            }
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    given.getBytes(StandardCharsets.US_ASCII))) {
                return Verdict.FORGED;
            }
        } finally {
            release(s);
        }
        long age = now - ts.longValue();
        if (age > maxSkewMillis + extraAgeMillis || -age > maxSkewMillis) {
            return Verdict.STALE;
        }
        return Verdict.OK;
    }

    /** Verifies, and on failure counts the drop and logs it (rate-limited); true when the envelope is OK. */
    public boolean accept(Map<?, ?> envelope, long extraAgeMillis, String where, NodeMetrics metrics,
            RateLimitedLog log) {
        Verdict v = verify(envelope, extraAgeMillis);
        if (v == Verdict.OK) {
            return true;
        }
        metrics.dropped(v.reason());
        log.warn(v.reason(), "dropped a " + v.reason() + " message on " + where + describe(v), null);
        return false;
    }

    private static String describe(Verdict v) {
        return switch (v) {
            case UNSIGNED -> " (this node has iios.security.key set and accepts only signed messages)";
            case FORGED -> " (its signature does not match iios.security.key or an accepted previous key)";
            case STALE -> " (its timestamp is further from this node's clock than iios.security.max-skew)";
            case OK -> "";
        };
    }

    private static @Nullable String bodyField(Map<?, ?> envelope) {
        for (String f : BODY_FIELDS) {
            if (envelope.containsKey(f)) {
                return f;
            }
        }
        return null;
    }

    private byte[] bodyDigest(State s, @Nullable Object body) {
        s.form.reset();
        s.form.write(body, bytesStayBinary);
        s.sha.reset();
        s.sha.update(s.form.buffer(), 0, s.form.length());
        return s.sha.digest();
    }

    private String mac(State s, Mac mac, Map<?, ?> envelope, @Nullable String bodyField, byte[] digest) {
        s.form.reset();
        s.form.raw(PREFIX);
        s.form.mapExcept(envelope, bytesStayBinary, "sig", bodyField);
        s.form.raw(digest);
        mac.reset();
        mac.update(s.form.buffer(), 0, s.form.length());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
    }

    private State borrow() {
        State s = pool.poll();
        if (s == null) {
            return new State();
        }
        pooled.decrementAndGet();
        return s;
    }

    private void release(State s) {
        if (pooled.incrementAndGet() <= POOL_MAX) {
            pool.offer(s);
        } else {
            pooled.decrementAndGet();
        }
    }
}
