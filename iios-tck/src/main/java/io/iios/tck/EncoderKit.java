package io.iios.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.iios.spi.Encoder;
import io.iios.spi.EncoderProvider;
import io.iios.spi.EncodingException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The {@link Encoder} contract, run over every encoder the hook returns: the generic value model
 * round-trips exactly, and garbage input fails with a clear {@link EncodingException}, never anything
 * else and never a hang.
 */
public abstract class EncoderKit {

    /** The encoders under test; called once per test. */
    protected abstract List<Encoder> encoders();

    /** Every encoder found with {@link ServiceLoader} in a class loader (core ships json and msgpack). */
    public static List<Encoder> installedEncoders(ClassLoader loader) {
        List<Encoder> out = new ArrayList<>();
        for (EncoderProvider p : ServiceLoader.load(EncoderProvider.class, loader)) {
            out.add(p.create());
        }
        return out;
    }

    private List<Encoder> encoders;

    @BeforeEach
    void loadEncoders() {
        encoders = encoders();
        assertThat(encoders).as("encoders under test").isNotEmpty();
    }

    private @Nullable Object roundTrip(Encoder e, @Nullable Object value) {
        return e.decode(e.encode(value));
    }

    public record Point(int x, int y, String label) {
    }

    @Nested
    @DisplayName("value model round trips")
    class RoundTrips {

        @Test
        @DisplayName("nested maps and lists, booleans, empty containers and nulls inside them")
        void nested() {
            Map<String, Object> inner = new LinkedHashMap<>();
            inner.put("list", List.of(1, "two", List.of(3.5, true, false), Map.of()));
            inner.put("none", null);
            inner.put("empty", List.of());
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("inner", inner);
            value.put("deep", List.of(List.of(List.of(List.of(Map.of("k", List.of("v")))))));
            value.put("withNull", Arrays.asList(1, null, 3));
            value.put("", "empty key");
            for (Encoder e : encoders) {
                assertThat(roundTrip(e, value)).as(e.name()).isEqualTo(value);
            }
        }

        @Test
        @DisplayName("integers: Integer when they fit, else Long, else BigInteger, at every boundary")
        void integerBoundaries() {
            List<Object> ints = List.of(0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 127, 128, -32, -33, 255,
                    256, 65535, 65536);
            List<Object> longs = List.of(Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, Long.MAX_VALUE,
                    Long.MIN_VALUE, 4_294_967_296L);
            for (Encoder e : encoders) {
                for (Object i : ints) {
                    assertThat(roundTrip(e, i)).as("%s %s", e.name(), i).isInstanceOf(Integer.class).isEqualTo(i);
                }
                for (Object l : longs) {
                    assertThat(roundTrip(e, l)).as("%s %s", e.name(), l).isInstanceOf(Long.class).isEqualTo(l);
                }
                assertThat(roundTrip(e, (long) 5)).as("%s small long", e.name()).isEqualTo(5);
                BigInteger huge = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE); // largest uint64
                assertThat(roundTrip(e, huge)).as("%s %s", e.name(), huge).isEqualTo(huge);
                assertThat(e.decode(e.encode(Long.MAX_VALUE), long.class)).isEqualTo(Long.MAX_VALUE);
                assertThat(e.decode(e.encode(42), long.class)).isEqualTo(42L);
            }
        }

        @Test
        @DisplayName("doubles, at the boundaries, decode as Double and keep every bit")
        void doubleBoundaries() {
            List<Double> doubles = List.of(0.0, -0.0, 1.0, -1.5, 0.1, Math.PI, Double.MAX_VALUE, -Double.MAX_VALUE,
                    Double.MIN_VALUE, Double.MIN_NORMAL, 1e300, 1e-300, 9007199254740993.0);
            for (Encoder e : encoders) {
                for (Double d : doubles) {
                    Object back = roundTrip(e, d);
                    assertThat(back).as("%s %s", e.name(), d).isInstanceOf(Double.class);
                    assertThat(Double.doubleToRawLongBits((Double) back)).as("%s %s", e.name(), d)
                            .isEqualTo(Double.doubleToRawLongBits(d));
                }
                assertThat(e.decode(e.encode(2.5), double.class)).isEqualTo(2.5);
            }
        }

        @Test
        @DisplayName("unicode strings, as values and as map keys")
        void unicode() {
            List<String> strings = List.of("", "plain", "ünïcødé", "日本語", "emoji \uD83D\uDE00\uD83D\uDC4D\uD83C\uDFFD",
                    "e\u0301", "\u05E9\u05DC\u05D5\u05DD", "nul\u0000inside", "\u007F\u0080\u00FF", "\uFFFD",
                    "\t\n\r\"\\/", "\uD800\uDC00", "a".repeat(100_000));
            for (Encoder e : encoders) {
                for (String s : strings) {
                    assertThat(roundTrip(e, s)).as("%s %.40s", e.name(), s).isEqualTo(s);
                    if (s.length() < 1000) {
                        Map<String, Object> keyed = Map.of(s, s);
                        assertThat(roundTrip(e, keyed)).as("%s key %.40s", e.name(), s).isEqualTo(keyed);
                    }
                }
            }
        }

