package io.iios.api;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One live instance of a service, as published in discovery.
 *
 * @param service the service name
 * @param instanceId unique id of this instance
 * @param nodeId the node hosting it
 * @param version the service version
 * @param methods callable methods by name
 * @param httpEndpoint base URL of the node's HTTP intercall route, if it has one
 * @param publicOptions options the service chose to publish
 * @param startedAt when the instance started
 */
public record InstanceInfo(
        String service,
        String instanceId,
        String nodeId,
        String version,
        Map<String, MethodInfo> methods,
        @Nullable String httpEndpoint,
        Map<String, String> publicOptions,
        Instant startedAt) {

    public InstanceInfo {
        methods = Map.copyOf(methods);
        publicOptions = Map.copyOf(publicOptions);
    }
}
