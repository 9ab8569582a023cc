package io.iios.compat.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A Node IIOS 2.5.3 {@code Gateway} (fixture {@code gateway.js}) driven line by line over stdin/stdout. */
final class NodeGatewayProcess extends NodeFixture.NodeProcess {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: {@code ok} with {@code result}, or {@code err} (the Error's message). */
    record Answer(boolean ok, JsonNode result, String err) {
    }

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Answer>> pending = new ConcurrentHashMap<>();

    NodeGatewayProcess(String ns, String encoder) {
        super("gateway", "gateway.js", Map.of("NS", ns, "ENCODER", encoder, "TIMEOUT", "3000"));
    }

    @Override
    void onLine(String line) {
        if (!line.startsWith("{")) {
            return;
        }
        try {
            JsonNode n = JSON.readTree(line);
            CompletableFuture<Answer> f = pending.remove(n.path("id").asLong(-1));
            if (f != null) {
                f.complete(new Answer(n.path("ok").asBoolean(), n.path("result"), n.path("err").asText(null)));
            }
        } catch (Exception e) {
            // not an answer
        }
    }

    private Answer ask(ObjectNode cmd) {
        long id = ids.incrementAndGet();
        cmd.put("id", id);
        CompletableFuture<Answer> f = new CompletableFuture<>();
        pending.put(id, f);
        send(cmd.toString());
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the Node gateway did not answer " + cmd + "; output: " + lines, e);
        }
    }

    Answer waitFor(String service) {
        ObjectNode cmd = JSON.createObjectNode().put("op", "wait").put("service", service);
        return ask(cmd);
    }

    Answer heartbeats() {
        return ask(JSON.createObjectNode().put("op", "heartbeats"));
    }

    Answer call(String service, String method, List<?> args) {
        return call(service, method, args, null, false);
    }

    Answer call(String service, String method, List<?> args, String userId, boolean privileged) {
        ObjectNode cmd = JSON.createObjectNode().put("op", "call").put("service", service).put("method", method);
        cmd.set("args", JSON.valueToTree(args));
        if (userId != null) {
            cmd.put("userId", userId);
        }
        if (privileged) {
            cmd.put("privileged", true);
        }
        return ask(cmd);
    }
}
