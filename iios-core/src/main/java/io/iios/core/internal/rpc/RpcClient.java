package io.iios.core.internal.rpc;

import io.iios.api.AccessDeniedException;
import io.iios.api.BadMessageException;
import io.iios.api.CallTimeoutException;
import io.iios.api.IiosException;
import io.iios.api.InstanceInfo;
import io.iios.api.RemoteFailureException;
import io.iios.api.ServiceUnavailableException;
import io.iios.api.TransportFailureException;
import io.iios.core.extension.CallRoute;
import io.iios.core.extension.RequestNotSentException;
import io.iios.core.internal.BrokerHealth;
import io.iios.core.internal.CallOptions;
import io.iios.core.internal.discovery.ServiceRegistry;
import io.iios.core.internal.metrics.NodeMetrics;
import io.iios.core.internal.metrics.RateLimitedLog;
import io.iios.core.internal.security.EnvelopeSigner;
import io.iios.core.internal.wire.EnvelopeCodec;
import io.iios.core.internal.wire.Names;
import io.iios.core.internal.wire.NodeV2Protocol;
import io.iios.core.internal.wire.Protocol;
import io.iios.core.internal.wire.Wire;
import io.iios.spi.Encoder;
import io.iios.spi.EncodingException;
import io.iios.spi.MessageTooLargeException;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import io.iios.spi.TransportException;
import io.iios.spi.TransportUnavailableException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The caller side of RPC: one reply subscription per node, a pending-call table keyed by a per-node
 * correlation id, instance choice (round-robin or least-in-flight), deadlines and the typed errors.
 */
public final class RpcClient implements AutoCloseable {
    private final Names names;
    private final Protocol protocol;
    private final String nodeId;
    private final String replyInbox;
    private final Transport transport;
    private final Encoder encoder;
    private final ServiceRegistry registry;
    private final CallOptions options;
    private final NodeMetrics metrics;
    private final RateLimitedLog log;
    private final ScheduledExecutorService timer;
    /** Period of the timeout sweep (see {@link #sweepSoon}). */
    static final long SWEEP_MILLIS = 10;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> cursors = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlightByInstance = new ConcurrentHashMap<>();
    private final EnvelopeSigner signer;
    /** Envelopes without a map when the encoder can (core's json/msgpack, native, unsigned); else null. */
    private final @Nullable EnvelopeCodec envelopes;
    private final NodeV2HttpCaller nodeHttp = new NodeV2HttpCaller();
    private @Nullable Subscription replies;
    private volatile @Nullable CallRoute httpRoute;
    private volatile BrokerHealth health = BrokerHealth.ALWAYS_UP;

    private final class Pending {
        final CompletableFuture<@Nullable Object> future = new CompletableFuture<>();
        final String service;
        final String method;
        final String instanceId;
        final Type resultType;
        final long start = System.nanoTime();
        /** When the caller gives up ({@link System#nanoTime} scale); the sweep ends the call after it. */
        final long deadlineNanos;
        final InstanceInfo target;
        final Wire.Request request;
        final Duration timeoutLength;
        /** node-v2: the call's own reply subscription, closed when the call ends. */
        volatile @Nullable Subscription replySubscription;
        /** Where the request goes, and (node-v2) the call's correlation token; set before it is sent. */
        String requestChannel = "";
        String token = "";
        /** The encoded request, sent again over HTTP when the broker goes down while the call is on it. */
        byte[] bytes = new byte[0];
        /** Whether it went (or is going) over HTTP: never re-sent then. */
        volatile boolean overHttp;
        /** The HTTP exchange, cancelled when the deadline passes first. */
        volatile @Nullable CompletableFuture<byte[]> sent;

        Pending(InstanceInfo target, Wire.Request request, Type resultType, Duration timeoutLength) {
            this.service = request.service();
            this.method = request.method();
            this.instanceId = target.instanceId();
            this.target = target;
            this.request = request;
            this.resultType = resultType;
            this.timeoutLength = timeoutLength;
            this.deadlineNanos = start + timeoutLength.toNanos();
        }

