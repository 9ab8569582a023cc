package io.iios.core.internal.wire;

import io.iios.api.InstanceInfo;
import io.iios.spi.Encoder;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** Wire v1 (docs/protocol.md): the default profile. */
public final class NativeProtocol implements Protocol {
    public static final String ID = "native";

    private final Names names;
    /** {@code ns:_reply:}, checked on every request: built once. */
    private final String replyPrefix;

    /** Inboxes already built, by instance id (every call names one): {service, inbox}. */
    private final Map<String, String[]> inboxes = new ConcurrentHashMap<>();

    public NativeProtocol(Names names) {
        this.names = names;
        this.replyPrefix = names.replyInbox("");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Names names() {
        return names;
    }

    @Override
    public Encoder kvEncoder(Encoder nodeEncoder) {
        return nodeEncoder;
    }

    @Override
    public boolean leasedRecords() {
        return true;
    }

    @Override
    public boolean replaceOnlyNewer() {
        return false;
    }

    @Override
    public Map<String, Object> recordToMap(InstanceInfo info, long ttlMillis) {
        return new Wire.Record(info, ttlMillis).toMap();
    }

    @Override
    public Wire.Record recordFrom(String key, Map<?, ?> m) {
        return Wire.Record.from(m);
    }

    @Override
    public String @Nullable [] serviceAndInstance(String key) {
        if (!key.startsWith(names.registryPrefix())) {
            return null;
        }
        String rest = key.substring(names.registryPrefix().length());
        int sep = rest.indexOf(':');
        return sep > 0 ? new String[] {rest.substring(0, sep), rest.substring(sep + 1)} : null;
    }

    @Override
    public List<String> inboxes(String service, String instanceId, Collection<String> methods) {
        return List.of(names.rpcInbox(service, instanceId));
    }

    @Override
    public String requestChannel(String service, String instanceId, String method) {
        String[] known = inboxes.get(instanceId);
        if (known != null && known[0].equals(service)) {
            return known[1];
        }
        String inbox = names.rpcInbox(service, instanceId);
        if (inboxes.size() >= 4096) {
            inboxes.clear(); // instances come and go: start over rather than grow
        }
        inboxes.put(instanceId, new String[] {service, inbox});
        return inbox;
    }

    @Override
    public boolean perCallReplies() {
        return false;
    }

    @Override
    public String newToken() {
        return "";
    }

    @Override
    public String replyChannel(String nodeId, String requestChannel, String token) {
        return names.replyInbox(nodeId);
    }

    @Override
    public Map<String, Object> requestToMap(Wire.Request request, String token) {
        return request.toMap();
    }

    @Override
    public Wire.Request requestFrom(String channel, Map<?, ?> m) {
        return Wire.Request.from(m);
    }

    @Override
    public boolean replyAllowed(Wire.Request request) {
        return request.replyTo().startsWith(replyPrefix);
    }

    @Override
    public @Nullable String replyToOfMalformed(Map<?, ?> m) {
        return m.get("r") instanceof String replyTo && replyTo.startsWith(replyPrefix)
                && Wire.idOf(m) >= 0 ? replyTo : null;
    }

    @Override
    public Map<String, Object> replyToMap(Wire.Request request, Wire.Reply reply, String origin) {
        return reply.toMap();
    }

    @Override
    public Wire.@Nullable Reply replyFrom(Map<?, ?> m, long id, String token) {
        return Wire.Reply.from(m);
    }

    @Override
    public String timeoutMessage(String service, String method, String instanceId, long millis) {
        return "no reply from " + service + "." + method + " (instance " + instanceId + ") within " + millis + " ms";
    }

    @Override
    public boolean privilegedSkipsRbac() {
        return true;
    }

    @Override
    public String denial(String service, String method, @Nullable String userId, boolean privileged, String role,
            String missingGrant) {
        return "access denied to " + service + "." + method + " for "
                + (userId == null ? "anonymous caller" : "user '" + userId + "'") + " (role " + role
                + "): missing grant " + missingGrant + " on service " + service;
    }

    @Override
    public Map<String, Object> eventToMap(Wire.EventMessage event) {
        return event.toMap();
    }

    @Override
    public Wire.EventMessage eventFrom(Map<?, ?> m) {
        return Wire.EventMessage.from(m);
    }

    @Override
    public String eventSubscription(String name) {
        return names.eventPattern(name);
    }

    @Override
    public boolean delivers(String name, Wire.EventMessage event, String ownOrigin) {
        return true;
    }

    @Override
    public String eventOrigin(String nodeId, String instanceId) {
        return instanceId;
    }
}