        @Test
        @DisplayName("byte arrays: every byte value, decoded as byte[] or converted to it from the generic model")
        void byteArrays() {
            byte[] all = new byte[256];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            byte[] big = new byte[1024 * 1024];
            new Random(3).nextBytes(big);
            for (Encoder e : encoders) {
                for (byte[] b : List.of(all, new byte[0], big)) {
                    assertThat(e.decode(e.encode(b), byte[].class)).as("%s %d bytes", e.name(), b.length).isEqualTo(b);
                    assertThat(e.convert(e.decode(e.encode(b)), byte[].class)).as("%s generic %d bytes", e.name(),
                            b.length).isEqualTo(b);
                }
                Map<String, Object> holder = Map.of("data", all);
                Object generic = ((Map<?, ?>) roundTrip(e, holder)).get("data");
                assertThat(e.convert(generic, byte[].class)).as("%s nested bytes", e.name()).isEqualTo(all);
            }
        }

        @Test
        @DisplayName("null, true and false")
        void scalars() {
            for (Encoder e : encoders) {
                assertThat(roundTrip(e, null)).as(e.name()).isNull();
                assertThat(roundTrip(e, true)).as(e.name()).isEqualTo(true);
                assertThat(roundTrip(e, false)).as(e.name()).isEqualTo(false);
                assertThat(e.decode(e.encode(null), String.class)).as(e.name()).isNull();
            }
        }

        @Test
        @DisplayName("records decode as maps in the generic model and as themselves with a target type")
        void records() {
            Point p = new Point(3, -4, "ünï");
            for (Encoder e : encoders) {
                byte[] bytes = e.encode(p);
                assertThat(e.decode(bytes)).as(e.name()).isEqualTo(Map.of("x", 3, "y", -4, "label", "ünï"));
                assertThat(e.decode(bytes, Point.class)).as(e.name()).isEqualTo(p);
                assertThat(e.convert(e.decode(bytes), Point.class)).as(e.name()).isEqualTo(p);
            }
        }

        @Test
        @DisplayName("an encoder is safe to use from many threads at once")
        void threadSafe() throws Exception {
            for (Encoder e : encoders) {
                List<Thread> threads = new ArrayList<>();
                List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
                for (int t = 0; t < 8; t++) {
                    int id = t;
                    threads.add(Thread.ofPlatform().start(() -> {
                        try {
                            for (int i = 0; i < 500; i++) {
                                Map<String, Object> v = new HashMap<>();
                                v.put("t", id);
                                v.put("i", i);
                                v.put("s", "x" + i);
                                assertThat(roundTrip(e, v)).isEqualTo(v);
                            }
                        } catch (Throwable x) {
                            failures.add(x);
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join(Duration.ofSeconds(60));
                }
                assertThat(failures).as(e.name()).isEmpty();
            }
        }
    }

    @Nested
    @DisplayName("bad input")
    class BadInput {

        private void decodesOrFailsCleanly(Encoder e, byte[] bytes, String what) {
            try {
                e.decode(bytes);
            } catch (EncodingException ok) {
                assertThat(ok.getMessage()).as("%s: message of the decode error for %s", e.name(), what).isNotBlank();
            } catch (Throwable other) {
                fail(e.name() + " threw " + other + " instead of EncodingException for " + what, other);
            }
        }

        @Test
        @DisplayName("empty input and truncated encodings fail with a clear EncodingException")
        void truncated() {
            Map<String, Object> value = Map.of("list", List.of(1, 2, 3, "four"), "text", "hello world", "n", 1.5);
            for (Encoder e : encoders) {
                assertThatThrownBy(() -> e.decode(new byte[0])).as(e.name()).isInstanceOf(EncodingException.class)
                        .hasMessageContaining(e.name());
                byte[] full = e.encode(value);
                for (int cut = 1; cut < full.length; cut++) {
                    byte[] part = Arrays.copyOf(full, cut);
                    int at = cut;
                    assertThatThrownBy(() -> e.decode(part)).as("%s cut at %d of %d", e.name(), at, full.length)
                            .isInstanceOf(EncodingException.class).hasMessageContaining(e.name());
                }
            }
        }

        @Test
        @DisplayName("random bytes either decode or fail with EncodingException, never anything else, never a hang")
        void randomBytes() {
            Random random = new Random(20240601);
            for (Encoder e : encoders) {
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                    for (int i = 0; i < 2000; i++) {
                        byte[] garbage = new byte[1 + random.nextInt(200)];
                        random.nextBytes(garbage);
                        decodesOrFailsCleanly(e, garbage, "random bytes #" + i);
                    }
                    decodesOrFailsCleanly(e, new byte[] {(byte) 0xdd, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                        (byte) 0xff}, "a msgpack array header claiming 4G elements");
                    decodesOrFailsCleanly(e, new byte[] {(byte) 0xdb, (byte) 0x7f, (byte) 0xff, (byte) 0xff,
                        (byte) 0xff, 'a'}, "a msgpack string header claiming 2 GB");
                    byte[] nestedMsgpack = new byte[100_001];
                    Arrays.fill(nestedMsgpack, (byte) 0x91);
                    nestedMsgpack[100_000] = 1;
                    decodesOrFailsCleanly(e, nestedMsgpack, "100,000 nested msgpack arrays");
                    decodesOrFailsCleanly(e, "[".repeat(100_000).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            "100,000 nested JSON arrays");
                });
            }
        }

        @Test
        @DisplayName("bytes that do not fit the target type fail with EncodingException")
        void wrongType() {
            for (Encoder e : encoders) {
                assertThatThrownBy(() -> e.decode(e.encode("text"), Integer.class)).as(e.name())
                        .isInstanceOf(EncodingException.class);
                assertThatThrownBy(() -> e.decode(e.encode(List.of(1)), Point.class)).as(e.name())
                        .isInstanceOf(EncodingException.class);
                assertThatThrownBy(() -> e.convert("text", Integer.class)).as(e.name())
                        .isInstanceOf(EncodingException.class);
            }
        }
    }
}