        void finish(String outcome) {
            AtomicInteger n = inFlightByInstance.get(instanceId);
            if (n != null) {
                n.decrementAndGet();
            }
            Subscription s = replySubscription;
            if (s != null) {
                s.close();
            }
            metrics.clientCall(service, method, outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    public RpcClient(Protocol protocol, String nodeId, Transport transport, Encoder encoder, ServiceRegistry registry,
            CallOptions options, NodeMetrics metrics, RateLimitedLog log, ScheduledExecutorService timer,
            EnvelopeSigner signer) {
        this.signer = signer;
        this.protocol = protocol;
        this.names = protocol.names();
        this.nodeId = nodeId;
        this.replyInbox = names.replyInbox(nodeId);
        this.transport = transport;
        this.encoder = encoder;
        this.registry = registry;
        this.options = options;
        this.metrics = metrics;
        this.log = log;
        this.timer = timer;
        this.envelopes = EnvelopeCodec.of(encoder, protocol, signer.enabled());
        metrics.gauge("iios.client.in.flight", pending::size);
    }

    /** Opens the node's reply subscription. */
    public void start() {
        if (!protocol.perCallReplies()) {
            replies = transport.pubsub().subscribe(replyInbox,
                    (ch, payload) -> onReply(ch, payload, -1, ""));
        }
    }

    public CallOptions options() {
        return options;
    }

    /**
     * Lets calls to instances with an HTTP endpoint take {@code route} as {@code iios.call.route} says,
     * judging the broker by {@code health}.
     */
    public void useRoute(@Nullable CallRoute route, BrokerHealth health) {
        this.httpRoute = route;
        this.health = health;
        if (route != null && options.route() == CallOptions.Route.AUTO && !protocol.perCallReplies()) {
            health.whenDown(() -> timer.execute(this::resendOverHttp));
        }
    }

    /**
     * The broker went down: a call in flight on it may have reached its callee or not, and its reply is lost
     * either way. Each goes again over HTTP with the same bytes (same caller node id and call id): the callee's
     * replay cache answers a repeat with the first run's reply, so the call runs once (ReplayCache).
     */
    private void resendOverHttp() {
        long now = System.currentTimeMillis();
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            long left = p.request.deadlineMillis() - now;
            if (!p.overHttp && left > 0 && httpPossible(p.target)) {
                metrics.callResent();
                sendHttp(e.getKey(), p, p.bytes, Duration.ofMillis(left), false, true);
            }
        }
    }

    private boolean httpPossible(InstanceInfo target) {
        if (protocol.perCallReplies()) {
            return false; // node-v2: HTTP through NodeV2HttpCaller, when the record says so; no fallback
        }
        return httpRoute != null && target.httpEndpoint() != null && options.route() != CallOptions.Route.BROKER;
    }

    private boolean httpFirst(InstanceInfo target) {
        CallRoute r = httpRoute;
        if (r == null || !httpPossible(target)) {
            return false;
        }
        return options.route() == CallOptions.Route.HTTP || r.preferred() || !health.up()
                || health.recovering(options.recoveryGrace());
    }

    /**
     * Calls a method on one live instance.
     *
     * @return a future completed on the reply thread; it fails with an {@link IiosException}
     */
    public CompletableFuture<@Nullable Object> call(String service, String method, @Nullable Object[] args,
            @Nullable Duration timeout, Type resultType, @Nullable String userId, @Nullable String traceparent) {
        return call(service, method, args, timeout, resultType, userId, traceparent, false);
    }

    /**
     * Calls a method on one live instance, possibly as a privileged call (a service's own call, which
     * the callee's RBAC skips); only in-process code reaches this.
     */
    public CompletableFuture<@Nullable Object> call(String service, String method, @Nullable Object[] args,
            @Nullable Duration timeout, Type resultType, @Nullable String userId, @Nullable String traceparent,
            boolean privileged) {
        InstanceInfo target = pick(service);
        if (target == null) {
            metrics.clientCall(service, method, "service_unavailable").record(0, TimeUnit.NANOSECONDS);
            return CompletableFuture.failedFuture(new ServiceUnavailableException(
                    "no live instance of service '" + service + "' in namespace '" + names.namespace() + "'"));
        }
        Duration t = timeout == null ? options.timeout() : timeout;
        long id = ids.incrementAndGet();
        String token = protocol.newToken();
        String requestChannel = protocol.requestChannel(service, target.instanceId(), method);
        // one reply inbox per node (the one start() subscribed) unless the protocol wants a channel per call
        String replyTo = protocol.perCallReplies() ? protocol.replyChannel(nodeId, requestChannel, token) : replyInbox;
        if (NodeV2Protocol.NO_ENDPOINT.equals(target.httpEndpoint())) {
            metrics.clientCall(service, method, "service_unavailable").record(0, TimeUnit.NANOSECONDS);
            return CompletableFuture.failedFuture(new ServiceUnavailableException("service '" + service
                    + "' is not callable: its record has pubsubRPCEnabled=false and no httpServer"));
        }
        Wire.Request req = new Wire.Request(id, service, method, Wire.listOf(args), replyTo,
                System.currentTimeMillis() + t.toMillis(), userId,
                traceparent == null ? newTraceparent() : traceparent, nodeId, privileged);
        byte[] bytes;
        try {
            bytes = envelopes != null ? envelopes.encodeRequest(req)
                    : encoder.encode(signer.sign(protocol.requestToMap(req, token)));
        } catch (EncodingException e) {
            return CompletableFuture.failedFuture(new BadMessageException(
                    "arguments of " + service + "." + method + " cannot be encoded: " + e.getMessage(), e));
        }
        long limit = Math.min(options.maxMessageBytes(), transport.maxPayloadBytes());
        if (bytes.length > limit) {
            return CompletableFuture.failedFuture(new BadMessageException("request to " + service + "." + method
                    + " is " + bytes.length + " bytes, over the limit of " + limit
                    + " bytes (iios.message.max-bytes / broker maximum)"));
        }
        Pending p = new Pending(target, req, resultType, t);
        inFlightByInstance.computeIfAbsent(target.instanceId(), k -> new AtomicInteger()).incrementAndGet();
        p.requestChannel = requestChannel;
        p.token = token;
        p.bytes = bytes;
        pending.put(id, p);
        sweepSoon();
        if (protocol.perCallReplies() && target.httpEndpoint() != null) {
            sendNodeV2Http(id, p, t);
            return p.future;
        }
        if (httpFirst(target)) {
            sendHttp(id, p, bytes, t, true, false);
            return p.future;
        }
        publish(id, p, bytes, t, true);
        return p.future;
    }

    /**
     * Sends on the broker. A {@link TransportUnavailableException} from {@code publish} means the message was
     * not handed to the broker (the SPI contract), so the call may go over HTTP instead.
     */
    private void publish(long id, Pending p, byte[] bytes, Duration t, boolean mayUseHttp) {
        String service = p.service;
        String method = p.method;
        try {
            if (protocol.perCallReplies() && p.replySubscription == null) {
                // node-v2: the reply channel is subscribed (and confirmed) before the request goes out;
                String token = p.token;
                p.replySubscription = transport.pubsub().subscribe(p.request.replyTo(),
                        (ch, payload) -> onReply(ch, payload, id, token));
                if (p.future.isDone()) {
                    p.replySubscription.close();
                }
            }
            transport.pubsub().publish(p.requestChannel, bytes);
        } catch (TransportUnavailableException e) {
            if (mayUseHttp && httpPossible(p.target)) {
                sendHttp(id, p, bytes, t, false, false);
            } else {
                abort(id, p, "transport_failure", new TransportFailureException("cannot send the call to " + service
                        + "." + method + ": " + e.getMessage(), e));
            }
        } catch (MessageTooLargeException e) {
            abort(id, p, "bad_message", new BadMessageException("request to " + service + "." + method
                    + " is too large for the broker: " + e.getMessage(), e));
        } catch (TransportException e) {
            // whether the broker got it is unknown: HTTP is safe all the same (the callee's replay cache)
            if (mayUseHttp && httpPossible(p.target)) {
                sendHttp(id, p, bytes, t, false, false);
            } else {
                abort(id, p, "transport_failure", new TransportFailureException("cannot send the call to " + service
                        + "." + method + ": " + e.getMessage(), e));
            }
        }
    }

    /**
     * Makes sure a sweep is scheduled while calls are pending. Timeouts are not one timer task per call (a
     * schedule and a cancel on the shared timer's locked queue for every call): one sweep every
     * {@link #SWEEP_MILLIS} ends the calls whose deadline passed, so a call times out at most that much late.
     */
    private void sweepSoon() {
        if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
            try {
                timer.schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                sweeping.set(false); // the node is closing: close() fails what is pending
            }
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (now - p.deadlineNanos >= 0) {
                onTimeout(e.getKey(), p);
            }
        }
        sweeping.set(false);
        if (!pending.isEmpty()) {
            sweepSoon(); // a call added after the flag was cleared scheduled its own sweep, or this one does
        }
    }

