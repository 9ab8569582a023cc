package io.iios.cli;

import io.iios.core.ConfigKeys;
import io.iios.tck.TckLauncher;
import io.iios.tck.TransportUnderTest;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iios tck}: runs every compatibility kit of {@code iios-tck} against a transport through the JUnit
 * Platform Launcher, prints a summary per group and a closing {@code N passed, N failed, N skipped} line.
 */
@Command(name = "tck", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Certifies a transport: runs the whole TCK against it.",
            "The transport is found by name among the providers of the iios jar and of the --classpath jars;",
            "--config gives its settings (e.g. iios.redis.uri). For http without iios.discovery.servers, a discovery",
            "server is started in this process. Exit 0 when no test failed, 1 otherwise."})
final class TckCommand extends CliCommand {
    @Option(names = "--classpath", paramLabel = "JAR", split = ",",
            description = "Extra jars (e.g. your own transport) to load providers from.")
    List<Path> classpath = new ArrayList<>();

    @Option(names = "--report", paramLabel = "FILE", description = "Also write a JSON report (per test: group, name, "
            + "outcome, skip reason, duration).")
    @Nullable Path report;

    @Override
    protected int execute() throws Exception {
        URLClassLoader loader = classLoaderWith(classpath, "iios-tck-classpath");
        var config = common.config(loader);
        String name = config.get(ConfigKeys.TRANSPORT.key()).orElseThrow(() ->
                new IllegalArgumentException("name the transport to certify with --transport NAME"));
        io.iios.transport.http.DiscoveryServer discovery = null;
        if (name.equals("http") && config.get("iios.discovery.servers").isEmpty()) {
            // broker-less: certify against a discovery server started in this process
            java.util.Map<String, String> s = new java.util.HashMap<>(config.asMap());
            s.put("iios.http.port", "0");
            discovery = io.iios.transport.http.DiscoveryServer.start(s);
            config = config.with("iios.discovery.servers", discovery.url()).with("iios.discovery.server", "false");
            out().println("started a discovery server on " + discovery.url() + " for the http transport");
        }
        Thread me = Thread.currentThread();
        ClassLoader before = me.getContextClassLoader();
        me.setContextClassLoader(loader);
        try {
            TransportUnderTest target = TransportUnderTest.fromProviderName(name, config.asMap(), loader);
            out().flush();
            PrintStream ps = new PrintStream(new WriterOutputStream(out()), true, StandardCharsets.UTF_8);
            int code = TckLauncher.run(target, ps, report);
            ps.flush();
            return code;
        } finally {
            me.setContextClassLoader(before);
            if (discovery != null) {
                discovery.close();
            }
        }
    }

    /** Bridges the launcher's PrintStream to picocli's writer (so tests can capture it). */
    private static final class WriterOutputStream extends java.io.OutputStream {
        private final java.io.PrintWriter writer;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        WriterOutputStream(java.io.PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public void flush() {
            writer.write(line.toString(StandardCharsets.UTF_8));
            writer.flush();
            line.reset();
        }
    }
}
