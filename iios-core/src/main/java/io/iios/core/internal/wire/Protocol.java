package io.iios.core.internal.wire;

import io.iios.api.InstanceInfo;
import io.iios.spi.Encoder;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one seam between the shared runtime (discovery, RPC, events, RBAC) and a wire protocol: how
 * records, channels, envelopes and RBAC keys are named ({@link #names()}) and encoded. Two profiles:
 * {@link NativeProtocol} (wire v1, docs/protocol.md) and {@link NodeV2Protocol} (Node IIOS 2.x,
 * docs/migrating-from-node.md). Every {@code ...From} method throws {@link Wire.MalformedMessage} on a
 * message that does not have the profile's shape.
 */
public interface Protocol {
    /** {@code native} or {@code node-v2}, the value of {@code iios.protocol}. */
    String id();

    /** Key and channel names. */
    Names names();

    /** The encoder of KV values (records, roles, bindings): the node's, or always JSON for node-v2. */
    Encoder kvEncoder(Encoder nodeEncoder);

    // ---------------------------------------------------------------- discovery

    /** True when records have a TTL refreshed by heartbeats and changes are announced as notices (native). */
    boolean leasedRecords();

    /** True when a record replaces a known one of the same instance only if it started later (node-v2). */
    boolean replaceOnlyNewer();

    Map<String, Object> recordToMap(InstanceInfo info, long ttlMillis);

    /** A record read from {@code key}; node-v2 takes the service name from the key. */
    Wire.Record recordFrom(String key, Map<?, ?> m);

    /** {service, instance} of a record key, or null when the key is not a record key. */
    String @Nullable [] serviceAndInstance(String key);

    // ---------------------------------------------------------------- rpc

    /** The channels a hosted instance subscribes for its requests. */
    List<String> inboxes(String service, String instanceId, Collection<String> methods);

    /** Where a request to one method of one instance goes. */
    String requestChannel(String service, String instanceId, String method);

    /** True when the caller subscribes one reply channel per call (node-v2), false for one per node. */
    boolean perCallReplies();

    /** A fresh correlation token (node-v2) or an empty string (native correlates by id). */
    String newToken();

    /** The reply channel of a call. */
    String replyChannel(String nodeId, String requestChannel, String token);

    Map<String, Object> requestToMap(Wire.Request request, String token);

    /** A request received on {@code channel}. */
    Wire.Request requestFrom(String channel, Map<?, ?> m);

    /** Whether the callee may publish the reply where the request asks (native: only under the reply prefix). */
    boolean replyAllowed(Wire.Request request);

    /** The reply channel of a request that failed validation, when it is safe to answer it; else null. */
    @Nullable String replyToOfMalformed(Map<?, ?> m);

    Map<String, Object> replyToMap(Wire.Request request, Wire.Reply reply, String origin);

    /** The reply of pending call {@code id} with {@code token}, or null when the message is not for it. */
    Wire.@Nullable Reply replyFrom(Map<?, ?> m, long id, String token);

    /** The message of a call that got no reply in time. */
    String timeoutMessage(String service, String method, String instanceId, long millis);

    /** Native: privileged calls skip RBAC. Node-v2: they are checked against the role {@code __privileged__}. */
    boolean privilegedSkipsRbac();

    /** The denial text; node-v2 uses Node's exact text. */
    String denial(String service, String method, @Nullable String userId, boolean privileged, String role,
            String missingGrant);

    // ---------------------------------------------------------------- events

    Map<String, Object> eventToMap(Wire.EventMessage event);

    Wire.EventMessage eventFrom(Map<?, ?> m);

    /** The channel pattern that carries the events of a seed subscription name. */
    String eventSubscription(String name);

    /** Whether an event received for subscription {@code name} is delivered to it (node-v2 routes locally). */
    boolean delivers(String name, Wire.EventMessage event, String ownOrigin);

    /** The origin a node writes in its events (node-v2 uses the node id, like Node's process uuid). */
    String eventOrigin(String nodeId, String instanceId);
}
