package io.iios.core.internal.rpc;

import io.iios.api.InstanceInfo;
import io.iios.api.MethodInfo;
import io.iios.api.TransportFailureException;
import io.iios.core.internal.codec.BsonEncoder;
import io.iios.core.internal.codec.JsonEncoderProvider;
import io.iios.core.internal.wire.Wire;
import io.iios.spi.Encoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * node-v2 HTTP calls (wire reference §5): {@code <verb> <endpoint>/api/<method>} with the JSON body
 * {@code {"rq": base64(BSON {args: [...]})}} (also for GET and DELETE), headers {@code userId} and
 * {@code privileged: true} only when needed. The answer's {@code err} is a failure; else {@code result}
 * (Node's {@code Buffer} JSON or a base64 string) is a BSON document whose {@code result} is the value.
 * Uses the JDK's HTTP client, so calling Node services over HTTP needs no HTTP module.
 */
final class NodeV2HttpCaller implements AutoCloseable {
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    private @Nullable HttpClient client;
    private boolean closed;
    private final Encoder bson = new BsonEncoder();
    private final Encoder json = new JsonEncoderProvider().create();

    /** The decoded answer as {@code {"response": v}} or {@code {"err": text}}. */
    CompletableFuture<Map<String, @Nullable Object>> call(InstanceInfo target, String method, List<?> args,
            @Nullable String userId, boolean privileged, Duration timeout) {
        MethodInfo mi = target.methods().get(method);
        if (mi == null || !mi.publicHttp()) {
            return CompletableFuture.failedFuture(new io.iios.api.ServiceUnavailableException("method '" + method
                    + "' of service '" + target.service() + "' is in no httpMethods list of its record, so it cannot "
                    + "be called over HTTP"));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("args", args);
        String rq = Base64.getEncoder().encodeToString(bson.encode(doc));
        byte[] body = json.encode(Map.of("rq", rq));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.httpEndpoint() + "/api/" + method))
                .timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .method(mi.verb().name().toUpperCase(Locale.ROOT), HttpRequest.BodyPublishers.ofByteArray(body));
        if (userId != null) {
            b.header("userId", userId);
        }
        if (privileged) {
            b.header("privileged", "true");
        }
        HttpClient http;
        try {
            http = client();
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(new TransportFailureException(e.getMessage(), e));
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            if (r.statusCode() / 100 != 2) {
                throw new TransportFailureException("HTTP " + r.statusCode() + " from " + r.uri() + ": "
                        + abbreviate(new String(r.body(), StandardCharsets.UTF_8)));
            }
            Map<?, ?> m;
            try {
                m = Wire.asMap(json.decode(r.body()));
            } catch (RuntimeException e) {
                throw new TransportFailureException("unreadable answer from " + r.uri() + ": " + e.getMessage(), e);
            }
            Map<String, @Nullable Object> out = new LinkedHashMap<>();
            if (io.iios.core.internal.wire.NodeV2Protocol.truthy(m.get("err"))) {
                out.put("err", m.get("err"));
                return out;
            }
            out.put("response", result(m.get("result")));
            return out;
        });
    }

    /** The client, made at the first HTTP call (most nodes never make one: it owns a selector thread). */
    private HttpClient client() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("node closed");
            }
            if (client == null) {
                client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            }
            return client;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (client != null) {
                client.close();
                client = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code {"type":"Buffer","data":[...]}} or a base64 string, holding BSON {@code {result: v}}. */
    @Nullable Object result(@Nullable Object raw) {
        byte[] bytes;
        if (raw == null) {
            return null;
        } else if (raw instanceof String s) {
            bytes = Base64.getDecoder().decode(s);
        } else if (raw instanceof Map<?, ?> buf && buf.get("data") instanceof List<?> data) {
            bytes = new byte[data.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = ((Number) data.get(i)).byteValue();
            }
        } else {
            throw new TransportFailureException("the HTTP answer's 'result' is neither base64 nor a Buffer: " + raw);
        }
        return Wire.asMap(bson.decode(bytes)).get("result");
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }
}
