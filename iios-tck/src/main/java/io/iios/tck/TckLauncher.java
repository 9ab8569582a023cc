package io.iios.tck;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.iios.spi.Capability;
import io.iios.tck.internal.LaunchedKit;
import io.iios.tck.internal.TckResults;
import io.iios.tck.internal.TckResults.Outcome;
import io.iios.tck.internal.TckResults.TestResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs {@link TransportCompatibilityKit} against a transport without Maven, through the JUnit
 * Platform Launcher, prints a summary per kit and ends with the line {@code N passed, N failed,
 * N skipped}. The {@code iios tck} command calls {@link #run}; {@link #main} is the plain
 * {@code java -cp} form:
 *
 * <pre>
 * java -cp "iios.jar:my-transport.jar" io.iios.tck.TckLauncher --transport NAME [--config FILE] [--report FILE]
 * </pre>
 */
public final class TckLauncher {

    private TckLauncher() {
    }

    /**
     * Runs every kit against a target.
     *
     * @param jsonReport when non-null, a JSON report is written there (per test: group, name, outcome,
     *     skip reason, failure message, duration)
     * @return 0 when no test failed, else 1
     */
    public static int run(TransportUnderTest target, PrintStream out, @Nullable Path jsonReport) {
        String runId = LaunchedKit.register(target);
        TckResults results = new TckResults();
        try {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(LaunchedKit.class))
                    .configurationParameter(LaunchedKit.RUN_KEY, runId)
                    .build();
            Launcher launcher = LauncherFactory.create();
            out.println("IIOS TCK: transport " + target.name() + ", capabilities " + target.capabilities().stream()
                    .map(Capability::name).sorted().toList() + ", timeout multiplier " + target.timeoutMultiplier());
            launcher.execute(request, results);
        } finally {
            LaunchedKit.unregister(runId);
        }
        printSummary(results, out);
        if (jsonReport != null) {
            writeReport(target, results, jsonReport);
        }
        return results.count(Outcome.FAILED) == 0 ? 0 : 1;
    }

    private static void printSummary(TckResults results, PrintStream out) {
        Map<String, List<TestResult>> byGroup = results.results().stream()
                .collect(Collectors.groupingBy(TestResult::group, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<TestResult>> e : new TreeMap<>(byGroup).entrySet()) {
            List<TestResult> list = e.getValue();
            out.println();
            out.println(e.getKey() + ": " + count(list, Outcome.PASSED) + " passed, " + count(list, Outcome.FAILED)
                    + " failed, " + count(list, Outcome.SKIPPED) + " skipped");
            for (TestResult r : list) {
                if (r.outcome() == Outcome.FAILED) {
                    out.println("  FAILED  " + r.name());
                    out.println(indent(r.failureMessage()));
                } else if (r.outcome() == Outcome.SKIPPED) {
                    out.println("  SKIPPED " + r.name());
                    out.println(indent(r.skipReason()));
                }
            }
        }
        out.println();
        out.println(results.count(Outcome.PASSED) + " passed, " + results.count(Outcome.FAILED) + " failed, "
                + results.count(Outcome.SKIPPED) + " skipped");
        out.flush();
    }

    /** The first lines of a message, indented under its test (the JSON report has it whole). */
    private static String indent(@Nullable String message) {
        List<String> lines = String.valueOf(message).lines().filter(l -> !l.isBlank()).toList();
        String shown = lines.stream().limit(6).map(l -> "          " + l).collect(Collectors.joining("\n"));
        return lines.size() > 6 ? shown + "\n          ..." : shown;
    }

    private static long count(List<TestResult> list, Outcome o) {
        return list.stream().filter(r -> r.outcome() == o).count();
    }

    private static void writeReport(TransportUnderTest target, TckResults results, Path file) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("transport", target.name());
        report.put("capabilities", target.capabilities().stream().map(Capability::name).sorted().toList());
        report.put("timeoutMultiplier", target.timeoutMultiplier());
        report.put("passed", results.count(Outcome.PASSED));
        report.put("failed", results.count(Outcome.FAILED));
        report.put("skipped", results.count(Outcome.SKIPPED));
        report.put("tests", results.results().stream().map(r -> {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("group", r.group());
            t.put("name", r.name());
            t.put("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
            t.put("skipReason", r.skipReason());
            t.put("failureMessage", r.failureMessage());
            t.put("durationMs", r.durationMs());
            return t;
        }).toList());
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the TCK report to " + file, e);
        }
    }

    /** Reads a properties file of {@code iios.*} settings, as {@code --config FILE} takes it. */
    public static Map<String, String> readConfig(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration " + file, e);
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
        return out;
    }

    /** {@code --transport NAME [--config FILE] [--report FILE]}; exits 0 when nothing failed, 1 on failures, 2 on usage errors. */
    public static void main(String[] args) {
        String transport = null;
        Path config = null;
        Path report = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length && !a.equals("--help")) {
                usage("missing value after " + a);
            }
            switch (a) {
                case "--transport" -> transport = args[++i];
                case "--config" -> config = Path.of(args[++i]);
                case "--report" -> report = Path.of(args[++i]);
                case "--help" -> usage(null);
                default -> usage("unknown argument " + a);
            }
        }
        if (transport == null) {
            usage("--transport NAME is required");
        }
        TransportUnderTest target;
        try {
            target = TransportUnderTest.fromProviderName(transport, config == null ? Map.of() : readConfig(config),
                    Thread.currentThread().getContextClassLoader());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(target, System.out, report));
    }

    private static void usage(@Nullable String error) {
        if (error != null) {
            System.err.println(error);
        }
        System.err.println("usage: TckLauncher --transport NAME [--config FILE] [--report FILE]");
        System.exit(error == null ? 0 : 2);
    }
}
