package io.iios.cli;

import io.iios.api.Gateway;
import io.iios.api.IiosException;
import io.iios.api.Possession;
import io.iios.api.ServiceApi;
import io.iios.core.Config;
import io.iios.core.ConfigKeys;
import io.iios.core.IiosNode;
import io.iios.spi.BenchBaseline;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iios bench}: N virtual threads each looping on a blocking {@code gateway.call} for a fixed
 * duration after a warm-up; latencies go into an HdrHistogram {@link Recorder} (safe for concurrent writers).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Measures call throughput and latency through a transport.",
            "One node hosts service 'bob' and calls it from",
            "--concurrency virtual threads for --duration after --warmup; prints calls/s, latency percentiles",
            "in microseconds and the error count, then one JSON line for machines.",
            "With --stream BYTES, each caller instead reads byte streams of that size (bob.download) back to back;",
            "prints MiB/s and streams/s."})
final class BenchCommand extends CliCommand {
    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16",
            description = "Concurrent callers, each a virtual thread making blocking calls (default ${DEFAULT-VALUE}; 1 = sequential).")
    int concurrency;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Measured time (default ${DEFAULT-VALUE}).")
    Duration duration;

    // 10 s: on 2 cores the JIT needs that long to compile a call's path through the framework, the broker client
    // and (HTTP) Helidon and the JDK client; with 2 s the framework was measured half-interpreted while the
    // baseline, run after it on the same, by then compiled, client code was not (docs/performance.md)
    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Time before measuring, excluded from the figures (default ${DEFAULT-VALUE}: the JIT "
                    + "compiles the call path meanwhile).")
    Duration warmup;

    @Option(names = "--payload", paramLabel = "BYTES",
            description = "Call echo(String) with a string of this many ASCII bytes instead of add(int, int).")
    @Nullable Integer payload;

    @Option(names = "--encoder", paramLabel = "NAME", description = "json or msgpack (sets iios.encoder).")
    @Nullable String encoder;

    @Option(names = "--stream", paramLabel = "BYTES",
            description = "Measure streams: each caller reads streams of this many bytes (e.g. 104857600) back to back.")
    @Nullable Long stream;

    @Option(names = "--baseline", description = {"Also run the transport's raw-client request/reply loop (no framework)",
        "with the same concurrency and duration, and print both figures and their ratio."})
    boolean baseline;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
            description = {"With --baseline: measure the framework and the raw client N times each, alternating which",
                "goes first (round 1 framework first, round 2 raw first, ...), and end with the medians and the",
                "median of the rounds' ratios (default ${DEFAULT-VALUE})."})
    int rounds;

    @Option(names = "--baseline-payload", paramLabel = "BYTES", defaultValue = "54",
            description = "Request size of the raw baseline when --payload is not given (default ${DEFAULT-VALUE}).")
    int baselinePayload;

    @Option(names = "--rbac", description = {"Enable RBAC (iios.rbac.enabled) and call as user 'bench', bound to a role",
        "granted read and update on bob; combine with IIOS_SECURITY_KEY to measure signing too."})
    boolean rbac;

    @Override
    protected int execute() throws Exception {
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1, got " + concurrency);
        }
        if (duration.isZero()) {
            throw new IllegalArgumentException("--duration must be longer than 0");
        }
        if (payload != null && payload < 0) {
            throw new IllegalArgumentException("--payload must be 0 or more bytes, got " + payload);
        }
        Config config = config();
        if (encoder != null) {
            config = config.with(ConfigKeys.ENCODER.key(), encoder);
        }
        if (stream != null && baseline) {
            throw new IllegalArgumentException("--baseline measures calls; it does not combine with --stream");
        }
        if (stream != null && stream < 1) {
            throw new IllegalArgumentException("--stream must be at least 1 byte, got " + stream);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        }
        if (rounds > 1 && !baseline) {
            throw new IllegalArgumentException("--rounds alternates the framework and its raw client: it needs --baseline");
        }
        if (rbac) {
            config = config.with(ConfigKeys.RBAC_ENABLED.key(), "true");
        }
        config = brokerlessAlone(config);
        PrintWriter out = out();
        if (stream != null) {
            return streams(config, out, stream);
        }
        try (IiosNode node = startNode(config, new BenchService())) {
            node.gateway().waitForService("bob", Duration.ofSeconds(10));
            Gateway gateway = node.gateway();
            if (rbac) {
                node.accessControl().grant("bench", "bob", "read", Possession.ANY);
                node.accessControl().grant("bench", "bob", "update", Possession.ANY);
                node.accessControl().bind("bench", "bench");
                gateway = gateway.asUser("bench");
            }
            Duration callTimeout = config.duration(ConfigKeys.CALL_TIMEOUT);
            String what = payload == null ? "add(int, int)" : "echo(String of " + payload + " bytes)";
            out.println("iios bench: transport " + node.transport().name() + ", encoder "
                    + config.string(ConfigKeys.ENCODER) + ", concurrency " + concurrency + ", warm-up "
                    + seconds(warmup) + " s, duration " + seconds(duration) + " s, call bob." + what
                    + (node.httpEndpoint().isPresent() && node.transport().name().equals("http")
                            ? ", calls over HTTP to " + node.httpEndpoint().get() : "")
                    + (rbac ? ", RBAC on" : "") + (config.get(ConfigKeys.SECURITY_KEY.key()).isPresent()
                            ? ", signed" : ""));
            out.flush();
            String enc = config.string(ConfigKeys.ENCODER);
            if (!baseline) {
                return measureIios(out, node.transport().name(), enc, gateway, callTimeout) == null ? 1 : 0;
            }
            BenchBaseline raw = baselineOf(node.transport().name());
            List<Double> iiosRates = new ArrayList<>();
            List<Double> rawRates = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                if (rounds > 1) {
                    out.println();
                    out.println("round " + round + " of " + rounds + (round % 2 == 1 ? ": framework first"
                            : ": raw client first"));
                    out.flush();
                }
                Measured rawRun = round % 2 == 0 ? measureRaw(out, raw, node, config, null) : null;
                Measured iios = measureIios(out, node.transport().name(), enc, gateway, callTimeout);
                if (iios == null) {
                    return 1;
                }
                if (rawRun == null) {
                    rawRun = measureRaw(out, raw, node, config, iios);
                } else {
                    printRatio(out, iios, rawRun);
                }
                if (rawRun.rate() == 0) {
                    return 1;
                }
                iiosRates.add(iios.rate());
                rawRates.add(rawRun.rate());
                ratios.add(iios.ratioTo(rawRun));
            }
            if (rounds > 1) {
                summary(out, node.transport().name(), iiosRates, rawRates, ratios);
            }
            return 0;
        }
    }

    /** One figure of one measurement. */
    private record Measured(double rate, double p50) {
        /** This rate over {@code raw}'s (0 when the raw client made no call). */
        double ratioTo(Measured raw) {
            return raw.rate() == 0 ? 0 : rate / raw.rate();
        }
    }

    /** Measures the framework once and prints it; null when no call completed. */
    private @Nullable Measured measureIios(PrintWriter out, String transport, String enc, Gateway gateway,
            Duration callTimeout) throws InterruptedException {
        Run run = new Run(gateway.api("bob"), payload == null ? null : "x".repeat(payload));
        boolean finished = run.go(concurrency, warmup, duration, callTimeout);
        report(out, transport, enc, run, finished);
        out.flush();
        if (run.histogram.getTotalCount() == 0) {
            return null;
        }
        return new Measured(run.histogram.getTotalCount() / (duration.toNanos() / 1e9), micros(run.histogram, 50));
    }

    private static void printRatio(PrintWriter out, Measured iios, Measured raw) {
        out.printf(Locale.ROOT, "  iios / raw     %.2f of the raw client's calls/s (iios p50 %.1f us vs raw %.1f us)%n",
                iios.ratioTo(raw), iios.p50(), raw.p50());
    }

    /** The medians of {@code --rounds}, printed and as the last JSON line. */
    private void summary(PrintWriter out, String transport, List<Double> iiosRates, List<Double> rawRates,
            List<Double> ratios) {
        out.println();
        out.printf(Locale.ROOT, "%d rounds, medians: iios %.1f calls/s, raw %.1f calls/s, ratio %.2f (rounds: %s)%n",
                rounds, median(iiosRates), median(rawRates), median(ratios),
                String.join(" ", ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList()));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "rounds");
        line.put("transport", transport);
        line.put("concurrency", concurrency);
        line.put("rounds", rounds);
        line.put("iios_calls_per_s", iiosRates.stream().map(BenchCommand::round).toList());
        line.put("raw_calls_per_s", rawRates.stream().map(BenchCommand::round).toList());
        line.put("ratios", ratios.stream().map(BenchCommand::round2).toList());
        line.put("iios_median", round(median(iiosRates)));
        line.put("raw_median", round(median(rawRates)));
        line.put("ratio_median", round2(median(ratios)));
        out.println(Json.write(line));
    }

    /** The middle value; for an even count, the mean of the two middle ones. */
    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** {@code --stream}: callers read streams of {@code size} bytes back to back; bytes count when read in the window. */
    private int streams(Config config, PrintWriter out, long size) throws Exception {
        try (IiosNode node = startNode(config, new BenchService())) {
            node.gateway().waitForService("bob", Duration.ofSeconds(10));
            String enc = config.string(ConfigKeys.ENCODER);
            out.println("iios bench: transport " + node.transport().name() + ", encoder " + enc + ", concurrency "
                    + concurrency + ", warm-up " + seconds(warmup) + " s, duration " + seconds(duration)
                    + " s, streams of " + size + " bytes from bob.download");
            out.flush();
            ServiceApi api = node.gateway().api("bob");
            LongAdder bytes = new LongAdder();
            LongAdder completed = new LongAdder();
            Map<String, LongAdder> errors = new ConcurrentHashMap<>();
            long measureFrom = System.nanoTime() + warmup.toNanos();
            long measureUntil = measureFrom + duration.toNanos();
            ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
            for (int i = 0; i < concurrency; i++) {
                readers.execute(() -> {
                    byte[] buf = new byte[64 * 1024];
                    while (System.nanoTime() - measureUntil < 0) {
                        try (java.io.InputStream in = api.stream("download", size).asInputStream()) {
                            int n;
                            while ((n = in.read(buf)) != -1) {
                                long now = System.nanoTime();
                                if (now - measureUntil >= 0) {
                                    break;
                                }
                                if (now - measureFrom >= 0) {
                                    bytes.add(n);
                                }
                            }
                            if (n == -1 && System.nanoTime() - measureFrom >= 0) {
                                completed.increment();
                            }
                        } catch (IiosException | java.io.IOException e) {
                            errors.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(),
                                    k -> new LongAdder()).increment();
                        }
                    }
                });
            }
            readers.shutdown();
            boolean finished = readers.awaitTermination(warmup.plus(duration).plusSeconds(30).toMillis(),
                    TimeUnit.MILLISECONDS);
            if (!finished) {
                readers.shutdownNow();
            }
            double secs = duration.toNanos() / 1e9;
            double mib = bytes.sum() / 1048576.0;
            long errorCount = errors.values().stream().mapToLong(LongAdder::sum).sum();
            out.printf(Locale.ROOT, "  bytes          %d (%.1f MiB)%n", bytes.sum(), mib);
            out.printf(Locale.ROOT, "  streams        %d completed in the window%n", completed.sum());
            out.printf(Locale.ROOT, "  errors         %d%n", errorCount);
            new TreeMap<>(errors).forEach((k, v) -> out.printf(Locale.ROOT, "    %6d x %s%n", v.sum(), k));
            out.printf(Locale.ROOT, "  throughput     %.1f MiB/s%n", mib / secs);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("bench", "iios-stream");
            line.put("transport", node.transport().name());
            line.put("encoder", enc);
            line.put("concurrency", concurrency);
            line.put("warmup_s", seconds(warmup));
            line.put("duration_s", seconds(duration));
            line.put("stream_bytes", size);
            line.put("bytes", bytes.sum());
            line.put("streams", completed.sum());
            line.put("errors", errorCount);
            line.put("mib_per_s", round(mib / secs));
            out.println(Json.write(line));
            return bytes.sum() > 0 && errorCount == 0 ? 0 : 1;
        }
    }

    private BenchBaseline baselineOf(String transport) {
        for (BenchBaseline b : ServiceLoader.load(BenchBaseline.class, appLoader())) {
            if (b.transport().equals(transport)) {
                return b;
            }
        }
        throw new IllegalArgumentException("transport '" + transport + "' ships no raw-client baseline");
    }

    /**
     * The raw-client loop of the same transport, measured once, with the ratio when the framework was measured
     * just before ({@code iios}; null when the raw client goes first).
     */
    private Measured measureRaw(PrintWriter out, BenchBaseline raw, IiosNode node, Config config,
            @Nullable Measured iios) throws Exception {
        String transport = node.transport().name();
        int bytes = payload != null ? payload : baselinePayload;
        out.println();
        out.println("baseline: " + raw.description() + ", " + bytes + "-byte requests");
        out.flush();
        Recorder recorder = new Recorder(3);
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long measureUntil = measureFrom + duration.toNanos();
        long failed = raw.run(TransportConfig.of(node.namespace(), config.asMap(), TransportListener.NONE),
                concurrency, bytes, warmup.plus(duration), latency -> {
                    long now = System.nanoTime();
                    if (now - measureFrom >= 0 && now - measureUntil <= 0) {
                        recorder.recordValue(latency);
                    }
                });
        Histogram h = recorder.getIntervalHistogram();
        double rate = h.getTotalCount() / (duration.toNanos() / 1e9);
        out.printf(Locale.ROOT, "  calls          %d%n", h.getTotalCount());
        out.printf(Locale.ROOT, "  errors         %d%n", failed);
        out.printf(Locale.ROOT, "  throughput     %.1f calls/s%n", rate);
        out.printf(Locale.ROOT, "  latency (us)   p50 %.1f  p99 %.1f  p99.9 %.1f%n", micros(h, 50), micros(h, 99),
                micros(h, 99.9));
        Measured measured = new Measured(rate, micros(h, 50));
        if (iios != null) {
            printRatio(out, iios, measured);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "baseline");
        line.put("transport", transport);
        line.put("concurrency", concurrency);
        line.put("payload_bytes", bytes);
        line.put("calls_per_s", round(rate));
        line.put("p50_us", round(micros(h, 50)));
        line.put("p99_us", round(micros(h, 99)));
        if (iios != null) {
            line.put("iios_calls_per_s", round(iios.rate()));
            line.put("ratio", round2(iios.ratioTo(measured)));
        }
        out.println(Json.write(line));
        out.flush();
        return measured;
    }

    /** One measurement: the workers, the recorder and the error counts. */
    private static final class Run {
        private final ServiceApi api;
        private final @Nullable String payload;
        private final Recorder recorder = new Recorder(3);
        private final LongAdder warmupCalls = new LongAdder();
        private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        private Histogram histogram = new Histogram(3);

        Run(ServiceApi api, @Nullable String payload) {
            this.api = api;
            this.payload = payload;
        }

        /** Returns false when some caller was still blocked after the grace time (its call counted nowhere). */
        boolean go(int concurrency, Duration warmup, Duration duration, Duration callTimeout)
                throws InterruptedException {
            long start = System.nanoTime();
            long measureFrom = start + warmup.toNanos();
            long measureUntil = measureFrom + duration.toNanos();
            ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
            try {
                for (int i = 0; i < concurrency; i++) {
                    int id = i;
                    callers.execute(() -> loop(id, measureFrom, measureUntil));
                }
            } finally {
                callers.shutdown();
            }
            // Every call ends within its deadline (iios.call.timeout), so the callers stop soon after the end.
            long grace = warmup.plus(duration).plus(callTimeout).plusSeconds(5).toMillis();
            boolean finished = callers.awaitTermination(grace, TimeUnit.MILLISECONDS);
            if (!finished) {
                callers.shutdownNow();
            }
            histogram = recorder.getIntervalHistogram();
            return finished;
        }

        private void loop(int id, long measureFrom, long measureUntil) {
            int n = id;
            while (!Thread.currentThread().isInterrupted()) {
                long t0 = System.nanoTime();
                if (t0 - measureUntil >= 0) {
                    return;
                }
                boolean measured = t0 - measureFrom >= 0;
                try {
                    if (payload == null) {
                        api.call("add", n++, 1);
                    } else {
                        api.call("echo", payload);
                    }
                    long t1 = System.nanoTime();
                    if (!measured) {
                        warmupCalls.increment();
                    } else if (t1 - measureUntil <= 0) {
                        recorder.recordValue(t1 - t0);
                    }
                } catch (IiosException e) {
                    if (measured) {
                        errors.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(),
                                k -> new LongAdder()).increment();
                    }
                }
            }
        }

        long errorCount() {
            return errors.values().stream().mapToLong(LongAdder::sum).sum();
        }
    }

    private void report(PrintWriter out, String transport, String enc, Run run, boolean finished) {
        Histogram h = run.histogram;
        long calls = h.getTotalCount();
        double secs = duration.toNanos() / 1e9;
        double rate = calls / secs;
        long errorCount = run.errorCount();
        out.printf(Locale.ROOT, "  warm-up calls  %d (not counted)%n", run.warmupCalls.sum());
        out.printf(Locale.ROOT, "  calls          %d%n", calls);
        out.printf(Locale.ROOT, "  errors         %d%n", errorCount);
        new TreeMap<>(run.errors).forEach((k, v) -> out.printf(Locale.ROOT, "    %6d x %s%n", v.sum(), k));
        if (!finished) {
            out.println("  warning        some callers were still blocked after the grace time and were interrupted");
        }
        out.printf(Locale.ROOT, "  throughput     %.1f calls/s%n", rate);
        out.println("  latency (us)");
        Map<String, Double> pct = new LinkedHashMap<>();
        pct.put("p50", micros(h, 50));
        pct.put("p90", micros(h, 90));
        pct.put("p99", micros(h, 99));
        pct.put("p99.9", micros(h, 99.9));
        pct.put("max", calls == 0 ? 0.0 : h.getMaxValue() / 1000.0);
        pct.forEach((k, v) -> out.printf(Locale.ROOT, "    %-6s %12.1f%n", k, v));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "iios");
        line.put("transport", transport);
        line.put("encoder", enc);
        line.put("concurrency", concurrency);
        line.put("warmup_s", seconds(warmup));
        line.put("duration_s", seconds(duration));
        line.put("payload_bytes", payload == null ? 0 : payload);
        line.put("calls", calls);
        line.put("errors", errorCount);
        line.put("calls_per_s", round(rate));
        pct.forEach((k, v) -> line.put(k.replace(".", "") + "_us", round(v)));
        out.println(Json.write(line));
    }

    private static double micros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
