package io.iios.cli;

import io.iios.core.Iios;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code iios} command. Exit codes: 0 success, 1 failure (one line on stderr), 2 usage error.
 */
@Command(name = "iios", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "IIOS for Java: run a demo, call services, list them, follow events, host services, run an HTTP gateway, benchmark or certify a transport, manage RBAC.",
        subcommands = {DemoCommand.class, CallCommand.class, LsCommand.class, EventsCommand.class, ServeCommand.class, GatewayCommand.class,
                BenchCommand.class, TckCommand.class, AclCommand.class, CommandLine.HelpCommand.class})
public final class IiosCommand implements Runnable {
    private final UnaryOperator<Iios.Builder> nodeCustomizer;

    @Spec
    CommandSpec spec;

    public IiosCommand() {
        this(UnaryOperator.identity());
    }

    /** For tests: every node a subcommand starts goes through this (e.g. to share a {@code MemoryBroker}). */
    IiosCommand(UnaryOperator<Iios.Builder> nodeCustomizer) {
        this.nodeCustomizer = nodeCustomizer;
    }

    UnaryOperator<Iios.Builder> nodeCustomizer() {
        return nodeCustomizer;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: one of " + spec.subcommands().keySet());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new IiosCommand()).execute(args));
    }
}
