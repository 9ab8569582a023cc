package io.iios.core.internal.rbac;

import io.iios.api.Verb;
import io.iios.core.internal.metrics.NodeMetrics;
import io.iios.core.internal.metrics.RateLimitedLog;
import io.iios.spi.TransportException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The callee's check (authoritative), run before a method: maps the verb to its action, asks the
 * {@link GrantCache}, counts denials in {@code iios.rbac.denied{service,method}}. Fails closed: when
 * the grants cannot be read, the call is denied.
 */
public final class AccessGuard {
    private final GrantCache cache;
    private final NodeMetrics metrics;
    private final RateLimitedLog log;
    private final io.iios.core.internal.wire.Protocol protocol;

    public AccessGuard(GrantCache cache, NodeMetrics metrics, RateLimitedLog log,
            io.iios.core.internal.wire.Protocol protocol) {
        this.protocol = protocol;
        this.cache = cache;
        this.metrics = metrics;
        this.log = log;
    }

    /** The decision plus, when denied, the message for the caller. */
    public record Outcome(Policy.Decision decision, @Nullable String denial) {
    }

    public Outcome check(String service, String method, Verb verb, @Nullable String userId) {
        return check(service, method, verb, userId, false);
    }

    /**
     * @param privileged a privileged call that the profile still checks (node-v2: against the role
     *     {@code __privileged__}, whatever the user)
     */
    public Outcome check(String service, String method, Verb verb, @Nullable String userId, boolean privileged) {
        Policy.Decision d;
        try {
            d = privileged ? cache.decideRole(io.iios.core.internal.wire.NodeV2Protocol.PRIVILEGED_ROLE, service,
                    verb.action()) : cache.decide(userId, service, verb.action());
        } catch (TransportException e) {
            log.warn("rbac-store", "cannot read grants for " + service + "." + method + ": " + e.getMessage(), null);
            d = new Policy.Decision(false, "?", verb.action(), null, List.of());
            metrics.rbacDenied(service, method);
            return new Outcome(d, "access denied to " + service + "." + method + " for " + who(userId)
                    + ": the access control store cannot be read (" + e.getMessage() + ")");
        }
        if (d.allowed()) {
            return new Outcome(d, null);
        }
        metrics.rbacDenied(service, method);
        return new Outcome(d, protocol.denial(service, method, userId, privileged, d.role(), d.missingGrant()));
    }

    /**
     * The producer's check when a reader binds a named stream (docs/security.md, "Named streams"): the
     * binder needs {@code read} on the service that opened the stream, or on every service ({@code *})
     * for a stream no service owns. Denials count in {@code iios.rbac.denied{service, method="_bind"}}.
     *
     * @param owner the service that opened the stream, or null
     */
    public Outcome checkBind(@Nullable String owner, String stream, @Nullable String userId) {
        String service = owner == null ? Policy.ANY_SERVICE : owner;
        String what = "stream '" + stream + "'" + (owner == null ? "" : " of service " + owner);
        Policy.Decision d;
        try {
            d = cache.decide(userId, service, Verb.GET.action());
        } catch (TransportException e) {
            log.warn("rbac-store", "cannot read grants to bind " + what + ": " + e.getMessage(), null);
            metrics.rbacDenied(service, BIND);
            return new Outcome(new Policy.Decision(false, "?", Verb.GET.action(), null, List.of()),
                    "access denied to " + what + " for " + who(userId) + ": the access control store cannot be read ("
                            + e.getMessage() + ")");
        }
        if (d.allowed()) {
            return new Outcome(d, null);
        }
        metrics.rbacDenied(service, BIND);
        return new Outcome(d, "access denied to " + what + " for " + who(userId) + " (role " + d.role()
                + "): missing grant " + d.missingGrant() + " on service " + service);
    }

    /** The {@code method} tag of a denied stream binding (stream names would make the tag unbounded). */
    public static final String BIND = "_bind";

    /** E.g. {@code access denied to bob.add for user 'eve' (role anonymous): missing grant read:any|own on service bob}. */
    public static String message(String service, String method, @Nullable String userId, Policy.Decision d) {
        return "access denied to " + service + "." + method + " for " + who(userId) + " (role " + d.role()
                + "): missing grant " + d.missingGrant() + " on service " + service;
    }

    private static String who(@Nullable String userId) {
        return userId == null ? "anonymous caller" : "user '" + userId + "'";
    }
}
