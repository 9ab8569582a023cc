package io.iios.cli;

import io.iios.core.Iios;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/** Runs the command in-process with captured output. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(String... args) {
        return run(UnaryOperator.identity(), args);
    }

    static CliRun run(UnaryOperator<Iios.Builder> nodes, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new IiosCommand(nodes));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
