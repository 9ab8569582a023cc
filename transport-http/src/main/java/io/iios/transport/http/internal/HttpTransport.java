package io.iios.transport.http.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iios.spi.Capability;
import io.iios.spi.KvListener;
import io.iios.spi.KvStore;
import io.iios.spi.MessageHandler;
import io.iios.spi.MessageTooLargeException;
import io.iios.spi.PubSub;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportException;
import io.iios.spi.TransportListener;
import io.iios.spi.TransportUnavailableException;
import io.iios.spi.UnsupportedCapabilityException;
import io.iios.transport.http.HttpOptions;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The broker-less {@code http} transport: KV and pub/sub go to the discovery servers
 * ({@code iios.discovery.servers}) over HTTP, or straight to this node's own {@link Hub} when it is a
 * discovery server. Writes (put, delete, publish) go to every listed server, reads and subscriptions
 * to the first one that answers (the next one after a failure). Declares {@code KV_TTL} and
 * {@code KV_CAS} (decided by the server that answers first); no {@code KV_WATCH} (core polls), no
 * {@code QUEUE_GROUPS}.
 */
public final class HttpTransport implements Transport {
    public static final String NAME = "http";
    public static final Set<Capability> CAPABILITIES = Set.of(Capability.KV_TTL, Capability.KV_CAS);
    static final String BASE = "/iios/v1/hub";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TransportListener listener;
    private final HttpOptions options;
    private final HubAuth auth;
    private final @Nullable Hub localHub;
    private final List<URI> servers;
    private final @Nullable HttpClient client;
    private final AtomicInteger primary = new AtomicInteger();
    private final AtomicBoolean up = new AtomicBoolean(true);
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Kv kv = new Kv();
    private final Ps ps = new Ps();
    private volatile boolean closed;

    public HttpTransport(TransportConfig config) {
        this.listener = config.listener();
        this.options = HttpOptions.from(config.properties());
        this.auth = HubAuth.fromKey(config.properties().get("iios.security.key"));
        if (options.discoveryServer()) {
            this.localHub = new Hub();
            this.servers = List.of();
            this.client = null;
        } else {
            if (options.discoveryServers().isEmpty()) {
                throw new TransportException("the http transport needs iios.discovery.servers (base URLs of "
                        + "discovery servers, e.g. http://gateway:8080) or iios.discovery.server=true", null);
            }
            this.localHub = null;
            this.servers = options.discoveryServers();
            HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(options.connectTimeout());
            javax.net.ssl.SSLContext ssl = TlsContexts.client(options.tls());
            if (ssl != null) {
                b.sslContext(ssl);
            }
            this.client = b.build();
            // fail at start, like a broker transport, when no server answers
            kv.keys("\u0000probe:");
        }
    }

    /** The hub this node serves as a discovery server, or null. */
    public @Nullable Hub localHub() {
        return localHub;
    }

