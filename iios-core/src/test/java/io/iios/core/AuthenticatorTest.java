package io.iios.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.iios.api.AccessDeniedException;
import io.iios.api.Authenticator;
import io.iios.api.ConfigException;
import io.iios.api.Credentials;
import io.iios.api.Principal;
import io.iios.core.security.JwtAuthenticator;
import io.iios.core.security.TrustedHeaderAuthenticator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("authenticators turn credentials into a user id, and nothing else does")
class AuthenticatorTest {
    private static final byte[] SECRET = "a-jwt-hmac-secret-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);

    private static JWTClaimsSet.Builder claims(String sub) {
        return new JWTClaimsSet.Builder().subject(sub).issuer("https://id.example").audience("iios")
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    private static String sign(JWTClaimsSet claims, JWSAlgorithm alg, JWSSigner signer, String kid)
            throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String hs256(JWTClaimsSet claims, byte[] secret) throws JOSEException {
        return sign(claims, JWSAlgorithm.HS256, new MACSigner(secret), null);
    }

    private static Optional<String> user(Authenticator a, String token) {
        return a.authenticate(Credentials.bearer(token)).map(Principal::userId);
    }

    @Nested
    @DisplayName("JwtAuthenticator")
    class Jwt {
        private final JwtAuthenticator hmac = JwtAuthenticator.builder().hmacSecret(SECRET)
                .issuer("https://id.example").audience("iios").clockSkew(Duration.ofSeconds(5)).build();

        @Test
        @DisplayName("a valid HS256 token gives its sub as user id, with its claims")
        void valid() throws Exception {
            Optional<Principal> p = hmac.authenticate(Credentials.bearer(hs256(claims("alice").build(), SECRET)));
            assertThat(p).isPresent();
            assertThat(p.get().userId()).isEqualTo("alice");
            assertThat(p.get().claims()).containsEntry("iss", "https://id.example");
            assertThat(hmac.authenticate(new Credentials(Map.of("AUTHORIZATION",
                    "bearer " + hs256(claims("bob").build(), SECRET)), null)).map(Principal::userId)).contains("bob");
        }

        @Test
        @DisplayName("expired, not yet valid, without exp, wrong issuer or audience, wrong secret, alg none: refused")
        void invalid() throws Exception {
            Date past = Date.from(Instant.now().minusSeconds(60));
            Date future = Date.from(Instant.now().plusSeconds(60));
            assertThat(user(hmac, hs256(claims("a").expirationTime(past).build(), SECRET))).isEmpty();
            assertThat(user(hmac, hs256(claims("a").notBeforeTime(future).build(), SECRET))).isEmpty();
            assertThat(user(hmac, hs256(claims("a").expirationTime(null).build(), SECRET))).isEmpty();
            assertThat(user(hmac, hs256(claims("a").issuer("https://evil.example").build(), SECRET))).isEmpty();
            assertThat(user(hmac, hs256(claims("a").audience("other").build(), SECRET))).isEmpty();
            assertThat(user(hmac, hs256(claims("a").build(),
                    "another-secret-that-is-long-enough!!".getBytes(StandardCharsets.UTF_8)))).isEmpty();
            assertThat(user(hmac, new PlainJWT(claims("a").build()).serialize())).isEmpty();
            assertThat(user(hmac, "not.a.jwt")).isEmpty();
            assertThat(hmac.authenticate(new Credentials(Map.of(), null))).isEmpty();
            assertThat(hmac.authenticate(new Credentials(Map.of("Authorization", "Basic YTpi"), null))).isEmpty();
        }

        @Test
        @DisplayName("RS256 with a PEM public key; a token of another key is refused")
        void rsaPem() throws Exception {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair kp = g.generateKeyPair();
            KeyPair other = g.generateKeyPair();
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(kp.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            JwtAuthenticator rsa = JwtAuthenticator.builder().publicKeyPem(pem).build();
            assertThat(user(rsa, sign(claims("carol").build(), JWSAlgorithm.RS256,
                    new RSASSASigner(kp.getPrivate()), null))).contains("carol");
            assertThat(user(rsa, sign(claims("carol").build(), JWSAlgorithm.RS256,
                    new RSASSASigner(other.getPrivate()), null))).isEmpty();
            // an HMAC token made with the public key as secret (algorithm confusion) is refused
            assertThat(user(rsa, hs256(claims("carol").build(), kp.getPublic().getEncoded()))).isEmpty();
        }

        @Test
        @DisplayName("ES256 with a JWKS file, configured through iios.auth.jwt.* keys")
        void jwksFromConfig(@TempDir Path dir) throws Exception {
            ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
            Path jwks = Files.writeString(dir.resolve("jwks.json"), new JWKSet(ec.toPublicJWK()).toString());
            JwtAuthenticator a = JwtAuthenticator.from(Config.of(Map.of("iios.auth.jwt.jwks-file", jwks.toString(),
                    "iios.auth.jwt.audience", "iios")));
            assertThat(user(a, sign(claims("dave").build(), JWSAlgorithm.ES256, new ECDSASigner(ec), "k1")))
                    .contains("dave");
            assertThat(user(a, sign(claims("dave").audience("web").build(), JWSAlgorithm.ES256,
                    new ECDSASigner(ec), "k1"))).isEmpty();
        }

        @Test
        @DisplayName("configuration needs exactly one key source")
        void configuration() {
            assertThatThrownBy(() -> JwtAuthenticator.from(Config.of(Map.of()))).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("exactly one of");
            assertThatThrownBy(() -> JwtAuthenticator.from(Config.of(Map.of("iios.auth.jwt.secret",
                    new String(SECRET, StandardCharsets.UTF_8), "iios.auth.jwt.jwks-file", "x.json"))))
                    .isInstanceOf(ConfigException.class);
            assertThatThrownBy(() -> JwtAuthenticator.builder().hmacSecret(new byte[8]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        }
    }

    @Nested
    @DisplayName("TrustedHeaderAuthenticator")
    class TrustedHeader {
        private final TrustedHeaderAuthenticator auth = TrustedHeaderAuthenticator.from(Config.of(Map.of(
                "iios.auth.header.proxies", "10.0.0.5, 192.168.0.0/16, fd00::/8")));

        private Optional<String> from(String address, String user) {
            return auth.authenticate(new Credentials(Map.of("x-forwarded-user", user), address))
                    .map(Principal::userId);
        }

        @Test
        @DisplayName("the header is believed only from a configured proxy address or range")
        void onlyFromProxies() {
            assertThat(from("10.0.0.5", "alice")).contains("alice");
            assertThat(from("192.168.3.4", "bob")).contains("bob");
            assertThat(from("fd12::1", "carol")).contains("carol");
            assertThat(from("10.0.0.6", "alice")).isEmpty();
            assertThat(from("193.168.0.1", "alice")).isEmpty();
            assertThat(from("localhost", "alice")).isEmpty();
            assertThat(auth.authenticate(new Credentials(Map.of("x-forwarded-user", "eve"), null))).isEmpty();
            assertThat(from("10.0.0.5", "  ")).isEmpty();
        }

        @Test
        @DisplayName("no proxies configured trusts nobody; a bad range is a configuration error")
        void configuration() {
            TrustedHeaderAuthenticator none = TrustedHeaderAuthenticator.from(Config.of(Map.of()));
            assertThat(none.authenticate(new Credentials(Map.of("X-Forwarded-User", "a"), "127.0.0.1"))).isEmpty();
            assertThatThrownBy(() -> TrustedHeaderAuthenticator.from(Config.of(Map.of("iios.auth.header.proxies",
                    "10.0.0.0/40")))).isInstanceOf(ConfigException.class).hasMessageContaining("prefix");
        }
    }

    @Test
    @DisplayName("end to end: what the authenticator returns is the user id the callee's RBAC sees")
    void endToEnd() throws Exception {
        try (Cluster cluster = new Cluster()) {
            cluster.start(cluster.builder().service(new Vault()).set("iios.rbac.enabled", "true")
                    .set("iios.security.key", SigningTest.KEY));
            IiosNode web = cluster.start(cluster.builder().set("iios.security.key", SigningTest.KEY));
            web.gateway().waitForService("vault", Duration.ofSeconds(5));
            web.accessControl().bind("alice", "admin");
            Authenticator auth = JwtAuthenticator.builder().hmacSecret(SECRET).build();

            Principal alice = auth.authenticate(Credentials.bearer(hs256(claims("alice").build(), SECRET)))
                    .orElseThrow();
            assertThat(web.gateway().as(alice).call("vault", "create")).isEqualTo("alice|admin|ANY|false");
            assertThat(web.gateway().as(alice).userId()).contains("alice");
            assertThatThrownBy(() -> web.gateway().call("vault", "create")).isInstanceOf(AccessDeniedException.class);
            assertThat(List.of(web.gateway().userId())).containsExactly(Optional.empty());
        }
    }
}
