package io.iios.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iios.spi.EncodingException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Checklist point 10: BSON as Node IIOS 2.5.3 (bson 4.7) writes and reads it; bytes captured from Node. */
class BsonEncoderTest {
    private final BsonEncoder bson = new BsonEncoder();

    @Test
    @DisplayName("10. reads Node's documents: int32, arrays keyed 0..n, and writes the same bytes back")
    void p10_bsonTypingMatchesNode() {
        byte[] rq = Base64.getDecoder().decode("HgAAAARhcmdzABMAAAAQMAACAAAAEDEAAwAAAAAA");
        assertThat(bson.decode(rq)).isEqualTo(Map.of("args", List.of(2, 3)));
        assertThat(bson.encode(Map.of("args", List.of(2, 3)))).isEqualTo(rq);
        byte[] result = {17, 0, 0, 0, 16, 114, 101, 115, 117, 108, 116, 0, 5, 0, 0, 0, 0};
        assertThat(bson.decode(result)).isEqualTo(Map.of("result", 5));
        assertThat(bson.encode(Map.of("result", 5))).isEqualTo(result);
    }

    @Test
    @DisplayName("10. numbers: int32, int64 and double all read; JS integers beyond int32 become Long")
    void numbers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("i", 7);
        m.put("l", 5_000_000_000L);
        m.put("small", 12L);
        m.put("d", 1.5);
        m.put("big", 6.0e9);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) bson.decode(bson.encode(m));
        assertThat(back).containsEntry("i", 7).containsEntry("l", 5_000_000_000L).containsEntry("small", 12)
                .containsEntry("d", 1.5).containsEntry("big", 6_000_000_000L);
    }

    @Test
    @DisplayName("10. a field Node left undefined is simply absent; null stays null")
    void undefinedAndNull() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", null);
        byte[] bytes = bson.encode(m);
        assertThat(bson.decode(bytes)).isEqualTo(m);
        // {u: undefined} as bson 4.7 writes it with ignoreUndefined=false: type 0x06
        byte[] undefined = {8, 0, 0, 0, 6, 117, 0, 0};
        assertThat(bson.decode(undefined)).isEqualTo(Map.of());
    }

    @Test
    @DisplayName("a value that is not a document is wrapped; garbage fails with EncodingException")
    void wrappedAndGarbage() {
        assertThat(bson.decode(bson.encode("x"))).isEqualTo("x");
        assertThat(bson.decode(bson.encode(List.of(1, 2)))).isEqualTo(List.of(1, 2));
        assertThatThrownBy(() -> bson.decode("hello".getBytes())).isInstanceOf(EncodingException.class)
                .hasMessageContaining("bson size");
        assertThatThrownBy(() -> bson.decode(new byte[] {9, 0, 0, 0, 99, 1, 2, 3, 0}))
                .isInstanceOf(EncodingException.class);
    }
}
