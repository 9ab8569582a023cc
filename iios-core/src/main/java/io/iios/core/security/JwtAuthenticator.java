package io.iios.core.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.iios.api.Authenticator;
import io.iios.api.ConfigException;
import io.iios.api.Credentials;
import io.iios.api.Principal;
import io.iios.core.Config;
import io.iios.core.ConfigKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Authenticates {@code Authorization: Bearer} JSON Web Tokens (with nimbus-jose-jwt): the signature
 * must verify with the configured HMAC secret, RSA/EC public key or JWKS; {@code exp} is required and
 * checked, {@code nbf} checked when present (both with a clock skew), {@code iss} and {@code aud} when
 * configured. The user id is the {@code sub} claim. Unsigned ({@code alg: none}) and encrypted tokens
 * are refused.
 *
 * <pre>{@code
 * Authenticator auth = JwtAuthenticator.builder().hmacSecret(secret).issuer("https://id.example").build();
 * auth.authenticate(Credentials.bearer(token)).ifPresent(p -> gateway.as(p).call("bob", "add", 1, 2));
 * }</pre>
 */
public final class JwtAuthenticator implements Authenticator {
    private final DefaultJWTProcessor<SecurityContext> processor;

    private JwtAuthenticator(DefaultJWTProcessor<SecurityContext> processor) {
        this.processor = processor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * From the {@code iios.auth.jwt.*} keys: exactly one of {@code secret}, {@code public-key} (PEM
     * file) or {@code jwks-file}; optional {@code issuer}, {@code audience}, {@code clock-skew}.
     */
    public static JwtAuthenticator from(Config c) {
        Builder b = builder();
        int sources = 0;
        Optional<String> secret = c.get(ConfigKeys.AUTH_JWT_SECRET.key());
        if (secret.isPresent()) {
            sources++;
            String s = secret.get();
            b.hmacSecret(s.startsWith("base64:") ? Base64.getDecoder().decode(s.substring(7).trim())
                    : s.getBytes(StandardCharsets.UTF_8));
        }
        Optional<String> pem = c.get(ConfigKeys.AUTH_JWT_PUBLIC_KEY.key());
        if (pem.isPresent()) {
            sources++;
            b.publicKeyPem(read(c, ConfigKeys.AUTH_JWT_PUBLIC_KEY.key(), pem.get()));
        }
        Optional<String> jwks = c.get(ConfigKeys.AUTH_JWT_JWKS_FILE.key());
        if (jwks.isPresent()) {
            sources++;
            b.jwks(read(c, ConfigKeys.AUTH_JWT_JWKS_FILE.key(), jwks.get()));
        }
        if (sources != 1) {
            throw new ConfigException("JwtAuthenticator needs exactly one of " + ConfigKeys.AUTH_JWT_SECRET.key() + ", "
                    + ConfigKeys.AUTH_JWT_PUBLIC_KEY.key() + " or " + ConfigKeys.AUTH_JWT_JWKS_FILE.key() + "; "
                    + sources + " are set");
        }
        c.get(ConfigKeys.AUTH_JWT_ISSUER.key()).ifPresent(b::issuer);
        c.get(ConfigKeys.AUTH_JWT_AUDIENCE.key()).ifPresent(b::audience);
        b.clockSkew(c.duration(ConfigKeys.AUTH_JWT_CLOCK_SKEW));
        return b.build();
    }

    private static String read(Config c, String key, String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw c.invalid(key, path, "a readable file (" + e + ")");
        }
    }

