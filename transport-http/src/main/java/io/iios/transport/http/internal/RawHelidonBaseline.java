package io.iios.transport.http.internal;

import io.helidon.webserver.WebServer;
import io.iios.spi.BenchBaseline;
import io.iios.spi.TransportConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The bare baseline for {@code iios bench --transport http --baseline}: a Helidon SE server whose one route
 * reads the POSTed body and answers a few bytes, and a JDK {@link HttpClient} (HTTP/1.1 keep-alive, virtual-thread
 * executor) POSTing to it from {@code concurrency} virtual threads, each sending its next request when the
 * previous answer has arrived — the same client and server as the intercall route, with no framework.
 */
public final class RawHelidonBaseline implements BenchBaseline {

    @Override
    public String transport() {
        return HttpTransport.NAME;
    }

    @Override
    public String description() {
        return "bare: JDK HttpClient POST (HTTP/1.1 keep-alive) from virtual threads to a one-route Helidon SE "
                + "WebServer that reads the body and answers 3 bytes";
    }

    @Override
    public long run(TransportConfig config, int concurrency, int payloadBytes, Duration duration,
            LongConsumer latencyNanos) throws Exception {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        byte[] answer = "{3}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        WebServer server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .connectionOptions(o -> o.tcpNoDelay(true))
                .routing(r -> r.post("/bare", (req, res) -> {
                    req.content().as(byte[].class);
                    res.send(answer);
                }))
                .build().start();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build();
        AtomicLong failures = new AtomicLong();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/bare");
            byte[] payload = new byte[payloadBytes];
            long stopAt = System.nanoTime() + duration.toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    while (System.nanoTime() - stopAt < 0) {
                        long start = System.nanoTime();
                        try {
                            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
                            if (r.statusCode() == 200) {
                                latencyNanos.accept(System.nanoTime() - start);
                            } else {
                                failures.incrementAndGet();
                            }
                        } catch (java.io.IOException | RuntimeException e) {
                            failures.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            client.shutdownNow();
            server.stop();
        }
        return failures.get();
    }
}
