package io.iios.core.internal.wire;

import io.iios.spi.Channel;

/**
 * Every key and channel of wire v1 (see docs/protocol.md). Internal channels start with {@code _}
 * after the namespace, which a service name cannot, so they never collide with event channels
 * ({@code ns:service:event:name}). {@link NodeV2Names} overrides the names the Node 2.x protocol
 * defines differently; this class is part of the {@link Protocol} seam.
 */
public class Names {
    private final String ns;

    public Names(String namespace) {
        this.ns = requireName(namespace, "namespace");
    }

    public static String requireName(String name, String what) {
        if (!isName(name)) {
            throw new IllegalArgumentException(what + " '" + name
                    + "' must be 1-128 letters, digits, '_' or '-', starting with a letter");
        }
        return name;
    }

    /**
     * Service, event, group and namespace names: one segment of 1-128 letters, digits, {@code _} or {@code -},
     * a letter first ({@code [A-Za-z][A-Za-z0-9_-]{0,127}}). A loop, not a regex: checked on every call and event,
     * it allocates nothing.
     */
    public static boolean isName(String name) {
        int n = name.length();
        if (n == 0 || n > 128 || !letter(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = name.charAt(i);
            if (!letter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean letter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    public String namespace() {
        return ns;
    }

    /** {@code ns:_registry:service:instance} — an instance record, with a TTL. */
    public String registryKey(String service, String instanceId) {
        return ns + ":_registry:" + service + ":" + instanceId;
    }

    /** {@code ns:_registry:} — prefix of every instance record. */
    public String registryPrefix() {
        return ns + ":_registry:";
    }

    /** {@code ns:_discovery} — up/down/heartbeat notices. */
    public String discoveryChannel() {
        return ns + ":_discovery";
    }

    /** {@code ns:_rpc:service:instance} — the inbox of one service instance. */
    public String rpcInbox(String service, String instanceId) {
        return ns + ":_rpc:" + service + ":" + instanceId;
    }

    /** {@code ns:_reply:node} — the single reply inbox of a node. */
    public String replyInbox(String nodeId) {
        return ns + ":_reply:" + nodeId;
    }

    /** {@code ns:service:event:name} — where a service's events are published. */
    public String eventChannel(String service, String event) {
        return ns + ":" + service + ":event:" + event;
    }

    /** {@code ns:_stream:id:d} — the data channel of a stream, producer to reader. */
    public String streamData(String streamId) {
        return ns + ":_stream:" + streamId + ":d";
    }

    /** {@code ns:_stream:id:c} — the control channel of a stream, reader to producer. */
    public String streamControl(String streamId) {
        return ns + ":_stream:" + streamId + ":c";
    }

    /** {@code ns:_bind:name} — the announcement of a named stream, until a reader binds it. */
    public String streamBindKey(String name) {
        return ns + ":_bind:" + name;
    }

    /** {@code ns:_rbac:role:role} — a role definition: service → "action:possession" → attributes. */
    public String roleKey(String role) {
        return ns + ":_rbac:role:" + role;
    }

    /** {@code ns:_rbac:role:} — prefix of every role definition. */
    public String rolePrefix() {
        return ns + ":_rbac:role:";
    }

    /** {@code ns:_rbac:user:user} — the role a user is bound to. */
    public String userKey(String userId) {
        return ns + ":_rbac:user:" + userId;
    }

    /** {@code ns:_rbac:user:} — prefix of every user binding. */
    public String userPrefix() {
        return ns + ":_rbac:user:";
    }

    /** {@code ns:_rbac:changed} — published after every change of roles or bindings. */
    public String rbacChannel() {
        return ns + ":_rbac:changed";
    }

    /**
     * Maps a seed subscription name to a channel pattern: {@code ns:event} → {@code ns:*:event:*},
     * {@code ns:bob:event} → {@code ns:bob:event:*}, {@code ns:bob:event:coucou} unchanged
     * ({@code *} allowed for service or event).
     *
     * @throws IllegalArgumentException for any other form, listing the accepted ones
     */
    public String eventPattern(String name) {
        var seg = Channel.segments(name);
        boolean ok = !seg.isEmpty() && seg.get(0).equals(ns);
        String pattern = null;
        if (ok && seg.size() == 2 && seg.get(1).equals("event")) {
            pattern = ns + ":*:event:*";
        } else if (ok && seg.size() == 3 && seg.get(2).equals("event") && nameOrStar(seg.get(1))) {
            pattern = ns + ":" + seg.get(1) + ":event:*";
        } else if (ok && seg.size() == 4 && seg.get(2).equals("event") && nameOrStar(seg.get(1))
                && nameOrStar(seg.get(3))) {
            pattern = name;
        }
        if (pattern == null) {
            throw new IllegalArgumentException("event subscription '" + name + "' must be one of " + ns + ":event, "
                    + ns + ":SERVICE:event or " + ns + ":SERVICE:event:NAME (SERVICE and NAME may be '*')");
        }
        return pattern;
    }

    private static boolean nameOrStar(String s) {
        return s.equals("*") || isName(s);
    }
}
