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
    /** Bodies of stream envelopes: a byte chunk's {@code b}, an object chunk's {@code o}, a failure's {@code err}. */
    static final List<String> STREAM_BODY_FIELDS = List.of("b", "o", "err");
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
        return signWith(envelope, bodyField(envelope, BODY_FIELDS));
    }

    /**
     * Signs a stream envelope (docs/protocol.md, "Signing"): adds {@code id} = the stream id, so a message
     * cannot be moved to another stream, then signs as {@link #sign(Map)} does with the body {@code b},
     * {@code o} or {@code err}. A byte chunk's {@code b} is hashed as bytes whatever the encoder carries it
     * as (json: base64 text), so the cost is one SHA-256 pass over the chunk and no re-encoding.
     *
     * @return the same map
     */
    public Map<String, Object> signStream(Map<String, Object> envelope, String streamId) {
        if (key == null) {
            return envelope;
        }
        envelope.put("id", streamId);
        return signWith(envelope, bodyField(envelope, STREAM_BODY_FIELDS));
    }

    private Map<String, Object> signWith(Map<String, Object> envelope, @Nullable String bodyField) {
        if (key == null) {
            return envelope;
        }
        envelope.remove("sig");
        envelope.putIfAbsent("ts", clock.getAsLong());
        envelope.put("kid", kid);
        State s = borrow();
        try {
            byte[] digest;
            Object body = bodyField == null ? null : envelope.get(bodyField);
            if ("b".equals(bodyField) && body instanceof byte[] bytes) {
                digest = bytesDigest(s, bytes);
            } else {
                try {
                    digest = bodyDigest(s, body);
                } catch (CanonicalForm.NotCanonical e) {
                    Object normalized = encoder.decode(encoder.encode(body));
                    envelope.put(bodyField, normalized);
                    digest = bodyDigest(s, normalized);
                }
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
        return check(envelope, extraAgeMillis, bodyField(envelope, BODY_FIELDS), null);
    }

    /**
     * Checks a decoded stream envelope of the stream {@code streamId} (see {@link #signStream}); its
     * {@code id} must be that stream's, else it is {@code FORGED}.
     *
     * @param chunkBytes a byte chunk's bytes as the reader decoded them (from base64 with json), else null
     */
    public Verdict verifyStream(Map<?, ?> envelope, String streamId, byte @Nullable [] chunkBytes) {
        if (key == null) {
            return Verdict.OK;
        }
        if (envelope.get("sig") != null && !streamId.equals(envelope.get("id"))) {
            return Verdict.FORGED;
        }
        return check(envelope, 0, bodyField(envelope, STREAM_BODY_FIELDS), chunkBytes);
    }

    private Verdict check(Map<?, ?> envelope, long extraAgeMillis, @Nullable String bodyField,
            byte @Nullable [] chunkBytes) {
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
            String expected;
            try {
                byte[] digest = "b".equals(bodyField) && chunkBytes != null ? bytesDigest(s, chunkBytes)
                        : bodyDigest(s, bodyField == null ? null : envelope.get(bodyField));
                expected = mac(s, mac, envelope, bodyField, digest);
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
        return report(verify(envelope, extraAgeMillis), where, metrics, log);
    }

    /** {@link #verifyStream} that counts and logs (rate-limited) a drop; true when the envelope is OK. */
    public boolean acceptStream(Map<?, ?> envelope, String streamId, byte @Nullable [] chunkBytes, String where,
            NodeMetrics metrics, RateLimitedLog log) {
        return report(verifyStream(envelope, streamId, chunkBytes), where, metrics, log);
    }

    private static boolean report(Verdict v, String where, NodeMetrics metrics, RateLimitedLog log) {
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

    private static @Nullable String bodyField(Map<?, ?> envelope, List<String> fields) {
        for (String f : fields) {
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

    /** SHA-256 of the canonical form of bytes as bytes ({@code b LEN : BYTES}), without copying them. */
    private static byte[] bytesDigest(State s, byte[] bytes) {
        s.sha.reset();
        s.sha.update((byte) 'b');
        s.sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        s.sha.update((byte) ':');
        s.sha.update(bytes);
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
