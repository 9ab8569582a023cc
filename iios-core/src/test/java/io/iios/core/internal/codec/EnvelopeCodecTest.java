package io.iios.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.iios.api.ErrorCode;
import io.iios.core.internal.ProviderSelection;
import io.iios.core.internal.wire.EnvelopeCodec;
import io.iios.core.internal.wire.Names;
import io.iios.core.internal.wire.NativeProtocol;
import io.iios.core.internal.wire.NodeV2Names;
import io.iios.core.internal.wire.NodeV2Protocol;
import io.iios.core.internal.wire.Wire;
import io.iios.spi.Encoder;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Core's Jackson encoders write and read call envelopes without a map ({@link EnvelopeCodec}); the wire
 * stays the map path's: same bytes, same decoded envelopes, same errors, for json and msgpack.
 */
class EnvelopeCodecTest {

    record Point(int x, int y) {
    }

    private static Encoder encoder(String name) {
        return ProviderSelection.encoder(name, ProviderSelection.encoders(EnvelopeCodecTest.class.getClassLoader()))
                .create();
    }

    private static EnvelopeCodec codec(Encoder e) {
        EnvelopeCodec c = EnvelopeCodec.of(e, new NativeProtocol(new Names("ns")), false);
        assertThat(c).as("core's %s encoder is an EnvelopeCodec", e.name()).isNotNull();
        return c;
    }

