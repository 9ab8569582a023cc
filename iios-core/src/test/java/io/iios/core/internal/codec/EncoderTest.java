package io.iios.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.iios.core.internal.ProviderSelection;
import io.iios.spi.Encoder;
import io.iios.spi.EncodingException;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The value model of {@link Encoder}, for every encoder core ships, found as a user's node finds it. */
class EncoderTest {

    record Order(String id, int quantity, long total, double price, List<String> tags, Map<String, Integer> stock,
            byte @Nullable [] blob) {
    }

    /** Holds a generic type for {@code decode(bytes, List<Order>)}. */
    static final class Types {
        List<Order> orders = List.of();
    }

    private static Encoder encoder(String name) {
        Encoder e = ProviderSelection.encoder(name, ProviderSelection.encoders(EncoderTest.class.getClassLoader()))
                .create();
        assertThat(e.name()).isEqualTo(name);
        return e;
    }

    private static @Nullable Object roundTrip(Encoder e, @Nullable Object value) {
        return e.decode(e.encode(value));
    }

    private static byte[] allByteValues() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("nested maps and lists round-trip with key order and element types kept")
    void nestedStructures(String name) {
        Encoder e = encoder(name);
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("flag", true);
        inner.put("off", false);
        inner.put("nothing", null);
        inner.put("empty", List.of());
        inner.put("emptyMap", Map.of());
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("z", List.of(1, "two", List.of(3, List.of(4)), inner));
        value.put("a", "text");
        value.put("m", Map.of("deep", Map.of("deeper", List.of("x"))));

        Object back = roundTrip(e, value);

        assertThat(back).isEqualTo(value);
        assertThat(List.copyOf(((Map<?, ?>) back).keySet())).isEqualTo(List.of("z", "a", "m"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("integers decode as Integer when they fit, else Long, else BigInteger")
    void integralBoundaries(String name) {
        Encoder e = encoder(name);
        List<Object> values = List.of(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, (long) Integer.MAX_VALUE + 1,
                (long) Integer.MIN_VALUE - 1, Long.MAX_VALUE, Long.MIN_VALUE);

        Object back = roundTrip(e, values);

        assertThat(back).isEqualTo(values);
        assertThat(roundTrip(e, Integer.MAX_VALUE)).isInstanceOf(Integer.class);
        assertThat(roundTrip(e, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(roundTrip(e, Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(roundTrip(e, 7L)).isEqualTo(7);
        BigInteger beyondLong = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
        assertThat(roundTrip(e, beyondLong)).isEqualTo(beyondLong);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("doubles round-trip bit-exact, including extremes and negative zero")
    void doubles(String name) {
        Encoder e = encoder(name);
        for (double d : new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -0.0, 0.0, 1e-300,
                1.5, 0.1, -123456.789e10}) {
            Object back = roundTrip(e, d);
            assertThat(back).as("%s", d).isInstanceOf(Double.class);
            assertThat(Double.doubleToRawLongBits((Double) back)).as("%s", d)
                    .isEqualTo(Double.doubleToRawLongBits(d));
        }
        assertThat(roundTrip(e, List.of(Double.MAX_VALUE, Double.MIN_VALUE, 1e-300)))
                .isEqualTo(List.of(Double.MAX_VALUE, Double.MIN_VALUE, 1e-300));
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    void unicodeStrings(String name) {
        Encoder e = encoder(name);
        String text = "emoji 😀🚀👩‍👩‍👧, CJK 中文字符 日本語 한국어, RTL עברית العربية, "
                + "control \u0000\u001f\t\n, quotes \"'\\ and \u2028\u2029";
        Map<String, Object> value = Map.of("ключ 🔑", text);

        assertThat(roundTrip(e, text)).isEqualTo(text);
        assertThat(roundTrip(e, value)).isEqualTo(value);
        assertThat(roundTrip(e, "")).isEqualTo("");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("byte arrays with all 256 values round-trip when decoded as byte[]")
    void byteArrays(String name) {
        Encoder e = encoder(name);
        byte[] all = allByteValues();

        assertThat(e.decode(e.encode(all), byte[].class)).isEqualTo(all);
        assertThat(e.decode(e.encode(new byte[0]), byte[].class)).isEmpty();
        Object generic = e.decode(e.encode(all));
        assertThat(e.convert(generic, byte[].class)).isEqualTo(all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    void nullRoundTrips(String name) {
        Encoder e = encoder(name);

        assertThat(roundTrip(e, null)).isNull();
        assertThat(e.decode(e.encode(null), Order.class)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("a record decodes to the record with a target class, and to a map without")
    void records(String name) {
        Encoder e = encoder(name);
        Order order = new Order("o-1", 3, Long.MAX_VALUE, 9.99, List.of("a", "b"), Map.of("paris", 4), null);

        byte[] bytes = e.encode(order);

        assertThat(e.decode(bytes, Order.class)).isEqualTo(order);
        Object generic = e.decode(bytes);
        assertThat(generic).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) generic;
        assertThat(map).containsEntry("id", "o-1").containsEntry("quantity", 3).containsEntry("total", Long.MAX_VALUE);
        assertThat(e.convert(generic, Order.class)).isEqualTo(order);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    void recordWithBytes(String name) {
        Encoder e = encoder(name);
        Order order = new Order("o-2", 1, 1, 1.0, List.of(), Map.of(), allByteValues());

        Order back = e.decode(e.encode(order), Order.class);

        assertThat(back).isNotNull();
        assertThat(back.blob()).isEqualTo(allByteValues());
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("a parameterized target type such as List<Order> is honoured")
    void parameterizedTargetType(String name) throws NoSuchFieldException {
        Encoder e = encoder(name);
        Type listOfOrders = Types.class.getDeclaredField("orders").getGenericType();
        List<Order> orders = List.of(new Order("a", 1, 2, 3.0, List.of(), Map.of(), null),
                new Order("b", 4, 5, 6.0, List.of("t"), Map.of("k", 1), null));

        Object back = e.decode(e.encode(orders), listOfOrders);

        assertThat(back).isEqualTo(orders);
        assertThat(((List<?>) back).get(0)).isInstanceOf(Order.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("random bytes either decode or fail with EncodingException, never anything else")
    void randomGarbage(String name) {
        Encoder e = encoder(name);
        Random random = new Random(42);
        Type[] targets = {Object.class, Order.class, byte[].class, Integer.class, Map.class, List.class};
        int failures = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] garbage = new byte[1 + random.nextInt(64)];
            random.nextBytes(garbage);
            Type target = targets[i % targets.length];
            try {
                e.decode(garbage, target);
            } catch (EncodingException ex) {
                failures++;
                assertThat(ex.getMessage()).contains(name).contains("cannot decode");
            } catch (Throwable t) {
                fail("decoding " + Arrays.toString(garbage) + " as " + target + " threw " + t, t);
            }
        }
        assertThat(failures).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("an encoding cut short is an EncodingException")
    void truncatedEncodings(String name) {
        Encoder e = encoder(name);
        Map<String, Object> value = Map.of("list", List.of(1, 2, 3, "four"), "text", "a longer string value");
        byte[] full = e.encode(value);
        for (int len = 1; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            assertThatThrownBy(() -> e.decode(cut)).as("first %d of %d bytes", cut.length, full.length)
                    .isInstanceOf(EncodingException.class)
                    .hasMessageContaining("cannot decode");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("an empty message is an EncodingException saying so")
    void emptyMessage(String name) {
        Encoder e = encoder(name);

        assertThatThrownBy(() -> e.decode(new byte[0]))
                .isInstanceOf(EncodingException.class)
                .hasMessageContaining(name)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> e.decode(new byte[0], Order.class)).isInstanceOf(EncodingException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("a valid value followed by trailing bytes is not a valid message")
    void trailingGarbage(String name) {
        Encoder e = encoder(name);
        byte[] valid = e.encode(Map.of("a", 1));
        byte[] withTail = Arrays.copyOf(valid, valid.length + 3);
        withTail[valid.length] = 'x';
        withTail[valid.length + 1] = 'y';
        withTail[valid.length + 2] = 'z';

        assertThatThrownBy(() -> e.decode(withTail)).isInstanceOf(EncodingException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"msgpack"})
    @DisplayName("a few bytes announcing a 2 GiB string, binary or array are refused without allocating it")
    void hugeDeclaredLengthsAreRefusedCheaply(String name) {
        Encoder e = encoder(name);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[][] lies = {
            {(byte) 0xdb, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 'a', 'b'}, // str32, ~2 GiB
            {(byte) 0xc6, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 1, 2}, // bin32, ~2 GiB
            {(byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1}, // array32, 2^31-1 elements
            {(byte) 0x81, (byte) 0xa1, 'k', (byte) 0xdb, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0}, // {"k": huge}
        };
        for (byte[] lie : lies) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (Type target : new Type[] {Object.class, byte[].class, String.class, Order.class}) {
                assertThatThrownBy(() -> e.decode(lie, target)).as(Arrays.toString(lie))
                        .isInstanceOf(EncodingException.class)
                        .hasMessageContaining("msgpack cannot decode");
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated to refuse %s", Arrays.toString(lie)).isLessThan(16L << 20);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json"})
    void truncatedJsonText(String name) {
        Encoder e = encoder(name);

        for (String text : List.of("{\"a\":[1,2", "{\"a\"", "[", "\"unterminated", "{\"a\":tru", "nul")) {
            assertThatThrownBy(() -> e.decode(text.getBytes(StandardCharsets.UTF_8))).as(text)
                    .isInstanceOf(EncodingException.class)
                    .hasMessageContaining("json cannot decode");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("decoding into a target type the value does not fit is an EncodingException")
    void wrongTargetType(String name) {
        Encoder e = encoder(name);

        assertThatThrownBy(() -> e.decode(e.encode("abc"), Integer.class))
                .isInstanceOf(EncodingException.class)
                .hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> e.decode(e.encode(List.of(1)), Order.class)).isInstanceOf(EncodingException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    void convertWrongTypeFails(String name) {
        Encoder e = encoder(name);

        assertThatThrownBy(() -> e.convert("abc", int.class))
                .isInstanceOf(EncodingException.class)
                .hasMessageContaining("cannot convert String to int");
        assertThatThrownBy(() -> e.convert(Map.of("id", List.of()), Order.class))
                .isInstanceOf(EncodingException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("strict types: \"1\" is not an int, 1.5 is not an int")
    void noScalarCoercion(String name) {
        Encoder e = encoder(name);

        assertThatThrownBy(() -> e.convert("1", int.class)).isInstanceOf(EncodingException.class);
        assertThatThrownBy(() -> e.convert("1", Integer.class)).isInstanceOf(EncodingException.class);
        assertThatThrownBy(() -> e.decode(e.encode("1"), int.class)).isInstanceOf(EncodingException.class);
        assertThatThrownBy(() -> e.convert(1.5, int.class)).isInstanceOf(EncodingException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("convert widens what fits: an Integer to long, a map to a record")
    void convertWhatFits(String name) {
        Encoder e = encoder(name);

        assertThat(e.convert(7, long.class)).isEqualTo(7L);
        assertThat(e.convert(7, double.class)).isEqualTo(7.0);
        assertThat(e.convert(null, String.class)).isNull();
        List<Object> generic = new ArrayList<>(List.of("x"));
        assertThat(e.convert(generic, String[].class)).isEqualTo(new String[] {"x"});
    }

    static final class Exploding {
        public String getValue() {
            throw new IllegalStateException("boom");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("a value that cannot be encoded is an EncodingException naming its type")
    void unencodableValue(String name) {
        Encoder e = encoder(name);

        assertThatThrownBy(() -> e.encode(new Exploding()))
                .isInstanceOf(EncodingException.class)
                .hasMessageContaining(name + " cannot encode Exploding");
    }
}
