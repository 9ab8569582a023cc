package io.iios.cli;

import io.iios.api.Event;
import io.iios.api.EventMeta;
import io.iios.core.IiosNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code iios events PATTERN}: prints events as JSON lines. */
@Command(name = "events", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Prints events as JSON lines.",
            "Subscribes to PATTERN and prints each event as one line {\"meta\":{...},\"payload\":...}.",
            "PATTERN is NS:event (all events), NS:SERVICE:event (one service) or NS:SERVICE:event:NAME; SERVICE and NAME may be '*'.",
            "Without --count, runs until Ctrl-C or SIGTERM."})
final class EventsCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "PATTERN", description = "e.g. iios:event, iios:bob:event, iios:bob:event:coucou")
    String pattern;

    @Option(names = "--count", paramLabel = "N", description = "Exit 0 after N events.")
    @Nullable Integer count;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up after this long: exit 1 if fewer than --count events arrived, else exit 0.")
    @Nullable Duration timeout;

    @Override
    protected int execute() throws InterruptedException {
        if (count != null && count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        PrintWriter out = out();
        ReentrantLock printing = new ReentrantLock();
        AtomicInteger seen = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count == null ? 1 : count);
        try (IiosNode node = startNode(config())) {
            node.events().on(pattern, event -> {
                String line = Json.write(asJson(event));
                printing.lock();
                try {
                    if (count == null || seen.get() < count) {
                        out.println(line);
                        out.flush();
                        seen.incrementAndGet();
                        done.countDown();
                    }
                } finally {
                    printing.unlock();
                }
            });
            if (count == null && timeout == null) {
                UntilStopped.await(node, out, null);
                return 0;
            }
            boolean complete = timeout == null ? await(done) : done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (count != null && !complete) {
                err().println("iios events: received " + seen.get() + " of " + count + " events on '" + pattern
                        + "' within " + timeout.toMillis() + " ms");
                return 1;
            }
        }
        return 0;
    }

    private static boolean await(CountDownLatch latch) throws InterruptedException {
        latch.await();
        return true;
    }

    private static Map<String, @Nullable Object> asJson(Event event) {
        EventMeta m = event.meta();
        Map<String, @Nullable Object> meta = new LinkedHashMap<>();
        meta.put("service", m.service());
        meta.put("event", m.event());
        meta.put("instanceId", m.instanceId());
        meta.put("timestamp", m.timestamp().toString());
        meta.put("userId", m.userId());
        Map<String, @Nullable Object> line = new LinkedHashMap<>();
        line.put("meta", meta);
        line.put("payload", event.payload());
        return line;
    }
}
