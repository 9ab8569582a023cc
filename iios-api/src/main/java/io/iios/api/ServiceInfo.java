package io.iios.api;

import java.util.List;

/**
 * A service and its live instances.
 *
 * @param name the service name
 * @param instances live instances, never empty for a service that is up
 */
public record ServiceInfo(String name, List<InstanceInfo> instances) {

    public ServiceInfo {
        instances = List.copyOf(instances);
    }
}
