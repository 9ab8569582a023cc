package io.iios.transport.http;

import io.iios.core.extension.NodeContext;
import io.iios.core.extension.NodeExtension;
import io.iios.transport.http.internal.NodeHttp;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Gives every node with this jar an HTTP server (unless {@code iios.http.enabled=false}): the intercall
 * route {@code POST /iios/v1/call/SERVICE/METHOD} advertised in its instance records and used by
 * {@code iios.call.route}, {@code /health}, the discovery-server routes when the node is one, and the
 * REST gateway when {@code iios.http.gateway=true}. See {@code docs/http.md}.
 */
public final class HttpNodeExtension implements NodeExtension {

    @Override
    public String name() {
        return "http";
    }

    @Override
    public Set<String> configKeys() {
        return new HashSet<>(HttpOptions.KEYS);
    }

    @Override
    public @Nullable Attachment attach(NodeContext node) {
        return NodeHttp.attach(node, null);
    }
}