    private void onTimeout(long id, Pending p) {
        // its deadline passed: the caller gives up (a late reply is dropped)
        if (pending.remove(id, p)) {
            CompletableFuture<byte[]> s = p.sent;
            if (s != null) {
                s.cancel(true);
            }
            p.finish("call_timeout");
            p.future.completeExceptionally(new CallTimeoutException(protocol.timeoutMessage(p.service, p.method,
                    p.instanceId, p.timeoutLength.toMillis())));
        }
    }

    private void sendNodeV2Http(long id, Pending p, Duration timeout) {
        CompletableFuture<Map<String, @Nullable Object>> sent;
        try {
            sent = nodeHttp.call(p.target, p.method, p.request.args(), p.request.userId(), p.request.privileged(),
                    timeout);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((answer, error) -> {
            if (error == null) {
                Map<Object, Object> m = new java.util.HashMap<>(answer);
                m.put("meta", Map.of("token", "http"));
                complete(protocol.replyFrom(m, id, "http"));
                return;
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            IiosException e = cause instanceof IiosException ie ? ie : new TransportFailureException(
                    "HTTP call to " + p.service + "." + p.method + " at " + p.target.httpEndpoint() + " failed: "
                            + cause, cause);
            abort(id, p, e.code().name().toLowerCase(java.util.Locale.ROOT), e);
        });
    }

    /**
     * Sends over the HTTP route. When the route reports that the request never left
     * ({@link RequestNotSentException}, e.g. connection refused) and {@code mayUseBroker}, the call goes on the
     * broker instead (auto route, broker up); any other failure — a timeout, a connection lost mid-request —
     * fails the call, which may have run. A {@code resend} that fails leaves the call to its deadline.
     */
    private void sendHttp(long id, Pending p, byte[] bytes, Duration timeout, boolean mayUseBroker, boolean resend) {
        p.overHttp = true;
        CallRoute route = httpRoute;
        if (route == null) {
            abort(id, p, "transport_failure", new TransportFailureException("no HTTP route for " + p.service));
            return;
        }
        CompletableFuture<byte[]> sent;
        try {
            sent = route.send(p.target, p.method, bytes, timeout);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        p.sent = sent;
        sent.whenComplete((reply, error) -> {
            if (error == null) {
                onHttpReply(id, p, reply);
                return;
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof RequestNotSentException && mayUseBroker && options.route() == CallOptions.Route.AUTO
                    && !(route.preferred()) && health.up() && pending.get(id) == p) {
                p.overHttp = false;
                publish(id, p, bytes, timeout, false);
                return;
            }
            if (resend) {
                log.warn("resend-failed", "could not send " + p.service + "." + p.method + " again over HTTP: "
                        + cause, null);
                return;
            }
            IiosException e = cause instanceof IiosException ie ? ie : new TransportFailureException(
                    "HTTP call to " + p.service + "." + p.method + " at " + p.target.httpEndpoint() + " failed: "
                            + cause, cause);
            abort(id, p, e.code().name().toLowerCase(java.util.Locale.ROOT), e);
        });
    }

    private void abort(long id, Pending p, String outcome, IiosException error) {
        if (pending.remove(id, p)) {
            p.finish(outcome);
            p.future.completeExceptionally(error);
        }
    }

    private @Nullable InstanceInfo pick(String service) {
        List<InstanceInfo> list = registry.instances(service);
        int n = list.size();
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return list.get(0);
        }
        if (options.balance() == CallOptions.Balance.LEAST_IN_FLIGHT) {
            InstanceInfo best = null;
            int bestLoad = Integer.MAX_VALUE;
            int offset = ThreadLocalRandom.current().nextInt(n);
            for (int i = 0; i < n; i++) {
                InstanceInfo candidate = list.get((i + offset) % n);
                AtomicInteger load = inFlightByInstance.get(candidate.instanceId());
                int l = load == null ? 0 : load.get();
                if (l < bestLoad) {
                    best = candidate;
                    bestLoad = l;
                }
            }
            return best;
        }
        AtomicInteger cursor = cursors.computeIfAbsent(service, k -> new AtomicInteger());
        return list.get(Math.floorMod(cursor.getAndIncrement(), n));
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A new W3C {@code traceparent}: version 00, random trace and span ids, sampled. */
    static String newTraceparent() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] c = new char[55];
        c[0] = '0';
        c[1] = '0';
        c[2] = '-';
        hex(r.nextLong(), c, 3);
        hex(r.nextLong() | 1L, c, 19); // a trace id must not be all zeros
        c[35] = '-';
        hex(r.nextLong() | 1L, c, 36);
        c[52] = '-';
        c[53] = '0';
        c[54] = '1';
        return new String(c);
    }

    private static void hex(long v, char[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
    }

    private void onHttpReply(long id, Pending p, byte[] reply) {
        onReply(replyInbox, reply, -1, "");
    }

    private void onReply(String channel, byte[] payload, long expectedId, String token) {
        Wire.Reply reply;
        Map<?, ?> map;
        try {
            map = envelopes != null ? envelopes.decodeEnvelope(payload) : Wire.asMap(encoder.decode(payload));
        } catch (RuntimeException e) {
            metrics.dropped("malformed-reply");
            log.warn("malformed-reply", "dropped an undecodable reply: " + e.getMessage(), null);
            return;
        }
        if (!signer.accept(map, 0, channel, metrics, log)) {
            return;
        }
        try {
            reply = protocol.replyFrom(map, expectedId, token);
            if (reply == null) {
                metrics.dropped("malformed-reply");
                log.warn("malformed-reply", "ignored a message on reply channel " + channel
                        + " that is not the reply to its call", null);
                return;
            }
        } catch (RuntimeException e) {
            Pending p = pending.remove(Wire.idOf(map));
            metrics.dropped("malformed-reply");
            log.warn("malformed-reply", "malformed reply: " + e.getMessage(), null);
            if (p != null) {
                p.finish("bad_message");
                p.future.completeExceptionally(new BadMessageException("malformed reply from " + p.service + "."
                        + p.method + ": " + e.getMessage()));
            }
            return;
        }
        complete(reply);
    }

    private void complete(Wire.@Nullable Reply reply) {
        if (reply == null) {
            return;
        }
        Pending p = pending.remove(reply.id());
        if (p == null) {
            metrics.dropped("late-reply");
            return;
        }
        if (reply.ok()) {
            Object result = reply.result();
            if (p.resultType != Object.class && result != null) {
                try {
                    result = encoder.convert(result, p.resultType);
                } catch (EncodingException e) {
                    p.finish("bad_message");
                    p.future.completeExceptionally(new BadMessageException("the result of " + p.service + "."
                            + p.method + " does not fit " + p.resultType.getTypeName() + ": " + e.getMessage(), e));
                    return;
                }
            }
            p.finish("success");
            p.future.complete(result);
            return;
        }
        IiosException error = switch (reply.code()) {
            case BAD_MESSAGE -> new BadMessageException(reply.errorMessage());
            case ACCESS_DENIED -> new AccessDeniedException(reply.errorMessage());
            case SERVICE_UNAVAILABLE -> new ServiceUnavailableException(reply.errorMessage());
            case CALL_TIMEOUT -> new CallTimeoutException(reply.errorMessage());
            case null, default -> new RemoteFailureException(p.service, p.method, String.valueOf(reply.errorType()),
                    String.valueOf(reply.errorMessage()));
        };
        p.finish(error.code().name().toLowerCase(java.util.Locale.ROOT));
        p.future.completeExceptionally(error);
    }

    /** Fails every pending call and closes the reply subscription. */
    @Override
    public void close() {
        if (replies != null) {
            replies.close();
        }
        nodeHttp.close();
        for (Long id : List.copyOf(pending.keySet())) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.finish("transport_failure");
                p.future.completeExceptionally(new TransportFailureException("node closed before "
                        + p.service + "." + p.method + " replied"));
            }
        }
    }
}
