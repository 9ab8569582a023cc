package io.iios.transport.http.internal;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.List;
import java.util.Optional;

/**
 * CORS for the gateway routes: an allowed {@code Origin} gets {@code Access-Control-Allow-Origin}; a
 * preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) from an allowed origin is
 * answered 204 with the methods and headers; from another origin 403. No credentials mode.
 */
final class Cors {
    private static final String METHODS = "GET, PUT, POST, DELETE";
    private final List<String> origins;

    Cors(List<String> origins) {
        this.origins = origins;
    }

    private boolean allowed(String origin) {
        return origins.contains("*") || origins.contains(origin);
    }

    void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (origins.isEmpty() || origin.isEmpty() || !(path.startsWith("/api/") || path.equals("/metrics")
                || path.equals("/health"))) {
            chain.proceed();
            return;
        }
        boolean ok = allowed(origin.get());
        boolean preflight = req.prologue().method() == Method.OPTIONS
                && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        if (preflight) {
            if (!ok) {
                res.status(Status.FORBIDDEN_403).send();
                return;
            }
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origins.contains("*") ? "*" : origin.get());
            res.header(HeaderNames.VARY, "Origin");
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, METHODS);
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, req.headers()
                    .first(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS).orElse("Content-Type, Authorization"));
            res.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
            res.status(Status.NO_CONTENT_204).send();
            return;
        }
        if (ok) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origins.contains("*") ? "*" : origin.get());
            res.header(HeaderNames.VARY, "Origin");
        }
        chain.proceed();
    }
}
