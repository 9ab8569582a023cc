package io.iios.core.internal.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NodeV2HttpCallerTest {
    private static final byte[] RESULT_5 = {17, 0, 0, 0, 16, 114, 101, 115, 117, 108, 116, 0, 5, 0, 0, 0, 0};

    @Test
    @DisplayName("9. an HTTP result is read from Node's Buffer JSON and from a base64 string")
    void p09_resultInBothForms() {
        NodeV2HttpCaller c = new NodeV2HttpCaller();
        List<Integer> data = new ArrayList<>();
        for (byte b : RESULT_5) {
            data.add(b & 0xff);
        }
        assertThat(c.result(Map.of("type", "Buffer", "data", data))).isEqualTo(5);
        assertThat(c.result(Base64.getEncoder().encodeToString(RESULT_5))).isEqualTo(5);
    }
}
