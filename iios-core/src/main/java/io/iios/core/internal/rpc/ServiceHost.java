package io.iios.core.internal.rpc;

import io.iios.api.AccessDeniedException;
import io.iios.api.BadMessageException;
import io.iios.api.CallContext;
import io.iios.api.ErrorCode;
import io.iios.core.internal.metrics.NodeMetrics;
import io.iios.core.internal.metrics.RateLimitedLog;
import io.iios.core.internal.rbac.AccessGuard;
import io.iios.core.internal.security.EnvelopeSigner;
import io.iios.core.internal.wire.EnvelopeCodec;
import io.iios.core.internal.wire.Protocol;
import io.iios.core.internal.wire.Wire;
import io.iios.spi.Encoder;
import io.iios.spi.PubSub;
import io.iios.spi.TransportException;
import java.lang.reflect.InvocationTargetException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The callee side of one service instance: decodes requests from its inbox, checks size, shape,
 * deadline, method and arguments, runs the method on a virtual thread and replies. Bad input is
 * answered with {@code BAD_MESSAGE} where a reply address is known, otherwise dropped; always counted.
 * With a key, unsigned, forged and stale requests are dropped and every reply is signed; with RBAC,
 * the {@link AccessGuard} decides before the method runs (privileged calls skip it).
 */
public final class ServiceHost {
    private final String service;
    private final String instanceId;
    private final MethodTable methods;
    private final Encoder encoder;
    private final PubSub pubsub;
    private final Executor executor;
    private final NodeMetrics metrics;
    private final RateLimitedLog log;
    private final long maxBytes;
    private final Protocol protocol;
    private final ResultAdapter results;

    /** Turns a method's result into what the reply carries (e.g. a stream into its descriptor). */
    @FunctionalInterface
    public interface ResultAdapter {
        @Nullable Object adapt(java.lang.reflect.Type declared, @Nullable Object result);
    }

    private final EnvelopeSigner signer;
    private final @Nullable AccessGuard guard;
    private final @Nullable ReplayCache replays;
    /** Envelopes without a map when the encoder can (core's json/msgpack, native, unsigned); else null. */
    private final @Nullable EnvelopeCodec envelopes;

    public ServiceHost(String service, String instanceId, MethodTable methods, Encoder encoder, PubSub pubsub,
            Executor executor, NodeMetrics metrics, RateLimitedLog log, long maxBytes, Protocol protocol,
            EnvelopeSigner signer, @Nullable AccessGuard guard, ResultAdapter results) {
        this(service, instanceId, methods, encoder, pubsub, executor, metrics, log, maxBytes, protocol, signer, guard,
                results, null);
    }

    /**
     * @param replays the node's memory of recent calls, so that a call re-sent over HTTP after a broker outage
     *     runs once (null: every request runs)
     */
    public ServiceHost(String service, String instanceId, MethodTable methods, Encoder encoder, PubSub pubsub,
            Executor executor, NodeMetrics metrics, RateLimitedLog log, long maxBytes, Protocol protocol,
            EnvelopeSigner signer, @Nullable AccessGuard guard, ResultAdapter results,
            @Nullable ReplayCache replays) {
        this.replays = replays;
        this.protocol = protocol;
        this.results = results;
        this.signer = signer;
        this.guard = guard;
        this.service = service;
        this.instanceId = instanceId;
        this.methods = methods;
        this.encoder = encoder;
        this.pubsub = pubsub;
        this.executor = executor;
        this.metrics = metrics;
        this.log = log;
        this.maxBytes = maxBytes;
        this.envelopes = EnvelopeCodec.of(encoder, protocol, signer.enabled());
    }

    /** The same instance, sending its replies through another {@link PubSub} (e.g. into an HTTP response). */
    public ServiceHost replyingThrough(PubSub replies) {
        return replyingThrough(replies, executor);
    }

    /**
     * The same instance, sending its replies through another {@link PubSub} and running methods on
     * {@code runner} (e.g. {@code Runnable::run} on a virtual thread that would only wait for the reply).
     */
    public ServiceHost replyingThrough(PubSub replies, Executor runner) {
        return new ServiceHost(service, instanceId, methods, encoder, replies, runner, metrics, log, maxBytes,
                protocol, signer, guard, results, replays);
    }

