package io.iios.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.iios.api.ErrorCode;
import io.iios.core.internal.wire.EnvelopeFields;
import io.iios.core.internal.wire.Wire;
import io.iios.spi.EncodingException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON envelope shortcut writes exactly Jackson's bytes and reads exactly Jackson's values, or declines;
 * it never accepts what Jackson refuses.
 */
class JsonEnvelopeShortcutTest {
    private static final JacksonEncoder JSON = (JacksonEncoder) new JsonEncoderProvider().create();
    private static final String[] FIELDS = {"v", "t", "id", "s", "m", "a", "r", "dl", "n", "u", "tp", "priv", "ok",
        "res", "err"};

    private static Wire.Request request(List<@Nullable Object> args) {
        return new Wire.Request(7, "bob", "add", args, "ns:_reply:node-1", 1_800_000_000_000L, "alice",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "node-1", true);
    }

    private static List<@Nullable Object> simpleArgs() {
        List<@Nullable Object> args = new ArrayList<>();
        args.addAll(List.of(0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 2_147_483_648L, Long.MAX_VALUE,
                Long.MIN_VALUE, -2_147_483_649L, true, false, "", "plain ASCII ~!@#$%^&*()_+{}[]:;'<>,./?|`"));
        args.add(null);
        args.add(List.of());
        args.add(List.of(1, List.of("x", List.of()), true));
        return args;
    }

    @Test
    @DisplayName("simple requests and replies: written by the shortcut, byte for byte Jackson's")
    void writesJacksonsBytes() {
        List<Wire.Request> requests = List.of(request(simpleArgs()), request(List.of(1, 2)),
                new Wire.Request(1, "bob", "none", List.of(), "ns:_reply:n", 5, null, null, "n", false),
                new Wire.Request(-3, "bob", "m", Arrays.asList(null, "a"), "r", -1, "u", null, "n", false));
        for (Wire.Request r : requests) {
            byte[] shortcut = JsonEnvelopeShortcut.request(r);
            assertThat(shortcut).as("%s", r).isNotNull().isEqualTo(JSON.encode(r.toMap()));
        }
        for (Object result : simpleArgs()) {
            Wire.Reply reply = Wire.Reply.success(42, result);
            byte[] shortcut = JsonEnvelopeShortcut.reply(reply);
            assertThat(shortcut).as("%s", result).isNotNull().isEqualTo(JSON.encode(reply.toMap()));
        }
        assertThat(JsonEnvelopeShortcut.reply(Wire.Reply.success(1, simpleArgs())))
                .isEqualTo(JSON.encode(Wire.Reply.success(1, simpleArgs()).toMap()));
    }

    /** A list type of a user's own: Jackson may serialize it its own way. */
    static final class OwnList extends AbstractList<Integer> {
        @Override
        public Integer get(int index) {
            return index;
        }

        @Override
        public int size() {
            return 2;
        }
    }

    @Test
    @DisplayName("anything beyond the subset is left to Jackson, and the codec's bytes stay Jackson's")
    void declinesTheRest() {
        List<Object> notSimple = List.of(1.5, 2.5f, "ünïcödé", "quote \"", "back\\slash", "tab\t", "del\u007f",
                Map.of("k", 1), new byte[] {1}, new java.math.BigInteger("18446744073709551615"), (short) 3,
                List.of(1, 2.0), new OwnList(), nested(17));
        for (Object v : notSimple) {
            List<@Nullable Object> args = new ArrayList<>();
            args.add(v);
            Wire.Request r = request(args);
            assertThat(JsonEnvelopeShortcut.request(r)).as("request with %s", v).isNull();
            assertThat(JsonEnvelopeShortcut.reply(Wire.Reply.success(1, v))).as("reply with %s", v).isNull();
            assertThat(JSON.encodeRequest(r)).isEqualTo(JSON.encode(r.toMap()));
        }
        assertThat(JsonEnvelopeShortcut.request(new Wire.Request(1, "bøb", "m", List.of(), "r", 1, null, null, "n",
                false))).isNull();
        Wire.Reply failure = Wire.Reply.failure(1, ErrorCode.REMOTE_FAILURE, "T", "m");
        assertThat(JsonEnvelopeShortcut.reply(failure)).isNull();
        assertThat(JSON.encodeReply(failure)).isEqualTo(JSON.encode(failure.toMap()));
        assertThat(JsonEnvelopeShortcut.request(request(List.of(nested(14))))).isNotNull();
    }

