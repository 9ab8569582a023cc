package io.iios.transport.http.internal;

import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientConfig;
import io.iios.api.BadMessageException;
import io.iios.api.CallTimeoutException;
import io.iios.api.InstanceInfo;
import io.iios.api.ServiceUnavailableException;
import io.iios.api.TransportFailureException;
import io.iios.core.extension.CallRoute;
import io.iios.core.extension.RequestNotSentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;

/**
 * The caller side of the HTTP intercall route: {@code POST ENDPOINT/iios/v1/call/SERVICE/METHOD} with
 * the encoded request envelope, on one Helidon {@link Http1Client} per node: blocking I/O on one virtual
 * thread per call, HTTP/1.1 keep-alive connections kept in the client's own cache (reused, never one per
 * call), {@code TCP_NODELAY}. With TLS ({@code iios.http.tls.*}) the client trusts the configured trust store.
 *
 * <p>Failures say whether the request may have reached the callee: a connection that could not be opened
 * (refused, unreachable, connect timeout, TLS handshake refused) completes with
 * {@link RequestNotSentException}; anything after the request started to be written (a timeout, a
 * connection lost mid-request) with {@link CallTimeoutException} or {@link TransportFailureException},
 * which core never retries on another route.
 */
public final class IntercallClient implements CallRoute, AutoCloseable {
    public static final String PATH = "/iios/v1/call/";
    public static final String TIMEOUT_HEADER = "Iios-Timeout-Ms";
    private static final HeaderName TIMEOUT = HeaderNames.create(TIMEOUT_HEADER);
    private final Http1Client client;
    private final String contentType;
    private final boolean preferred;
    private final ThreadFactory threads = Thread.ofVirtual().name("iios-http-call").factory();

    /**
     * @param tls the TLS settings for {@code https://} endpoints (trust), or null for the JVM's defaults
     */
    public IntercallClient(Duration connectTimeout, String contentType, boolean preferred, @Nullable Tls tls) {
        Http1ClientConfig.Builder b = Http1Client.builder()
                .connectTimeout(connectTimeout)
                .shareConnectionCache(false)
                .followRedirects(false)
                .socketOptions(o -> o.tcpNoDelay(true).connectTimeout(connectTimeout));
        if (tls != null) {
            b.tls(tls);
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
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread thread = threads.newThread(() -> {
            try {
                result.complete(exchange(endpoint, target, method, request, t));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        thread.start();
        return result;
    }

    private byte[] exchange(String endpoint, InstanceInfo target, String method, byte[] request, Duration t) {
        String uri = endpoint + PATH + enc(target.service()) + "/" + enc(method);
        String call = target.service() + "." + method;
        int status;
        byte[] body;
        try (HttpClientResponse r = client.post(uri)
                .header(HeaderNames.CONTENT_TYPE, contentType)
                .header(TIMEOUT, Long.toString(t.toMillis()))
                .readTimeout(t)
                .submit(request)) {
            status = r.status().code();
            long length = r.headers().contentLength().orElse(-1L);
            body = length >= 0 && length <= Integer.MAX_VALUE - 8
                    ? r.inputStream().readNBytes((int) length) : r.entity().as(byte[].class);
        } catch (IOException e) {
            throw failure(new UncheckedIOException(e), endpoint, target, call, t);
        } catch (RuntimeException e) {
            throw failure(e, endpoint, target, call, t);
        }
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

    /** Classifies a failure: not sent (a connection could not be opened), timed out, or failed on the way. */
    static RuntimeException failure(RuntimeException e, String endpoint, InstanceInfo target, String call,
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
        if (root instanceof SocketTimeoutException) {
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
                    || c instanceof SocketTimeoutException && String.valueOf(c.getMessage()).startsWith("Connect")) {
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
        client.closeResource();
    }
}
