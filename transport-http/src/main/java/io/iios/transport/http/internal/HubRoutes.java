package io.iios.transport.http.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The discovery-server routes under {@code /iios/v1/hub}: the {@link Hub}'s KV store and pub/sub relay
 * over HTTP. Subscriptions are one streamed response of frames ({@code int} length, channel UTF-8,
 * {@code int} length, payload); an empty channel is the confirmation (first) or a keep-alive.
 */
final class HubRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long KEEP_ALIVE_MILLIS = 10_000;
    private final Hub hub;
    private final HubAuth auth;
    private final long maxBody;
    private final Duration readTimeout;
    final AtomicLong dropped = new AtomicLong();

    HubRoutes(Hub hub, HubAuth auth, long maxBody, Duration readTimeout) {
        this.hub = hub;
        this.auth = auth;
        this.maxBody = maxBody;
        this.readTimeout = readTimeout;
    }

    void register(HttpRouting.Builder r) {
        String base = HttpTransport.BASE;
        r.get(base + "/kv", this::get);
        r.put(base + "/kv", this::put);
        r.delete(base + "/kv", this::delete);
        r.get(base + "/keys", this::keys);
        r.post(base + "/pub", this::publish);
        r.get(base + "/sub", this::subscribe);
    }

    private static String param(ServerRequest req, String name) {
        return req.query().first(name).orElse("");
    }

    private boolean allowed(ServerRequest req, ServerResponse res, String op, String target, String extra,
            byte[] body) {
        if (auth.verify(req.headers().first(HeaderNames.create(HubAuth.HEADER)).orElse(null), op, target, extra,
                body)) {
            return true;
        }
        res.status(Status.UNAUTHORIZED_401).send("missing or invalid " + HubAuth.HEADER + " (iios.security.key)");
        return false;
    }

    private void get(ServerRequest req, ServerResponse res) {
        String k = param(req, "k");
        if (!allowed(req, res, "get", k, "", new byte[0])) {
            return;
        }
        Optional<byte[]> v = hub.get(k);
        if (v.isPresent()) {
            res.send(v.get());
        } else {
            res.status(Status.NOT_FOUND_404).send();
        }
    }

    private void put(ServerRequest req, ServerResponse res) throws Exception {
        String k = param(req, "k");
        String ttl = param(req, "ttl");
        byte[] body = Bodies.readOrAnswer(req, res, maxBody, readTimeout);
        if (body == null) {
            return;
        }
        boolean nx = param(req, "nx").equals("1");
        if (!allowed(req, res, nx ? "cas" : "put", k, ttl, body)) {
            return;
        }
        long ms;
        try {
            ms = ttl.isEmpty() ? 0 : Long.parseLong(ttl);
        } catch (NumberFormatException e) {
            res.status(Status.BAD_REQUEST_400).send("bad ttl");
            return;
        }
        if (nx) {
            res.send(hub.putIfAbsent(k, body, ms) ? "1" : "0");
        } else {
            hub.put(k, body, ms);
            res.send("1");
        }
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String k = param(req, "k");
        if (!allowed(req, res, "delete", k, "", new byte[0])) {
            return;
        }
        res.send(hub.delete(k) ? "1" : "0");
    }

    private void keys(ServerRequest req, ServerResponse res) throws Exception {
        String p = param(req, "p");
        if (!allowed(req, res, "keys", p, "", new byte[0])) {
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(JSON.writeValueAsBytes(hub.keys(p)));
    }

    private void publish(ServerRequest req, ServerResponse res) throws Exception {
        String c = param(req, "c");
        byte[] body = Bodies.readOrAnswer(req, res, maxBody, readTimeout);
        if (body == null) {
            return;
        }
        if (!allowed(req, res, "pub", c, "", body)) {
            return;
        }
        hub.publish(c, body);
        res.status(Status.NO_CONTENT_204).send();
    }

    private void subscribe(ServerRequest req, ServerResponse res) {
        String p = param(req, "p");
        if (!allowed(req, res, "sub", p, "", new byte[0])) {
            return;
        }
        try {
            io.iios.spi.Channel.requirePattern(p);
        } catch (IllegalArgumentException e) {
            res.status(Status.BAD_REQUEST_400).send(e.getMessage());
            return;
        }
        Mailbox box = new Mailbox();
        res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
        try (AutoCloseable registration = hub.subscribe(p, (c, payload) -> {
            if (!box.offer(c, payload)) {
                dropped.incrementAndGet();
            }
        }); OutputStream raw = res.outputStream()) {
            DataOutputStream out = new DataOutputStream(raw);
            frame(out, "", new byte[0]);
            out.flush();
            while (true) {
                Mailbox.Message m = box.poll(KEEP_ALIVE_MILLIS);
                if (m == null) {
                    frame(out, "", new byte[0]);
                } else {
                    frame(out, m.channel(), m.payload());
                    // write what is queued before flushing once
                    Mailbox.Message next;
                    while ((next = box.poll(0)) != null) {
                        frame(out, next.channel(), next.payload());
                    }
                }
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the subscriber went away (or the server stops): the registration is closed above
        }
    }

    private static void frame(DataOutputStream out, String channel, byte[] payload) throws IOException {
        byte[] c = channel.getBytes(StandardCharsets.UTF_8);
        out.writeInt(c.length);
        out.write(c);
        out.writeInt(payload.length);
        out.write(payload);
    }
}
