package io.iios.core.internal.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.iios.core.internal.codec.JsonEncoderProvider;
import io.iios.core.internal.codec.MsgpackEncoderProvider;
import io.iios.spi.Encoder;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeSignerTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    record Point(int x, float y, byte[] raw) {
    }

    enum Color { RED }

    private static Encoder encoder(String name) {
        return name.equals("json") ? new JsonEncoderProvider().create() : new MsgpackEncoderProvider().create();
    }

    private static EnvelopeSigner signer(Encoder e) {
        return EnvelopeSigner.create(new SecurityOptions(KEY, null, null, Duration.ofSeconds(30)), e);
    }

    private static Map<?, ?> wire(Encoder e, Map<String, Object> signed) {
        return (Map<?, ?>) e.decode(e.encode(signed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("a signature survives encoding whatever the body holds: records, floats, bytes, big numbers, unordered maps")
    void roundTrip(String name) {
        Encoder e = encoder(name);
        Map<String, Object> unordered = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            unordered.put("k" + i, i % 2 == 0 ? (Object) (long) i : "v" + i);
        }
        List<Object> bodies = Arrays.asList(null, 1, Long.MAX_VALUE, new BigInteger("9223372036854775813"),
                1.5, -0.0, "é ∑ 𝄞", new byte[] {0, 1, (byte) 255}, List.of(1, "a", List.of()), unordered,
                new TreeMap<>(Map.of("b", 1, "a", 2)), new Point(1, 2.5f, new byte[] {7}), Color.RED, 3.3f,
                Instant.ofEpochMilli(1_700_000_000_000L), Map.of("nested", new Point(3, 0.1f, new byte[0])));
        for (Object body : bodies) {
            for (String field : List.of("a", "res", "p")) {
                Map<String, Object> env = new LinkedHashMap<>();
                env.put("v", 1);
                env.put("t", "req");
                env.put("id", 42L);
                env.put(field, body);
                Map<?, ?> received = wire(e, signer(e).sign(env));
                assertThat(signer(e).verify(received)).as("%s body %s", field, body)
                        .isEqualTo(EnvelopeSigner.Verdict.OK);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("changing any field or the body, or dropping the signature, fails verification")
    void tamper(String name) {
        Encoder e = encoder(name);
        EnvelopeSigner s = signer(e);
        Map<String, Object> env = new LinkedHashMap<>(Map.of("v", 1, "t", "req", "id", 1, "u", "alice",
                "a", List.of(1, 2)));
        Map<?, ?> ok = wire(e, s.sign(env));
        for (String field : List.of("u", "id", "a", "ts", "kid")) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> bad = new LinkedHashMap<>((Map<Object, Object>) ok);
            bad.put(field, field.equals("a") ? List.of(1, 3) : field.equals("id") || field.equals("ts") ? 2 : "x");
            assertThat(s.verify(bad)).as(field).isIn(EnvelopeSigner.Verdict.FORGED, EnvelopeSigner.Verdict.STALE);
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> added = new LinkedHashMap<>((Map<Object, Object>) ok);
        added.put("priv", true);
        assertThat(s.verify(added)).isEqualTo(EnvelopeSigner.Verdict.FORGED);
        @SuppressWarnings("unchecked")
        Map<Object, Object> unsigned = new LinkedHashMap<>((Map<Object, Object>) ok);
        unsigned.remove("sig");
        assertThat(s.verify(unsigned)).isEqualTo(EnvelopeSigner.Verdict.UNSIGNED);
        assertThat(EnvelopeSigner.disabled(e).verify(unsigned)).isEqualTo(EnvelopeSigner.Verdict.OK);
    }
}
