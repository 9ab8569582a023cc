package io.iios.transport.http.internal;

import io.helidon.webserver.http.HttpRouting;
import io.iios.api.Authenticator;
import io.iios.core.Config;
import io.iios.core.ConfigKeys;
import io.iios.core.IiosNode;
import io.iios.core.extension.CallRoute;
import io.iios.core.extension.NodeContext;
import io.iios.core.extension.NodeExtension;
import io.iios.core.security.JwtAuthenticator;
import io.iios.core.security.TrustedHeaderAuthenticator;
import io.iios.transport.http.HttpOptions;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** What the HTTP module runs for one node: its server (intercall, hub, gateway) and its call route. */
public final class NodeHttp implements NodeExtension.Attachment {
    private final HttpServerHost server;
    private final IntercallClient route;

    private NodeHttp(HttpServerHost server, IntercallClient route) {
        this.server = server;
        this.route = route;
    }

    /** Starts the node's HTTP server, or returns null when {@code iios.http.enabled=false}. */
    public static @Nullable NodeHttp attach(NodeContext ctx, @Nullable Consumer<HttpRouting.Builder> extra) {
        Config config = ctx.config();
        HttpOptions options = HttpOptions.from(config);
        if (!options.enabled()) {
            return null;
        }
        IiosNode node = ctx.node();
        HubRoutes hub = null;
        boolean brokerless = node.transport() instanceof HttpTransport;
        if (node.transport() instanceof HttpTransport ht && ht.localHub() != null) {
            hub = new HubRoutes(ht.localHub(), ht.auth(), options.maxBody(), options.readTimeout());
        }
        RestGateway gateway = null;
        if (options.gateway()) {
            Authenticator auth = switch (options.auth()) {
                case NONE -> null;
                case JWT -> JwtAuthenticator.from(config);
                case HEADER -> TrustedHeaderAuthenticator.from(config);
            };
            gateway = new RestGateway(node, options, auth, config.string(ConfigKeys.AUTH_HEADER_NAME));
        }
        String type = IntercallClient.contentType(node.encoder().name());
        HttpServerHost server = HttpServerHost.start(options, ctx, type, hub, gateway, ctx::brokerUp,
                node.nodeId(), extra);
        return new NodeHttp(server, new IntercallClient(options.connectTimeout(), type, brokerless,
                TlsContexts.client(options.tls())));
    }

    /** A standalone discovery server (no node): the hub routes and {@code /health}. */
    public static HttpServerHost discoveryServer(HttpOptions options, HubAuth auth, Hub hub) {
        return HttpServerHost.start(options, null, null, new HubRoutes(hub, auth, options.maxBody(),
                options.readTimeout()), null, () -> true, "discovery-server", null);
    }

    public int port() {
        return server.port();
    }

    @Override
    public String httpEndpoint() {
        return server.url();
    }

    @Override
    public CallRoute callRoute() {
        return route;
    }

    @Override
    public void close() {
        route.close();
        server.close();
    }
}