    public String service() {
        return service;
    }

    public String instanceId() {
        return instanceId;
    }

    /** The inbox handler. Never throws. */
    public void onRequest(String channel, byte[] payload) {
        long start = System.nanoTime();
        if (payload.length > maxBytes) {
            drop("oversized", "dropped a request of " + payload.length + " bytes on " + channel
                    + " (iios.message.max-bytes=" + maxBytes + ")");
            return;
        }
        Map<?, ?> map;
        Wire.Request req;
        try {
            map = envelopes != null ? envelopes.decodeEnvelope(payload) : Wire.asMap(encoder.decode(payload));
        } catch (RuntimeException e) {
            drop("malformed", "dropped an undecodable request on " + channel + ": " + e.getMessage());
            return;
        }
        if (!signer.accept(map, 0, channel, metrics, log)) {
            return;
        }
        try {
            req = protocol.requestFrom(channel, map);
            if (!protocol.replyAllowed(req)) {
                drop("malformed", "dropped a request whose reply channel '" + req.replyTo() + "' is not under "
                        + protocol.names().replyInbox(""));
                return;
            }
        } catch (RuntimeException e) {
            metrics.dropped("malformed");
            log.warn("malformed", "malformed request on " + channel + ": " + e.getMessage(), null);
            String replyTo = protocol.replyToOfMalformed(map);
            if (replyTo != null) {
                sendSafely(pubsub, null, replyTo, Wire.Reply.failure(Wire.idOf(map), ErrorCode.BAD_MESSAGE,
                        BadMessageException.class.getName(), "malformed request: " + e.getMessage()));
            }
            return;
        }
        if (System.currentTimeMillis() > req.deadlineMillis()) {
            drop("expired", "dropped an expired request for " + service + "." + req.method()
                    + " (its deadline passed before it was handled)");
            return;
        }
        if (replays != null) {
            ReplayCache.Claim claim = replays.claim(req.callerNode(), req.id(), payload, req.deadlineMillis(), pubsub);
            CompletableFuture<byte[]> first = claim.repeatOf();
            if (first != null) {
                first.thenAccept(reply -> send(pubsub, req.replyTo(), reply));
                return;
            }
            if (claim.replies() != null) {
                handle(req, start, claim.replies()); // replies recorded on their way out
                return;
            }
        }
        handle(req, start, pubsub);
    }

    /** Runs a checked request: method, arguments, then the method on the executor; replies go to {@code out}. */
    private void handle(Wire.Request req, long start, PubSub out) {
        MethodBinding binding = methods.get(req.method());
        if (binding == null) {
            reject(req, start, out, "unknown method " + service + "." + req.method() + "; known: "
                    + methods.infos().keySet(), "unknown-method");
            return;
        }
        CallContext ctx = new CallContext(service, req.method(), req.userId(), null, null,
                Instant.ofEpochMilli(req.deadlineMillis()), req.traceparent(), req.callerNode(), req.privileged());
        Object[] args;
        try {
            args = binding.bind(req.args(), ctx, encoder, service);
        } catch (MethodBinding.BadArguments e) {
            reject(req, start, out, e.getMessage(), "bad-arguments");
            return;
        }
        executor.execute(() -> invoke(binding, args, ctx, req, start, out));
    }

    private void reject(Wire.Request req, long start, PubSub out, String message, String reason) {
        metrics.dropped(reason);
        log.warn(reason, message, null);
        record(req.method(), "bad_message", start);
        sendSafely(out, req, req.replyTo(), Wire.Reply.failure(req.id(), ErrorCode.BAD_MESSAGE,
                BadMessageException.class.getName(), message));
    }

    private void drop(String reason, String message) {
        metrics.dropped(reason);
        log.warn(reason, message, null);
    }