    /** The authenticator of hub requests (the node's key). */
    public HubAuth auth() {
        return auth;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public KvStore kv() {
        return kv;
    }

    @Override
    public PubSub pubsub() {
        return ps;
    }

    @Override
    public long maxPayloadBytes() {
        return options.maxBody();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscriptions.forEach(Subscription::close);
        subscriptions.clear();
        if (localHub != null) {
            localHub.close();
        }
        if (client != null) {
            client.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ remote calls

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> send(URI server, String method, String op, String path, String target,
            String extra, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body.length == 0 && !method.equals("PUT") && !method.equals("POST")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        String sig = auth.sign(op, target, extra, body);
        if (sig != null) {
            b.header(HubAuth.HEADER, sig);
        }
        try {
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 401) {
                throw new TransportException("discovery server " + server + " refused the request: "
                        + "iios.security.key differs from the server's", null);
            }
            if (r.statusCode() == 413) {
                throw new MessageTooLargeException(body.length, options.maxBody(), "discovery server " + server
                        + " refused the message as too large");
            }
            if (r.statusCode() >= 500) {
                throw new TransportUnavailableException("discovery server " + server + " answered "
                        + r.statusCode(), null);
            }
            markUp();
            return r;
        } catch (IOException e) {
            markDown();
            throw new TransportUnavailableException("discovery server " + server + " cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportUnavailableException("interrupted while calling " + server, e);
        }
    }

    /** A read: the primary server, then the others in turn. */
    private HttpResponse<byte[]> read(String method, String op, String path, String target, String extra,
            byte[] body) {
        TransportUnavailableException last = null;
        int n = servers.size();
        int start = primary.get();
        for (int i = 0; i < n; i++) {
            int idx = (start + i) % n;
            try {
                HttpResponse<byte[]> r = send(servers.get(idx), method, op, path, target, extra, body);
                primary.set(idx);
                return r;
            } catch (TransportUnavailableException e) {
                last = e;
            }
        }
        throw last;
    }

    /** A write: every server; fails only when none took it. */
    private void writeAll(String method, String op, String path, String target, String extra, byte[] body) {
        TransportUnavailableException last = null;
        int ok = 0;
        for (URI s : servers) {
            try {
                send(s, method, op, path, target, extra, body);
                ok++;
            } catch (TransportUnavailableException e) {
                last = e;
            }
        }
        if (ok == 0 && last != null) {
            throw last;
        }
    }

    private void markDown() {
        if (up.compareAndSet(true, false)) {
            listener.onConnectionChange(false);
        }
    }

    private void markUp() {
        if (up.compareAndSet(false, true)) {
            listener.onConnectionChange(true);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new TransportUnavailableException("the http transport is closed", null);
        }
    }

    // ------------------------------------------------------------------ KV

    private final class Kv implements KvStore {
        @Override
        public Optional<byte[]> get(String key) {
            checkOpen();
            if (localHub != null) {
                return localHub.get(key);
            }
            HttpResponse<byte[]> r = read("GET", "get", BASE + "/kv?k=" + enc(key), key, "", new byte[0]);
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        }

        @Override
        public void put(String key, byte[] value, @Nullable Duration ttl) {
            checkOpen();
            long ms = ttl == null ? 0 : Math.max(1, ttl.toMillis());
            if (localHub != null) {
                localHub.put(key, value, ms);
                return;
            }
            writeAll("PUT", "put", BASE + "/kv?k=" + enc(key) + "&ttl=" + ms, key, Long.toString(ms), value);
        }

        @Override
        public boolean putIfAbsent(String key, byte[] value, @Nullable Duration ttl) {
            checkOpen();
            long ms = ttl == null ? 0 : Math.max(1, ttl.toMillis());
            if (localHub != null) {
                return localHub.putIfAbsent(key, value, ms);
            }
            HttpResponse<byte[]> r = read("PUT", "cas", BASE + "/kv?k=" + enc(key) + "&ttl=" + ms + "&nx=1", key,
                    Long.toString(ms), value);
            boolean stored = r.statusCode() == 200 && new String(r.body(), StandardCharsets.US_ASCII).equals("1");
            if (stored && servers.size() > 1) {
                URI winner = servers.get(primary.get());
                for (URI s : servers) {
                    if (!s.equals(winner)) {
                        try {
                            send(s, "PUT", "put", BASE + "/kv?k=" + enc(key) + "&ttl=" + ms, key,
                                    Long.toString(ms), value);
                        } catch (TransportUnavailableException e) {
                            listener.onError("replicating " + key + " to " + s, e);
                        }
                    }
                }
            }
            return stored;
        }

        @Override
        public boolean delete(String key) {
            checkOpen();
            if (localHub != null) {
                return localHub.delete(key);
            }
            boolean existed = false;
            TransportUnavailableException last = null;
            int ok = 0;
            for (URI s : servers) {
                try {
                    HttpResponse<byte[]> r = send(s, "DELETE", "delete", BASE + "/kv?k=" + enc(key), key, "",
                            new byte[0]);
                    existed |= new String(r.body(), StandardCharsets.US_ASCII).equals("1");
                    ok++;
                } catch (TransportUnavailableException e) {
                    last = e;
                }
            }
            if (ok == 0 && last != null) {
                throw last;
            }
            return existed;
        }

        @Override
        public List<String> keys(String prefix) {
            checkOpen();
            if (localHub != null) {
                return localHub.keys(prefix);
            }
            HttpResponse<byte[]> r = read("GET", "keys", BASE + "/keys?p=" + enc(prefix), prefix, "", new byte[0]);
            try {
                return List.of(JSON.readValue(r.body(), String[].class));
            } catch (IOException e) {
                throw new TransportException("discovery server sent a malformed key list: " + e.getMessage(), e);
            }
        }

        @Override
        public Subscription watch(String prefix, KvListener l) {
            throw new UnsupportedCapabilityException(NAME, Capability.KV_WATCH);
        }
    }

    // ------------------------------------------------------------------ pub/sub

    private final class Ps implements PubSub {
        @Override
        public void publish(String channel, byte[] payload) {
            checkOpen();
            if (payload.length > options.maxBody()) {
                throw new MessageTooLargeException(payload.length, options.maxBody(), "http transport, channel "
                        + channel + " (iios.http.max-body)");
            }
            if (localHub != null) {
                localHub.publish(channel, payload);
                return;
            }
            writeAll("POST", "pub", BASE + "/pub?c=" + enc(channel), channel, "", payload);
        }

        @Override
        public Subscription subscribe(String pattern, MessageHandler handler) {
            checkOpen();
            io.iios.spi.Channel.requirePattern(pattern);
            Subscription s = localHub != null ? new LocalSubscription(pattern, handler)
                    : new RemoteSubscription(pattern, handler);
            subscriptions.add(s);
            return s;
        }

        @Override
        public Subscription subscribe(String pattern, String group, MessageHandler handler) {
            throw new UnsupportedCapabilityException(NAME, Capability.QUEUE_GROUPS);
        }
    }

    private void handle(MessageHandler handler, String pattern, Mailbox.Message m) {
        try {
            handler.onMessage(m.channel(), m.payload());
        } catch (RuntimeException | Error e) {
            listener.onError("subscription " + pattern, e);
        }
    }

    /** A subscription on this node's own hub: a mailbox drained by one virtual thread. */
    private final class LocalSubscription implements Subscription {
        private final AutoCloseable registration;
        private volatile boolean active = true;
        private final Thread worker;

        LocalSubscription(String pattern, MessageHandler handler) {
            Mailbox box = new Mailbox();
            this.registration = localHub.subscribe(pattern, (c, p) -> {
                if (!box.offer(c, p)) {
                    listener.onDropped(c, "subscriber mailbox full (" + Mailbox.CAPACITY + " messages)");
                }
            });
            this.worker = Thread.ofVirtual().name("iios-http-sub").start(() -> {
                while (active) {
                    try {
                        Mailbox.Message m = box.poll(200);
                        if (m != null && active) {
                            handle(handler, pattern, m);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        @Override
        public void close() {
            active = false;
            try {
                registration.close();
            } catch (Exception e) {
                // a hub registration close does not fail
            }
            if (Thread.currentThread() != worker) {
                worker.interrupt();
            }
            subscriptions.remove(this);
        }
    }

    /**
     * A subscription at a discovery server: one long-lived streamed response of frames (channel,
     * payload), read by one virtual thread that runs the handler; re-opened at the next server after a
     * failure, with a growing delay.
     */
    private final class RemoteSubscription implements Subscription {
        private final String pattern;
        private final MessageHandler handler;
        private volatile boolean active = true;
        private volatile @Nullable InputStream stream;
        private final Thread reader;

        RemoteSubscription(String pattern, MessageHandler handler) {
            this.pattern = pattern;
            this.handler = handler;
            CountDownLatch first = new CountDownLatch(1);
            RuntimeException[] failure = new RuntimeException[1];
            this.reader = Thread.ofVirtual().name("iios-http-sub").unstarted(() -> run(first, failure));
            reader.start();
            try {
                if (!first.await(options.connectTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
                    close();
                    throw new TransportUnavailableException("no discovery server confirmed the subscription to "
                            + pattern, null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new TransportUnavailableException("interrupted while subscribing", e);
            }
            if (failure[0] != null) {
                close();
                throw failure[0];
            }
        }

        private void run(CountDownLatch first, RuntimeException[] failure) {
            long backoff = 100;
            while (active) {
                int idx = primary.get();
                URI server = servers.get(idx % servers.size());
                String path = BASE + "/sub?p=" + enc(pattern);
                HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).GET();
                String sig = auth.sign("sub", pattern, "", new byte[0]);
                if (sig != null) {
                    b.header(HubAuth.HEADER, sig);
                }
                try {
                    HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                    if (r.statusCode() != 200) {
                        r.body().close();
                        throw new IOException("discovery server " + server + " answered " + r.statusCode()
                                + " to a subscription");
                    }
                    stream = r.body();
                    DataInputStream in = new DataInputStream(r.body());
                    readFrame(in); // the server's confirmation
                    markUp();
                    first.countDown();
                    backoff = 100;
                    while (active) {
                        Mailbox.Message m = readFrame(in);
                        if (m.channel().isEmpty()) {
                            continue; // keep-alive
                        }
                        if (active) {
                            handle(handler, pattern, m);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    if (!active) {
                        return;
                    }
                    markDown();
                    if (first.getCount() > 0 && servers.size() == 1 && e instanceof ConnectException) {
                        failure[0] = new TransportUnavailableException("discovery server " + server
                                + " cannot be reached: " + e, e);
                        first.countDown();
                        return;
                    }
                    primary.compareAndSet(idx, (idx + 1) % servers.size());
                    listener.onError("subscription " + pattern + " at " + server, e);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    return;
                }
                backoff = Math.min(2_000, backoff * 2);
            }
        }

        @Override
        public void close() {
            active = false;
            InputStream s = stream;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing an aborted stream
                }
            }
            if (Thread.currentThread() != reader) {
                reader.interrupt();
            }
            subscriptions.remove(this);
        }
    }

    static Mailbox.Message readFrame(DataInputStream in) throws IOException {
        int cl = in.readInt();
        if (cl < 0 || cl > 1 << 20) {
            throw new IOException("bad frame");
        }
        byte[] c = in.readNBytes(cl);
        int pl = in.readInt();
        if (pl < 0) {
            throw new IOException("bad frame");
        }
        byte[] p = in.readNBytes(pl);
        if (c.length != cl || p.length != pl) {
            throw new EOFException();
        }
        return new Mailbox.Message(new String(c, StandardCharsets.UTF_8), p);
    }

}
