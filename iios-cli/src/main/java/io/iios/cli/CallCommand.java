package io.iios.cli;

import io.iios.core.Config;
import io.iios.core.ConfigKeys;
import io.iios.core.IiosNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code iios call SERVICE METHOD [ARG...]}: one call, the result printed as JSON. */
@Command(name = "call", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Calls a method of a live service and prints the result as JSON.",
            "Example: iios call bob add 1 2    iios call bob hello '\"world\"'    iios call bob save '{\"a\":1}'"})
final class CallCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "SERVICE", description = "Service name.")
    String service;

    @Parameters(index = "1", paramLabel = "METHOD", description = "Method name.")
    String method;

    @Parameters(index = "2..*", paramLabel = "JSON_ARG",
            description = "Positional arguments, each parsed as JSON (1, \"x\", [1,2], {\"a\":1}); a word that is not JSON is a string.")
    List<String> args = new ArrayList<>();

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Longest wait for a live instance of the service (default ${DEFAULT-VALUE}).")
    Duration wait;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Deadline of the call (sets iios.call.timeout; default from the configuration, 5s).")
    @Nullable Duration timeout;

    @Override
    protected int execute() {
        Config config = config();
        if (timeout != null) {
            config = config.with(ConfigKeys.CALL_TIMEOUT.key(), DurationConverter.format(timeout));
        }
        try (IiosNode node = startNode(config)) {
            node.gateway().waitForService(service, wait);
            Object result = node.gateway().call(service, method, Json.arguments(args).toArray());
            out().println(Json.write(result));
        }
        return 0;
    }
}
