package io.iios.transport.http.internal;

import io.iios.api.BadMessageException;
import io.iios.api.CallTimeoutException;
import io.iios.api.InstanceInfo;
import io.iios.api.ServiceUnavailableException;
import io.iios.api.TransportFailureException;
import io.iios.core.extension.CallRoute;
import io.iios.core.extension.RequestNotSentException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;

/**
 * The caller side of the HTTP intercall route: {@code POST ENDPOINT/iios/v1/call/SERVICE/METHOD} with
 * the encoded request envelope, on one JDK {@link HttpClient} per node (HTTP/1.1 keep-alive: connections are
 * reused, never one per call). Each call is the client's blocking {@code send} on a virtual thread of its own,
 * which completes the returned future. With TLS ({@code iios.http.tls.*}) the client trusts the configured trust
 * store.
 *
 * <p>Failures say whether the request may have reached the callee: a connection that could not be opened
 * (refused, unreachable, connect timeout, TLS handshake refused) completes with
 * {@link RequestNotSentException}; anything after the request started to be written (a timeout, a
 * connection lost mid-request) with {@link CallTimeoutException} or {@link TransportFailureException}.
 *
 * <p>No per-request {@link HttpRequest.Builder#timeout}: the JDK client registers and cancels a timer on its
 * selector thread for each such request (a lock and a selector wake-up per call, measured in docs/performance.md).
 * The callee bounds its wait by the {@value #TIMEOUT_HEADER} header and answers 504; the caller's own deadline
 * ends the call and cancels the returned future, which aborts the exchange.
 */
public final class IntercallClient implements CallRoute, AutoCloseable {
    public static final String PATH = "/iios/v1/call/";
    public static final String TIMEOUT_HEADER = "Iios-Timeout-Ms";
    private final HttpClient client;
    private final java.util.concurrent.ExecutorService virtualThreads =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private final String contentType;
    private final boolean preferred;
    private final java.util.Map<Target, URI> uris = new java.util.concurrent.ConcurrentHashMap<>();

    private record Target(String endpoint, String service, String method) {
    }

    /**
     * @param ssl the trust for {@code https://} endpoints, or null for the JVM's defaults
     */
    public IntercallClient(Duration connectTimeout, String contentType, boolean preferred, @Nullable SSLContext ssl) {
        // measured (docs/performance.md): a virtual-thread executor for the client's own tasks costs the least
        // CPU per call; Helidon's blocking Http1Client (one epoll registration per read) cost about 50% more
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(virtualThreads);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.client = b.build();
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
            return CompletableFuture.failedFuture(new RequestNotSentException("instance " + target.instanceId()
                    + " advertises no HTTP endpoint", null));
        }
        Duration t = timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout;
        URI uri = uri(endpoint, target.service(), method);
        HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                .header(TIMEOUT_HEADER, Long.toString(t.toMillis()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build();
        String call = target.service() + "." + method;
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        // the blocking send on a virtual thread of its own: the public sendAsync completes every exchange on
        // the common fork-join pool (one platform thread on 2 cores), an extra hand-off per call and, with many
        // calls in flight, a queue in front of that one thread (docs/performance.md)
        Thread exchange = Thread.ofVirtual().name("iios-http-call").unstarted(() -> {
            try {
                HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
                answer.complete(interpret(r.statusCode(), r.body(), call, endpoint));
            } catch (InterruptedException e) {
                answer.completeExceptionally(new CallTimeoutException("HTTP intercall to " + call + " at " + endpoint
                        + " abandoned (the caller's deadline passed)"));
            } catch (IOException | RuntimeException e) {
                answer.completeExceptionally(e instanceof io.iios.api.IiosException ? e
                        : failure(e, endpoint, target, call, t));
            }
        });
        answer.whenComplete((r, e) -> {
            if (e instanceof java.util.concurrent.CancellationException) {
                exchange.interrupt(); // the caller gave up (its deadline): the client aborts the exchange
            }
        });
        exchange.start();
        return answer;
    }

    /** The reply envelope of a 200, or the typed failure its status means. */
    private static byte[] interpret(int status, byte[] body, String call, String endpoint) {
        return switch (status) {
            case 200 -> body;
            case 413, 400, 415 -> throw new BadMessageException("HTTP intercall to " + call + " refused (" + status
                    + "): " + text(body));
            case 503 -> throw new ServiceUnavailableException("HTTP intercall to " + call + " at " + endpoint + ": "
                    + text(body));
            case 504 -> throw new CallTimeoutException("HTTP intercall to " + call + " at " + endpoint + ": "
                    + text(body));
            default -> throw new TransportFailureException("HTTP intercall to " + call + " at " + endpoint
                    + " answered " + status + ": " + text(body));
        };
    }

    private URI uri(String endpoint, String service, String method) {
        Target key = new Target(endpoint, service, method);
        URI u = uris.get(key);
        if (u == null) {
            if (uris.size() > 10_000) {
                uris.clear(); // endpoints come and go: a bound, not an eviction policy
            }
            u = URI.create(endpoint + PATH + enc(service) + "/" + enc(method));
            uris.put(key, u);
        }
        return u;
    }

    /** Classifies a failure: not sent (a connection could not be opened), timed out, or failed on the way. */
    static RuntimeException failure(Throwable e, String endpoint, InstanceInfo target, String call,
            Duration t) {
        Throwable root = e;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                root = c;
                if (c instanceof ConnectException || c instanceof NoRouteToHostException
                        || c instanceof UnknownHostException || c instanceof SSLHandshakeException) {
                    break;
                }
            }
        }
        if (isConnectFailure(e)) {
            String why = root instanceof SSLException
                    ? "TLS handshake failed (does iios.http.tls.truststore trust its certificate?): " + root.getMessage()
                    : String.valueOf(root.getMessage() == null ? root : root.getMessage());
            return new RequestNotSentException("HTTP intercall to " + call + ": cannot connect to " + endpoint
                    + " (instance " + target.instanceId() + "): " + why, e);
        }
        if (root instanceof HttpTimeoutException || root instanceof SocketTimeoutException) {
            return new CallTimeoutException("no reply from " + call + " (instance " + target.instanceId() + ", HTTP "
                    + endpoint + ") within " + t.toMillis() + " ms");
        }
        return new TransportFailureException("HTTP intercall to " + call + " at " + endpoint + " failed: " + root, e);
    }

    /** True when the connection could not be opened: no byte of the request was written. */
    private static boolean isConnectFailure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof NoRouteToHostException
                    || c instanceof UnknownHostException || c instanceof SSLHandshakeException
                    || c instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        client.shutdownNow();
        virtualThreads.shutdownNow();
    }
}
