package io.iios.core;

import io.iios.core.internal.codec.BsonEncoder;
import io.iios.core.internal.codec.JsonEncoderProvider;
import io.iios.core.internal.wire.Wire;
import io.iios.spi.Encoder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body formats of Node IIOS 2.x's HTTP RPC route (wire reference §5.2, §5.3), on the callee side:
 * {@code {"rq": base64(BSON {args})}} (JSON or urlencoded) in, {@code {"result": base64(BSON {result})}}
 * or {@code {"err": text}} out.
 */
final class NodeV2HttpApi {
    private static final Encoder JSON = new JsonEncoderProvider().create();
    private static final Encoder BSON = new BsonEncoder();

    private NodeV2HttpApi() {
    }

    record Request(List<@Nullable Object> args) {
    }

    static Request parse(byte[] body, String contentType) {
        String rq;
        if (contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            rq = null;
            for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
                if (pair.startsWith("rq=")) {
                    rq = URLDecoder.decode(pair.substring(3), StandardCharsets.UTF_8);
                }
            }
        } else {
            rq = body.length == 0 ? null : Wire.asMap(JSON.decode(body)).get("rq") instanceof String s ? s : null;
        }
        if (rq == null) {
            throw new IllegalArgumentException("TypeError [ERR_INVALID_ARG_TYPE]: the request has no 'rq' string");
        }
        Map<?, ?> doc = Wire.asMap(BSON.decode(Base64.getDecoder().decode(rq)));
        Object args = doc.get("args");
        List<@Nullable Object> list = new ArrayList<>();
        if (args instanceof List<?> l) {
            list.addAll(l);
        } else if (args instanceof Map<?, ?> m) {
            list.addAll(m.values()); // an object's values, in order
        }
        return new Request(list);
    }

    /** The node-v2 request envelope of an HTTP call; the reply comes back through the host directly. */
    static Map<String, Object> envelope(List<@Nullable Object> args, @Nullable String userId,
            @Nullable String privileged) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("origin", "http");
        meta.put("token", "http");
        if (userId != null && !userId.isEmpty()) {
            meta.put("userId", userId);
        }
        // unlike Node (W8), the header value "false" does not make a call privileged
        if (privileged != null && !privileged.isEmpty() && !privileged.equalsIgnoreCase("false")) {
            meta.put("privileged", true);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("meta", meta);
        m.put("req", args);
        return m;
    }

    /** The JSON answer for a node-v2 reply envelope. */
    static byte[] answer(Encoder encoder, byte[] reply) {
        Map<?, ?> m = Wire.asMap(encoder.decode(reply));
        Map<String, Object> out = new LinkedHashMap<>();
        if (m.get("err") != null) {
            out.put("err", m.get("err"));
        } else {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("result", m.get("response"));
            out.put("result", Base64.getEncoder().encodeToString(BSON.encode(doc)));
        }
        return JSON.encode(out);
    }

    static byte[] error(RuntimeException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return JSON.encode(Map.of("err", msg.startsWith("TypeError") ? msg : "BSONError: " + msg));
    }
}
