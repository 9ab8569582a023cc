package io.iios.cli;

import io.iios.api.ServiceInfo;
import io.iios.core.IiosNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code iios ls}: live services, their instances and methods. */
@Command(name = "ls", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Lists live services, their instances and methods.",
            "Per instance: id, node, version, start time; per method: the HTTP verb and whether it is on the public HTTP API."})
final class LsCommand extends CliCommand {
    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "How long to let discovery fill before printing (default ${DEFAULT-VALUE}).")
    Duration wait;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    protected int execute() throws InterruptedException {
        try (IiosNode node = startNode(config())) {
            // Discovery announcements from other nodes arrive asynchronously: give them a bounded moment.
            new CountDownLatch(1).await(wait.toMillis(), TimeUnit.MILLISECONDS);
            List<ServiceInfo> services = node.gateway().services();
            if (json) {
                out().println(Json.write(ServiceListing.asJson(services)));
            } else if (services.isEmpty()) {
                out().println("no live service in namespace " + node.namespace() + " (transport "
                        + node.transport().name() + ")");
            } else {
                ServiceListing.print(out(), services, "");
            }
        }
        return 0;
    }
}