    private void invoke(MethodBinding binding, Object[] args, CallContext checked, Wire.Request req, long start,
            PubSub out) {
        CallContext ctx = checked;
        if (guard != null && (!ctx.privileged() || !protocol.privilegedSkipsRbac())) {
            AccessGuard.Outcome o = guard.check(service, req.method(), binding.verb(), req.userId(), ctx.privileged());
            if (o.denial() != null) {
                log.warn("access-denied", o.denial(), null);
                record(req.method(), "access_denied", start);
                sendSafely(out, req, req.replyTo(), Wire.Reply.failure(req.id(), ErrorCode.ACCESS_DENIED,
                        AccessDeniedException.class.getName(), o.denial()));
                return;
            }
            ctx = new CallContext(ctx.service(), ctx.method(), ctx.userId(), o.decision().role(),
                    o.decision().possession(), ctx.deadline(), ctx.traceparent(), ctx.callerNode(), false);
            binding.setContext(args, ctx);
        }
        Object result;
        CallScope.set(ctx);
        try {
            result = binding.invoke(args);
        } catch (Throwable t) {
            fail(req, t, start, out);
            return;
        } finally {
            CallScope.set(null);
        }
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((r, t) -> {
                if (t != null) {
                    fail(req, t, start, out);
                } else {
                    adaptAndSucceed(binding, req, r, start, out);
                }
            });
        } else {
            adaptAndSucceed(binding, req, result, start, out);
        }
    }

    private void adaptAndSucceed(MethodBinding binding, Wire.Request req, @Nullable Object result, long start,
            PubSub out) {
        Object adapted;
        try {
            adapted = results.adapt(binding.returnType(), result);
        } catch (RuntimeException e) {
            fail(req, e, start, out);
            return;
        }
        succeed(req, adapted, start, out);
    }

    private void succeed(Wire.Request req, @Nullable Object result, long start, PubSub out) {
        byte[] bytes;
        try {
            bytes = encodeReply(req, Wire.Reply.success(req.id(), result));
        } catch (RuntimeException e) {
            fail(req, new IllegalStateException("the result of " + service + "." + req.method()
                    + " cannot be encoded: " + e.getMessage()), start, out);
            return;
        }
        if (bytes.length > maxBytes) {
            record(req.method(), "bad_message", start);
            sendSafely(out, req, req.replyTo(), Wire.Reply.failure(req.id(), ErrorCode.BAD_MESSAGE,
                    BadMessageException.class.getName(), "the result of " + service + "." + req.method() + " is "
                            + bytes.length + " bytes, over iios.message.max-bytes=" + maxBytes));
            return;
        }
        record(req.method(), "success", start);
        send(out, req.replyTo(), bytes);
    }

    private void fail(Wire.Request req, Throwable t, long start, PubSub out) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof InvocationTargetException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof Error && !(cause instanceof AssertionError) && !(cause instanceof StackOverflowError)) {
            log.warn("method-error", service + "." + req.method() + " threw " + cause, cause);
        }
        record(req.method(), "remote_failure", start);
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        sendSafely(out, req, req.replyTo(), Wire.Reply.failure(req.id(), ErrorCode.REMOTE_FAILURE,
                cause.getClass().getName(), message));
    }

    private void record(String method, String outcome, long start) {
        metrics.serverCall(service, method, outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    private void sendSafely(PubSub out, Wire.@Nullable Request req, String replyTo, Wire.Reply reply) {
        try {
            send(out, replyTo, encodeReply(req, reply));
        } catch (RuntimeException e) {
            drop("reply-failed", "cannot encode a reply to " + replyTo + ": " + e.getMessage());
        }
    }

    private byte[] encodeReply(Wire.@Nullable Request req, Wire.Reply reply) {
        if (envelopes != null) {
            return envelopes.encodeReply(reply);
        }
        return encoder.encode(signer.sign(req == null ? reply.toMap() : protocol.replyToMap(req, reply, instanceId)));
    }

    private void send(PubSub out, String replyTo, byte[] bytes) {
        try {
            out.publish(replyTo, bytes);
        } catch (TransportException | IllegalArgumentException e) {
            metrics.dropped("reply-failed");
            log.warn("reply-failed", "cannot send a reply to " + replyTo + ": " + e.getMessage(), e);
        }
    }
}