    @Override
    public Optional<Principal> authenticate(Credentials credentials) {
        Optional<String> token = credentials.bearerToken();
        if (token.isEmpty()) {
            return Optional.empty();
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token.get(), null);
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Principal(sub, claims.toJSONObject()));
    }

    /** Collects the key and the claim rules; {@link #build()} is the one door. */
    public static final class Builder {
        private @Nullable JWKSet keys;
        private Set<JWSAlgorithm> algorithms = Set.of();
        private @Nullable String issuer;
        private @Nullable String audience;
        private Duration clockSkew = Duration.ofSeconds(60);

        private Builder() {
        }

        /** HS256/HS384/HS512 with this secret (at least 32 bytes). */
        public Builder hmacSecret(byte[] secret) {
            if (secret.length < 32) {
                throw new IllegalArgumentException("a JWT HMAC secret must have at least 32 bytes, got " + secret.length);
            }
            keys = new JWKSet(new OctetSequenceKey.Builder(secret).build());
            algorithms = Set.copyOf(JWSAlgorithm.Family.HMAC_SHA);
            return this;
        }

        /** RS*, PS* or ES* with this public key ({@code -----BEGIN PUBLIC KEY-----} PEM, X.509 SubjectPublicKeyInfo). */
        public Builder publicKeyPem(String pem) {
            PublicKey key = parsePem(pem);
            if (key instanceof RSAPublicKey rsa) {
                keys = new JWKSet(new RSAKey.Builder(rsa).build());
                Set<JWSAlgorithm> algs = new HashSet<>(JWSAlgorithm.Family.RSA);
                algorithms = Set.copyOf(algs);
            } else if (key instanceof ECPublicKey ec) {
                keys = new JWKSet(new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build());
                algorithms = Set.copyOf(JWSAlgorithm.Family.EC);
            } else {
                throw new IllegalArgumentException("the PEM key is neither RSA nor EC");
            }
            return this;
        }

        /** Keys of a JSON Web Key Set (the token's {@code kid} and {@code alg} select one). */
        public Builder jwks(String json) {
            try {
                keys = JWKSet.parse(json);
            } catch (ParseException e) {
                throw new IllegalArgumentException("not a JSON Web Key Set: " + e.getMessage(), e);
            }
            Set<JWSAlgorithm> algs = new HashSet<>();
            for (JWK k : keys.getKeys()) {
                if (k instanceof OctetSequenceKey) {
                    algs.addAll(JWSAlgorithm.Family.HMAC_SHA);
                } else if (k instanceof RSAKey) {
                    algs.addAll(JWSAlgorithm.Family.RSA);
                } else if (k instanceof ECKey) {
                    algs.addAll(JWSAlgorithm.Family.EC);
                }
            }
            if (algs.isEmpty()) {
                throw new IllegalArgumentException("the JSON Web Key Set holds no HMAC, RSA or EC key");
            }
            algorithms = Set.copyOf(algs);
            return this;
        }

        /** Tokens must carry exactly this {@code iss}. */
        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** Tokens must list this audience in {@code aud}. */
        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** Tolerance for {@code exp} and {@code nbf}; default 60 s. */
        public Builder clockSkew(Duration skew) {
            this.clockSkew = skew;
            return this;
        }

        public JwtAuthenticator build() {
            if (keys == null) {
                throw new IllegalStateException("set one of hmacSecret, publicKeyPem or jwks");
            }
            DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
            p.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(keys)));
            JWTClaimsSet exact = issuer == null ? new JWTClaimsSet.Builder().build()
                    : new JWTClaimsSet.Builder().issuer(issuer).build();
            DefaultJWTClaimsVerifier<SecurityContext> v = new DefaultJWTClaimsVerifier<>(
                    audience == null ? null : Set.of(audience), exact, Set.of("sub", "exp"), null);
            v.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, clockSkew.toSeconds()));
            p.setJWTClaimsSetVerifier(v);
            return new JwtAuthenticator(p);
        }

        private static PublicKey parsePem(String pem) {
            String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            byte[] der;
            try {
                der = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the PEM key is not base64 between its BEGIN/END lines", e);
            }
            for (String alg : List.of("RSA", "EC")) {
                try {
                    return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
                } catch (java.security.GeneralSecurityException e) {
                    // try the next algorithm
                }
            }
            throw new IllegalArgumentException("the PEM key is not an X.509 RSA or EC public key "
                    + "(expected -----BEGIN PUBLIC KEY-----)");
        }
    }
}
