package io.iios.core.internal.wire;

/**
 * The names of the Node IIOS 2.x protocol ({@code ../shared/reference/iios-v2-wire.md} §1): with
 * {@code P = "iios:" + namespace}, records {@code P:S}, requests {@code P:S:m}, replies
 * {@code P:S:m:token}, events {@code P__event}, heartbeats {@code iios:P__heartbeat}, streams
 * {@code iios:P__stream:N}, roles {@code __role:ACNS:R} and users {@code __user:ACNS:U} (DB 1).
 */
public final class NodeV2Names extends Names {
    private final String prefix;
    private final String acNamespace;

    public NodeV2Names(String namespace, String acNamespace) {
        super(namespace);
        this.prefix = "iios:" + namespace;
        this.acNamespace = requireName(acNamespace, "access control namespace");
    }

    /** {@code iios:NS}, Node's internal prefix. */
    public String prefix() {
        return prefix;
    }

    @Override
    public String registryKey(String service, String instanceId) {
        return prefix + ":" + service;
    }

    @Override
    public String registryPrefix() {
        return prefix + ":";
    }

    /** Not used by node-v2 (records are not leased); a name no Node process uses. */
    @Override
    public String discoveryChannel() {
        return prefix + "__java_discovery";
    }

    /** {@code P:S:m}: the request channel of one method. */
    public String requestChannel(String service, String method) {
        return prefix + ":" + service + ":" + method;
    }

    @Override
    public String rpcInbox(String service, String instanceId) {
        return prefix + ":" + service;
    }

    @Override
    public String replyInbox(String nodeId) {
        return prefix + ":";
    }

    @Override
    public String eventChannel(String service, String event) {
        return prefix + "__event";
    }

    /** {@code iios:P__heartbeat}. */
    public String heartbeatChannel() {
        return "iios:" + prefix + "__heartbeat";
    }

    /** {@code iios:P__stream:N}: a raw stream, ended by one zero byte. */
    public String streamChannel(String name) {
        return "iios:" + prefix + "__stream:" + name;
    }

    @Override
    public String roleKey(String role) {
        return rolePrefix() + role;
    }

    @Override
    public String rolePrefix() {
        return "__role:" + acNamespace + ":";
    }

    @Override
    public String userKey(String userId) {
        return userPrefix() + userId;
    }

    @Override
    public String userPrefix() {
        return "__user:" + acNamespace + ":";
    }

    /** A Java-only channel (Node processes never read it): Java nodes drop their grant caches on it. */
    @Override
    public String rbacChannel() {
        return prefix + "__java_rbac_changed";
    }
}
