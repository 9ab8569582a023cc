package io.iios.transport.http.internal;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.iios.spi.BenchBaseline;
import io.iios.spi.TransportConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The bare-Helidon baseline for {@code iios bench --transport http --baseline}: a Helidon SE server whose one
 * route reads the POSTed body and answers a few bytes, and a Helidon {@link Http1Client} (keep-alive,
 * {@code TCP_NODELAY}) POSTing to it from {@code concurrency} virtual threads, each sending its next request
 * when the previous answer has arrived — the same client and server as the intercall route, with no framework.
 */
public final class RawHelidonBaseline implements BenchBaseline {

    @Override
    public String transport() {
        return HttpTransport.NAME;
    }

    @Override
    public String description() {
        return "bare Helidon SE: Http1Client POST (keep-alive, TCP_NODELAY) from virtual threads to a one-route "
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
                .routing(r -> r.post("/bare", (req, res) -> {
                    req.content().as(byte[].class);
                    res.send(answer);
                }))
                .build().start();
        Http1Client client = Http1Client.builder().shareConnectionCache(false)
                .socketOptions(o -> o.tcpNoDelay(true)).build();
        AtomicLong failures = new AtomicLong();
        try {
            String uri = "http://127.0.0.1:" + server.port() + "/bare";
            byte[] payload = new byte[payloadBytes];
            long stopAt = System.nanoTime() + duration.toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    while (System.nanoTime() - stopAt < 0) {
                        long start = System.nanoTime();
                        try (HttpClientResponse r = client.post(uri)
                                .header(HeaderNames.CONTENT_TYPE, "application/json").submit(payload)) {
                            r.entity().as(byte[].class);
                            if (r.status().code() == 200) {
                                latencyNanos.accept(System.nanoTime() - start);
                            } else {
                                failures.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failures.incrementAndGet();
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            client.closeResource();
            server.stop();
        }
        return failures.get();
    }
}
