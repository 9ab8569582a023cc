package io.iios.transport.http.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** RFC 9457 problem details ({@code application/problem+json}). */
final class Problem {
    static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problem() {
    }

    /**
     * Sends a problem. {@code kind} becomes the type {@code urn:iios:problem:KIND}.
     *
     * @param extra extension members (e.g. the remote exception type), may be empty
     */
    static void send(ServerResponse res, int status, String kind, String title, String detail,
            @Nullable String instance, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:iios:problem:" + kind);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        body.putAll(extra);
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (Exception e) {
            bytes = ("{\"status\":" + status + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
        res.send(bytes);
    }

    static void send(ServerResponse res, int status, String kind, String title, String detail,
            @Nullable String instance) {
        send(res, status, kind, title, detail, instance, Map.of());
    }
}
