package io.iios.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.iios.api.InstanceInfo;
import io.iios.core.extension.RequestNotSentException;
import io.iios.transport.http.internal.IntercallClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The caller side of the intercall route on its own, against a plain JDK HTTP server: the reply bytes, the typed
 * failure each status means, "not sent" for a refused connection, and a cancelled call aborting its exchange.
 */
class IntercallClientTest {
    private HttpServer server;
    private IntercallClient client;
    /** The client ports of the connections the server saw. */
    private final java.util.Set<Integer> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/iios/v1/call/", exchange -> {
            connections.add(exchange.getRemoteAddress().getPort());
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestURI().getPath().substring("/iios/v1/call/bob/".length());
            int status = method.startsWith("status") ? Integer.parseInt(method.substring(6)) : 200;
            byte[] answer = status == 200 ? body : ("answer " + status).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        client = new IntercallClient(Duration.ofSeconds(2), "application/json", false, null);
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private static InstanceInfo at(String endpoint) {
        return new InstanceInfo("bob", "bob-1", "node-1", "1", Map.of(), endpoint, Map.of(), Instant.now());
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    @DisplayName("a 200 completes with the reply envelope, on one kept-alive connection for sequential calls")
    void replies() throws Exception {
        for (int i = 0; i < 20; i++) {
            byte[] request = ("{\"id\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            byte[] reply = client.send(at(endpoint()), "echo", request, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
            assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("{\"id\":" + i + "}");
        }
        assertThat(connections).as("connections the server saw").hasSize(1);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @CsvSource({"400, io.iios.api.BadMessageException", "413, io.iios.api.BadMessageException",
            "415, io.iios.api.BadMessageException", "503, io.iios.api.ServiceUnavailableException",
            "504, io.iios.api.CallTimeoutException", "500, io.iios.api.TransportFailureException"})
    @DisplayName("a status other than 200 fails the call with the typed error it means, naming the call and the answer")
    void statuses(int status, Class<? extends Throwable> type) {
        CompletableFuture<byte[]> f = client.send(at(endpoint()), "status" + status, new byte[] {1}, Duration.ofSeconds(5));
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isExactlyInstanceOf(type)
                .hasMessageContaining("bob.status" + status).hasMessageContaining("answer " + status);
    }

    @Test
    @DisplayName("a refused connection completes with RequestNotSentException: the request certainly did not leave")
    void refused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        CompletableFuture<byte[]> f = client.send(at("http://127.0.0.1:" + port), "add", new byte[] {1},
                Duration.ofSeconds(5));
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(RequestNotSentException.class)
                .hasMessageContaining("cannot connect to http://127.0.0.1:" + port);
    }

    @Test
    @DisplayName("cancelling a call (its deadline passed) aborts the exchange: the callee sees the connection close")
    void cancelAborts() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Boolean> closedByCaller = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (java.net.Socket s = silent.accept()) {
                    java.io.InputStream in = s.getInputStream();
                    byte[] buf = new byte[4096];
                    // reads the request, never answers, until the caller closes the connection (-1)
                    while (in.read(buf) >= 0) {
                        // keep reading
                    }
                    closedByCaller.complete(true);
                } catch (IOException e) {
                    closedByCaller.complete(true); // reset by the caller: closed too
                }
            });
            CompletableFuture<byte[]> call = client.send(at("http://127.0.0.1:" + silent.getLocalPort()), "slow",
                    new byte[] {1}, Duration.ofSeconds(30));
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(50))
                    .until(() -> !call.isDone()); // in flight
            assertThat(call.cancel(true)).isTrue();
            assertThat(closedByCaller.get(10, TimeUnit.SECONDS)).isTrue();
        }
        byte[] reply = client.send(at(endpoint()), "echo", "{\"after\":1}".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("{\"after\":1}");
    }
}
