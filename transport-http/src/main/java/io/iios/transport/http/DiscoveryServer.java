package io.iios.transport.http;

import io.iios.transport.http.internal.HttpServerHost;
import io.iios.transport.http.internal.Hub;
import io.iios.transport.http.internal.HubAuth;
import io.iios.transport.http.internal.NodeHttp;
import java.util.Map;

/**
 * A discovery server on its own, without a node: what {@code iios.discovery.server=true} adds to a
 * gateway, for deployments (and tests) that want it apart. It keeps instance records and relays
 * messages for the broker-less {@code http} transport; state is in memory.
 *
 * <pre>{@code
 * try (DiscoveryServer s = DiscoveryServer.start(Map.of("iios.http.port", "8090"))) {
 *     // nodes: iios.transport=http, iios.discovery.servers=http://this-host:8090
 * }
 * }</pre>
 */
public final class DiscoveryServer implements AutoCloseable {
    private final Hub hub;
    private final HttpServerHost server;

    private DiscoveryServer(Hub hub, HttpServerHost server) {
        this.hub = hub;
        this.server = server;
    }

    /** Starts one with {@code iios.http.*} settings (host, port, advertise, limits) and {@code iios.security.key}. */
    public static DiscoveryServer start(Map<String, String> settings) {
        HttpOptions options = HttpOptions.from(settings);
        Hub hub = new Hub();
        try {
            return new DiscoveryServer(hub, NodeHttp.discoveryServer(options,
                    HubAuth.fromKey(settings.get("iios.security.key")), hub));
        } catch (RuntimeException e) {
            hub.close();
            throw e;
        }
    }

    /** The URL nodes list in {@code iios.discovery.servers}. */
    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        hub.close();
    }
}
