package io.iios.transport.http.internal;

import io.iios.api.BadMessageException;
import io.iios.api.CallTimeoutException;
import io.iios.api.InstanceInfo;
import io.iios.api.ServiceUnavailableException;
import io.iios.api.TransportFailureException;
import io.iios.core.extension.CallRoute;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The caller side of the HTTP intercall route: {@code POST ENDPOINT/iios/v1/call/SERVICE/METHOD} with
 * the encoded request envelope, on one JDK {@link HttpClient} per node (HTTP/1.1 with keep-alive:
 * connections are reused, never one per call).
 */
public final class IntercallClient implements CallRoute, AutoCloseable {
    public static final String PATH = "/iios/v1/call/";
    public static final String TIMEOUT_HEADER = "Iios-Timeout-Ms";
    private final HttpClient client;
    private final String contentType;
    private final boolean preferred;

    public IntercallClient(Duration connectTimeout, String contentType, boolean preferred) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build();
        this.contentType = contentType;
        this.preferred = preferred;
    }

    /** The content type of an encoder's envelopes. */
    public static String contentType(String encoderName) {
        return encoderName.equals("json") ? "application/json" : "application/" + encoderName;
    }

    @Override
    public boolean preferred() {
        return preferred;
    }

    @Override
    public CompletableFuture<byte[]> send(InstanceInfo target, String method, byte[] request, Duration timeout) {
        String endpoint = target.httpEndpoint();
        if (endpoint == null) {
            return CompletableFuture.failedFuture(new TransportFailureException("instance " + target.instanceId()
                    + " advertises no HTTP endpoint"));
        }
        URI uri = URI.create(endpoint + PATH + enc(target.service()) + "/" + enc(method));
        Duration t = timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout;
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(t).header("Content-Type", contentType)
                .header(TIMEOUT_HEADER, Long.toString(t.toMillis()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build();
        String call = target.service() + "." + method;
        return client.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).handle((r, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof HttpTimeoutException) {
                    throw new CallTimeoutException("no reply from " + call + " (instance " + target.instanceId() + ", HTTP " + endpoint
                            + ") within " + t.toMillis() + " ms");
                }
                throw new TransportFailureException("HTTP intercall to " + call + " at " + endpoint
                        + " failed: " + cause, cause);
            }
            String detail = new String(r.body(), StandardCharsets.UTF_8);
            return switch (r.statusCode()) {
                case 200 -> r.body();
                case 413, 400, 415 -> throw new BadMessageException("HTTP intercall to " + call
                        + " refused (" + r.statusCode() + "): " + detail);
                case 503 -> throw new ServiceUnavailableException("HTTP intercall to " + call
                        + " at " + endpoint + ": " + detail);
                case 504 -> throw new CallTimeoutException("HTTP intercall to " + call + " at "
                        + endpoint + ": " + detail);
                default -> throw new TransportFailureException("HTTP intercall to " + call + " at "
                        + endpoint + " answered " + r.statusCode() + ": " + detail);
            };
        });
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
