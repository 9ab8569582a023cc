package io.iios.cli;

import io.iios.core.Config;
import io.iios.core.IiosNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code iios gateway}: a standalone HTTP gateway process (REST API, SSE, OpenAPI, health, metrics). */
@Command(name = "gateway", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs a standalone HTTP gateway until stopped (docs/http.md).",
            "Serves GET|PUT|POST|DELETE /api/SERVICE/METHOD for verb-annotated methods, /api/services,",
            "/api/events (SSE), /api/openapi.json, /health and Prometheus /metrics, on iios.http.host:iios.http.port",
            "(default here 127.0.0.1:8080). With iios.transport=http and no iios.discovery.servers it is also the",
            "discovery server of a broker-less deployment. Stops cleanly on Ctrl-C or SIGTERM (exit 0)."})
final class GatewayCommand extends CliCommand {
    @Option(names = "--port", paramLabel = "PORT", description = "Port (sets iios.http.port; default 8080 here).")
    Integer port;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to bind (sets iios.http.host).")
    String host;

    @Override
    protected int execute() throws Exception {
        Config config = config().with("iios.http.gateway", "true").with("iios.http.enabled", "true");
        if (port != null) {
            config = config.with("iios.http.port", port.toString());
        } else if (config.get("iios.http.port").isEmpty()) {
            config = config.with("iios.http.port", "8080");
        }
        if (host != null) {
            config = config.with("iios.http.host", host);
        }
        config = brokerlessAlone(config);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IiosNode node = builder(config, appLoader()).meterRegistry(metrics).start();
        String url = node.httpEndpoint().orElseThrow();
        out().println("gateway " + node.nodeId() + " on " + url + " (transport " + node.transport().name()
                + ", namespace " + node.namespace() + ")");
        out().println("  try: curl " + url + "/api/services");
        out().println("stop with Ctrl-C or SIGTERM");
        out().flush();
        UntilStopped.await(node, out(), "gateway " + node.nodeId() + " stopped");
        return 0;
    }
}