    private static List<Object> nested(int depth) {
        List<Object> l = List.of();
        for (int i = 0; i < depth; i++) {
            l = List.of(l);
        }
        return l;
    }

    @Test
    @DisplayName("what the shortcut writes, it reads back with Jackson's values and types")
    void readsWhatItWrites() {
        List<@Nullable Object> args = simpleArgs();
        args.remove((Object) Long.MIN_VALUE); // its magnitude is past a long: read by Jackson (below)
        byte[] req = JsonEnvelopeShortcut.request(request(args));
        byte[] rep = JsonEnvelopeShortcut.reply(Wire.Reply.success(3, args));
        assertThat(JsonEnvelopeShortcut.read(JsonEnvelopeShortcut.request(request(simpleArgs())))).isNull();
        for (byte[] bytes : List.of(req, rep)) {
            EnvelopeFields fields = JsonEnvelopeShortcut.read(bytes);
            assertThat(fields).isNotNull();
            assertSameAsJackson(bytes, fields);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"id\":-0}", "{\"id\":01}", "{\"id\":1.5}", "{\"id\":1e3}", "{\"id\":1E3}", "{\"id\":-}", "{\"id\":+1}",
        "{\"id\":9223372036854775808}", "{\"id\":-9223372036854775808}", "{ \"id\":1}", "{\"id\":1 }",
        "{\"id\":1}\n", "{\"id\":1}x", "{\"id\":tru}",
        "{\"id\":nul}", "{\"id\":\"a\\\"b\"}", "{\"id\":\"tab\there\"}", "{\"a\":[1,]}", "{\"a\":[,1]}",
        "{\"a\":[1 2]}", "{\"x\":{\"k\":1}}", "{\"id\":1,}", "{,}", "{\"id\"1}", "[1]", "\"s\"", "1", "",
        "{\"a\":[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]}", "{\"s\":\"\u00e9\"}", "{'id':1}", "{\"id\":NaN}"})
    @DisplayName("declines (never misreads) what is outside the subset or not JSON at all")
    void declinesOddInput(String text) {
        assertThat(JsonEnvelopeShortcut.read(text.getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"id\":0}", "{\"id\":-2147483648}", "{\"id\":2147483648}",
        "{\"id\":-999999999999999999}", "{\"id\":9223372036854775807}", "{\"id\":-9223372036854775807}",
        "{\"x\":[1,[true,null,\"z\"]],\"id\":5,\"id\":6}", "{\"a\":[]}",
        "{\"ok\":false,\"zz\":\"ignored\",\"res\":null}"})
    @DisplayName("reads the subset with Jackson's values: Integer or Long as Jackson picks, last duplicate wins")
    void readsTheSubset(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        EnvelopeFields fields = JsonEnvelopeShortcut.read(bytes);
        assertThat(fields).isNotNull();
        assertSameAsJackson(bytes, fields);
    }

    @Test
    @DisplayName("a field name read as bytes gets the slot its String gets")
    void slotsFromBytes() {
        List<String> names = new ArrayList<>(List.of(FIELDS));
        names.addAll(List.of("", "x", "idd", "i", "pri", "privy", "resx", "sig"));
        for (String name : names) {
            byte[] bytes = ("__" + name + "__").getBytes(StandardCharsets.US_ASCII);
            assertThat(EnvelopeFields.slot(bytes, 2, name.length())).as(name).isEqualTo(EnvelopeFields.slot(name));
        }
        assertThat(EnvelopeFields.slot("priv")).isEqualTo(11);
    }

    @Test
    @DisplayName("a repeated type, service, method or reply channel is read as the same String; other values are not mixed up")
    void repeatedStringsReused() {
        byte[] first = JsonEnvelopeShortcut.request(request(List.of(1, 2)));
        byte[] second = JsonEnvelopeShortcut.request(request(List.of(3, 4)));
        EnvelopeFields a = JsonEnvelopeShortcut.read(first);
        EnvelopeFields b = JsonEnvelopeShortcut.read(second);
        assertThat(a).isNotNull();
        assertThat(b).isNotNull();
        for (String f : List.of("t", "s", "m", "r", "n", "u")) {
            assertThat(b.get(f)).as(f).isEqualTo(a.get(f)).isSameAs(a.get(f));
        }
        assertThat(b.get("tp")).isEqualTo(a.get("tp")).isNotSameAs(a.get("tp")); // the trace context is not cached
        // same length and last byte ("addx"/"subx"): one place, taken in turn; each read still gets its own value
        for (int round = 0; round < 3; round++) {
            for (String method : List.of("addx", "subx", "mulx", "a", "")) {
                EnvelopeFields f = JsonEnvelopeShortcut.read(JsonEnvelopeShortcut.request(
                        new Wire.Request(round, "bob", method, List.of(), "ns:_reply:n", 5, null, null, "n", false)));
                assertThat(f).isNotNull();
                assertThat(f.get("m")).isEqualTo(method);
                assertThat(f.get("id")).isEqualTo(round);
            }
        }
    }

    @Test
    @DisplayName("threads reading different methods at once each get their own method back")
    void repeatedStringsAcrossThreads() throws Exception {
        List<String> methods = List.of("addx", "subx", "mulx", "divx", "modx", "powx");
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(methods.size())) {
            List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
            for (String method : methods) {
                byte[] bytes = JsonEnvelopeShortcut.request(
                        new Wire.Request(1, "bob", method, List.of(1), "ns:_reply:n", 5, null, null, "n", false));
                done.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 20_000; i++) {
                        EnvelopeFields f = JsonEnvelopeShortcut.read(bytes);
                        if (f != null && method.equals(f.get("m"))) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (var d : done) {
                assertThat(d.get(1, java.util.concurrent.TimeUnit.MINUTES)).isEqualTo(20_000);
            }
        }
    }

    @Test
    @DisplayName("random damage to envelopes: every message the shortcut reads, Jackson reads the same")
    void fuzz() {
        Random random = new Random(20261206);
        List<byte[]> seeds = List.of(JsonEnvelopeShortcut.request(request(simpleArgs())),
                JsonEnvelopeShortcut.request(request(List.of(1, 2))),
                JsonEnvelopeShortcut.reply(Wire.Reply.success(9, List.of(1, "x", List.of(true)))));
        byte[] alphabet = "{}[]\",:0123456789-.eEtrufalsn \\xa\u0001".getBytes(StandardCharsets.ISO_8859_1);
        int read = 0;
        int declined = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = seeds.get(random.nextInt(seeds.size())).clone();
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(bytes.length);
                switch (random.nextInt(3)) {
                    case 0 -> bytes[at] = alphabet[random.nextInt(alphabet.length)];
                    case 1 -> bytes = Arrays.copyOf(bytes, at); // cut
                    default -> {
                        byte[] longer = new byte[bytes.length + 1];
                        System.arraycopy(bytes, 0, longer, 0, at);
                        longer[at] = alphabet[random.nextInt(alphabet.length)];
                        System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                        bytes = longer;
                    }
                }
                if (bytes.length == 0) {
                    break;
                }
            }
            EnvelopeFields fields = JsonEnvelopeShortcut.read(bytes);
            if (fields == null) {
                declined++;
            } else {
                read++;
                assertSameAsJackson(bytes, fields);
            }
        }
        assertThat(read).as("some damaged messages are still simple JSON").isPositive();
        assertThat(declined).as("most damaged messages are not").isGreaterThan(read);
    }

    /** Jackson (the map path) reads the same bytes without error, into equal values of equal types. */
    private static void assertSameAsJackson(byte[] bytes, EnvelopeFields fields) {
        Object decoded;
        try {
            decoded = JSON.decode(bytes);
        } catch (EncodingException e) {
            throw new AssertionError("the shortcut read what Jackson refuses: "
                    + new String(bytes, StandardCharsets.ISO_8859_1), e);
        }
        assertThat(decoded).isInstanceOf(Map.class);
        Map<?, ?> jackson = (Map<?, ?>) decoded;
        for (String f : FIELDS) {
            assertThat(fields.containsKey(f)).as("field %s of %s", f, new String(bytes, StandardCharsets.ISO_8859_1))
                    .isEqualTo(jackson.containsKey(f));
            assertSameTypes(fields.get(f), jackson.get(f));
        }
    }

    private static void assertSameTypes(@Nullable Object mine, @Nullable Object theirs) {
        assertThat(mine).isEqualTo(theirs);
        if (mine instanceof List<?> a && theirs instanceof List<?> b) {
            for (int i = 0; i < a.size(); i++) {
                assertSameTypes(a.get(i), b.get(i));
            }
        } else if (mine != null) {
            assertThat(mine.getClass()).isEqualTo(theirs.getClass());
        }
    }
}
