package io.iios.transport.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.iios.api.IiosException;
import io.iios.api.Service;
import io.iios.core.IiosNode;
import io.iios.testsupport.Brokers;
import io.iios.transport.nats.internal.NatsTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A 3-node NATS cluster (routes, JetStream with R3 buckets) started by {@code scripts/nats-cluster.sh}: the
 * node the gateway is connected to is killed during a stream of calls; the gateway moves to another node,
 * calls resume, and every call acknowledged to the caller was really processed by the service.
 */
class NatsClusterFailoverTest {
    private static final String NATS_SERVER = "/usr/sbin/nats-server";
    private Path dir;
    private final Path script = Path.of("..", "scripts", "nats-cluster.sh").toAbsolutePath().normalize();

    /** Records every id it processed. */
    @Service("ledger")
    public static class Ledger {
        final Set<Long> processed = ConcurrentHashMap.newKeySet();

        public long record(long id) {
            processed.add(id);
            return id;
        }
    }

    @AfterEach
    void stopCluster() throws Exception {
        if (dir != null) {
            run("stop", dir.toString());
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private void run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("script.log").toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("nats-cluster.sh " + String.join(" ", args) + " failed, see "
                    + dir.resolve("script.log") + ":\n" + Files.readString(dir.resolve("script.log")));
        }
    }

    private static int freeBase() {
        for (int i = 0; i < 100; i++) {
            int base = 18400 + 10 * ThreadLocalRandom.current().nextInt(50);
            boolean free = true;
            for (int off : new int[] {0, 1, 2, 100, 101, 102, 200, 201, 202}) {
                free &= !Brokers.answers("127.0.0.1", base + off);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range in 18400-18902");
    }

    @Test
    @DisplayName("kill the node the gateway uses during a stream of calls: it fails over, calls resume, no acknowledged call is lost")
    void failover() throws Exception {
        if (!Files.isExecutable(Path.of(NATS_SERVER))) {
            Brokers.skipOrFail("no " + NATS_SERVER);
        }
        dir = Files.createTempDirectory("iios-nats-cluster-");
        int base = freeBase();
        run("start", dir.toString(), String.valueOf(base));
        String servers = "nats://127.0.0.1:" + base + ",nats://127.0.0.1:" + (base + 1) + ",nats://127.0.0.1:" + (base + 2);

        try (NatsNodes nodes = new NatsNodes(Map.of("iios.nats.servers", servers, "iios.nats.kv-replicas", "3",
                "iios.nats.reconnect-wait", "100ms", "iios.nats.timeout", "3s"), null)) {
            Ledger ledger = new Ledger();
            IiosNode service = nodes.start(nodes.builder().service(ledger));
            IiosNode gw = nodes.start(nodes.builder().set("iios.call.timeout", "2s"));
            await().atMost(Duration.ofSeconds(20)).until(() -> gw.gateway().service("ledger").isPresent());
            NatsTransport gwTransport = (NatsTransport) gw.transport();
            String before = gwTransport.connectedUrl();
            assertThat(before).isNotNull();

            List<Long> acknowledged = new CopyOnWriteArrayList<>();
            AtomicInteger failed = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Thread caller = Thread.ofVirtual().start(() -> {
                long id = 0;
                while (!stop.get()) {
                    id++;
                    try {
                        Object r = gw.gateway().call("ledger", "record", id);
                        assertThat(((Number) r).longValue()).isEqualTo(id);
                        acknowledged.add(id);
                    } catch (IiosException e) {
                        failed.incrementAndGet(); // in flight or refused during the failover: never acknowledged
                    }
                }
            });
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() >= 50);
                run("kill", dir.toString(), String.valueOf(URI.create(before).getPort()));
                int atKill = acknowledged.size();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    String now = gwTransport.connectedUrl();
                    return gwTransport.connected() && now != null && !now.equals(before);
                });
                await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= atKill + 100);
            } finally {
                stop.set(true);
                caller.join(10_000);
            }
            assertThat(gwTransport.connectedUrl()).isNotEqualTo(before);
            assertThat(ledger.processed).as("every acknowledged call was processed").containsAll(acknowledged);
            assertThat(acknowledged).doesNotHaveDuplicates();
            // the R3 bucket survives the lost node once JetStream has re-elected its leaders
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> !service.transport().kv()
                    .keys(nodes.namespace + ":_registry:").isEmpty());
        }
    }
}