    private static List<@Nullable Object> args() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("list", List.of(1, 2.5, "x"));
        nested.put("none", null);
        nested.put("deep", Map.of("k", List.of(Map.of("z", true))));
        List<@Nullable Object> args = new ArrayList<>();
        args.add(7);
        args.add(Long.MAX_VALUE);
        args.add(new BigInteger("18446744073709551615"));
        args.add(3.25);
        args.add("text with \"quotes\" and ünïcödé");
        args.add("");
        args.add(null);
        args.add(true);
        args.add(false);
        args.add(new byte[] {0, 1, 2, (byte) 255});
        args.add(nested);
        args.add(List.of());
        args.add(List.of(List.of(1), List.of()));
        args.add(new Point(3, 4));
        return args;
    }

    static Stream<Arguments> requests() {
        List<Arguments> out = new ArrayList<>();
        for (String enc : List.of("json", "msgpack")) {
            out.add(Arguments.of(enc, new Wire.Request(1, "bob", "add", List.of(1, 2), "ns:_reply:node-1",
                    1_800_000_000_000L, null, null, "node-1", false)));
            out.add(Arguments.of(enc, new Wire.Request(Long.MAX_VALUE, "bob", "echo", args(), "ns:_reply:node-1",
                    1_800_000_000_000L, "alice", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                    "node-1", true)));
            out.add(Arguments.of(enc, new Wire.Request(42, "bob", "none", List.of(), "ns:_reply:n", 5, "u", null,
                    "n", false)));
        }
        return out.stream();
    }

    static Stream<Arguments> replies() {
        List<Arguments> out = new ArrayList<>();
        for (String enc : List.of("json", "msgpack")) {
            out.add(Arguments.of(enc, Wire.Reply.success(1, 3)));
            out.add(Arguments.of(enc, Wire.Reply.success(2, null)));
            out.add(Arguments.of(enc, Wire.Reply.success(3, args())));
            out.add(Arguments.of(enc, Wire.Reply.success(4, new Point(1, 2))));
            out.add(Arguments.of(enc, Wire.Reply.failure(5, ErrorCode.REMOTE_FAILURE,
                    IllegalStateException.class.getName(), "boom")));
            out.add(Arguments.of(enc, new Wire.Reply(6, false, null, null, null, null)));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("requests")
    @DisplayName("a request is the map path's bytes, and reads back the same through either path")
    void requests(String name, Wire.Request request) {
        Encoder e = encoder(name);
        EnvelopeCodec c = codec(e);
        byte[] fast = c.encodeRequest(request);
        byte[] generic = e.encode(request.toMap());

        assertThat(fast).isEqualTo(generic);
        Wire.Request viaMap = Wire.Request.from(Wire.asMap(e.decode(fast)));
        Wire.Request viaFast = Wire.Request.from(c.decodeEnvelope(generic));
        assertThat(viaFast).usingRecursiveComparison().isEqualTo(viaMap);
        assertThat(viaFast.args()).hasSameSizeAs(request.args());
        assertThat(viaFast.userId()).isEqualTo(request.userId());
        assertThat(viaFast.traceparent()).isEqualTo(request.traceparent());
        assertThat(viaFast.privileged()).isEqualTo(request.privileged());
        assertThat(viaFast.deadlineMillis()).isEqualTo(request.deadlineMillis());
    }

    @ParameterizedTest
    @MethodSource("replies")
    @DisplayName("a reply is the map path's bytes, and reads back the same through either path")
    void replies(String name, Wire.Reply reply) {
        Encoder e = encoder(name);
        EnvelopeCodec c = codec(e);
        byte[] fast = c.encodeReply(reply);
        byte[] generic = e.encode(reply.toMap());

        assertThat(fast).isEqualTo(generic);
        Wire.Reply viaMap = Wire.Reply.from(Wire.asMap(e.decode(fast)));
        Wire.Reply viaFast = Wire.Reply.from(c.decodeEnvelope(generic));
        assertThat(viaFast).usingRecursiveComparison().isEqualTo(viaMap);
        assertThat(viaFast.ok()).isEqualTo(reply.ok());
        assertThat(viaFast.id()).isEqualTo(reply.id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    @DisplayName("fields the readers do not use (a signature, a newer node's extras) are skipped, as by the map path")
    void unknownFieldsSkipped(String name) {
        Encoder e = encoder(name);
        Map<String, Object> m = new Wire.Request(9, "bob", "add", List.of(1, 2), "ns:_reply:n", 99, null, null, "n",
                false).toMap();
        m.put("sig", "abc");
        m.put("x", Map.of("nested", List.of(1, Map.of("deeper", List.of()))));
        m.put("ts", 1234L);
        m.put("y", List.of(List.of(), "z"));

        Map<?, ?> fast = codec(e).decodeEnvelope(e.encode(m));

        assertThat(Wire.Request.from(fast)).usingRecursiveComparison()
                .isEqualTo(Wire.Request.from(Wire.asMap(e.decode(e.encode(m)))));
        assertThat(fast.get("sig")).isNull();
        assertThat(fast.containsKey("id")).isTrue();
        assertThat(fast.containsKey("u")).isFalse();
    }

    /** Malformed messages: each must fail the same way, with the same text, on both paths. */
    static Stream<Arguments> malformed() {
        List<Arguments> out = new ArrayList<>();
        for (String enc : List.of("json", "msgpack")) {
            Encoder e = encoder(enc);
            Function<Map<String, Object>, byte[]> enc0 = e::encode;
            Map<String, Object> good = new Wire.Request(1, "bob", "add", List.of(1, 2), "ns:_reply:n", 99, null, null,
                    "n", false).toMap();
            out.add(Arguments.of(enc, "empty", new byte[0]));
            out.add(Arguments.of(enc, "garbage", "\u0001\u0002not an envelope}}".getBytes(StandardCharsets.UTF_8)));
            out.add(Arguments.of(enc, "a string", e.encode("hello")));
            out.add(Arguments.of(enc, "an array", e.encode(List.of(1, 2))));
            out.add(Arguments.of(enc, "null", e.encode(null)));
            byte[] bytes = e.encode(good);
            out.add(Arguments.of(enc, "cut", Arrays.copyOf(bytes, bytes.length - 3)));
            byte[] trailing = Arrays.copyOf(bytes, bytes.length + 2);
            trailing[bytes.length] = '1';
            trailing[bytes.length + 1] = '2';
            out.add(Arguments.of(enc, "trailing bytes", trailing));
            for (String[] change : new String[][] {{"v", "2"}, {"t", "evt"}, {"a", "notalist"}, {"id", "1.5"},
                {"id", "big"}, {"s", ""}, {"m", "null"}, {"u", "7"}, {"priv", "yes"}, {"dl", "text"}, {"n", "-"}}) {
                Map<String, Object> m = new LinkedHashMap<>(good);
                switch (change[1]) {
                    case "null" -> m.put(change[0], null);
                    case "-" -> m.remove(change[0]);
                    case "1.5" -> m.put(change[0], 1.5);
                    case "big" -> m.put(change[0], new BigInteger("18446744073709551615"));
                    case "2", "7" -> m.put(change[0], Integer.parseInt(change[1]));
                    default -> m.put(change[0], change[1]);
                }
                out.add(Arguments.of(enc, "request with " + change[0] + "=" + change[1], enc0.apply(m)));
            }
            Map<String, Object> reply = Wire.Reply.success(1, 2).toMap();
            reply.put("ok", "true");
            out.add(Arguments.of(enc, "reply with ok a string", e.encode(reply)));
            Map<String, Object> noErr = Wire.Reply.failure(1, ErrorCode.BAD_MESSAGE, "T", "m").toMap();
            noErr.put("err", "oops");
            out.add(Arguments.of(enc, "failed reply without err object", e.encode(noErr)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("malformed")
    @DisplayName("malformed input fails with the map path's exception and text")
    void malformedSame(String name, String what, byte[] bytes) {
        Encoder e = encoder(name);
        EnvelopeCodec c = codec(e);
        for (Function<Map<?, ?>, Object> reader : List.<Function<Map<?, ?>, Object>>of(Wire.Request::from,
                Wire.Reply::from)) {
            Throwable generic = catchThrowable(() -> reader.apply(Wire.asMap(e.decode(bytes))));
            Throwable fast = catchThrowable(() -> reader.apply(c.decodeEnvelope(bytes)));
            assertThat(generic).as("the map path refuses %s", what).isNotNull();
            assertThat(fast).as(what).isNotNull().hasSameClassAs(generic).hasMessage(generic.getMessage());
        }
    }

    @Test
    @DisplayName("the map path stays for node-v2, signed envelopes and encoders without the capability")
    void mapPathWhereNeeded() {
        Encoder json = encoder("json");
        assertThat(EnvelopeCodec.of(json, new NativeProtocol(new Names("ns")), true)).isNull();
        assertThat(EnvelopeCodec.of(json, new NodeV2Protocol(new NodeV2Names("ns", "ac"), false, false), false)).isNull();
        assertThat(EnvelopeCodec.of(new BsonEncoderProvider().create(), new NativeProtocol(new Names("ns")), false)).isNull();
    }
}
