package io.iios.cli;

import io.iios.api.StreamHandle;
import io.iios.core.Config;
import io.iios.core.ConfigKeys;
import io.iios.core.IiosNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code iios call SERVICE METHOD [ARG...]}: one call, the result printed as JSON. */
@Command(name = "call", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Calls a method of a live service and prints the result as JSON.",
            "Example: iios call bob add 1 2    iios call bob hello '\"world\"'    iios call bob save '{\"a\":1}'",
            "A method that returns a stream needs --out FILE: iios call bob download report.txt 20000 --out report.txt"})
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

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write the result to FILE and print a one-line summary: the bytes of a byte stream, one JSON line per element of an object stream, else the JSON result.")
    @Nullable Path outFile;

    @Override
    protected int execute() throws IOException {
        Config config = config();
        if (timeout != null) {
            config = config.with(ConfigKeys.CALL_TIMEOUT.key(), DurationConverter.format(timeout));
        }
        try (IiosNode node = startNode(config)) {
            node.gateway().waitForService(service, wait);
            Object result = node.gateway().call(service, method, Json.arguments(args).toArray());
            if (result instanceof StreamHandle stream) {
                if (outFile == null) {
                    stream.cancel();
                    throw new IllegalArgumentException(service + "." + method
                            + " returned a stream; pass --out FILE to save it");
                }
                out().println(saveStream(stream, outFile));
            } else if (outFile != null) {
                Files.writeString(outFile, Json.write(result) + "\n", StandardCharsets.UTF_8);
                out().println("wrote the JSON result of " + service + "." + method + " to " + outFile);
            } else {
                out().println(Json.write(result));
            }
        }
        return 0;
    }

    private String saveStream(StreamHandle stream, Path file) throws IOException {
        long start = System.nanoTime();
        String what;
        if (!stream.carriesObjects()) {
            long n;
            try (InputStream in = stream.asInputStream(); OutputStream o = Files.newOutputStream(file)) {
                n = in.transferTo(o);
            }
            what = n + " bytes";
        } else {
            long n = writeObjects(stream, file);
            what = n + " JSON lines (object stream)";
        }
        double secs = (System.nanoTime() - start) / 1e9;
        return String.format(java.util.Locale.ROOT, "wrote %s from %s.%s to %s in %.2f s (stream %s)", what, service,
                method, file, secs, stream.id());
    }

    /** One JSON line per element, requesting a few at a time so the stream's credit keeps memory bounded. */
    private static long writeObjects(StreamHandle stream, Path file) throws IOException {
        CompletableFuture<Long> done = new CompletableFuture<>();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            stream.asObjects(Object.class).subscribe(new Flow.Subscriber<>() {
                private Flow.Subscription s;
                private long n;

                @Override
                public void onSubscribe(Flow.Subscription s) {
                    this.s = s;
                    s.request(64);
                }

                @Override
                public void onNext(Object item) {
                    try {
                        w.write(Json.write(item));
                        w.write('\n');
                    } catch (IOException e) {
                        s.cancel();
                        done.completeExceptionally(e);
                        return;
                    }
                    if (++n % 64 == 0) {
                        s.request(64);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    done.completeExceptionally(t);
                }

                @Override
                public void onComplete() {
                    done.complete(n);
                }
            });
            return done.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }
}
