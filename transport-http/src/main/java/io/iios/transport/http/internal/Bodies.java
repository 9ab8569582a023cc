package io.iios.transport.http.internal;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Reads request bodies with a size bound (413) and a bound on the total time the body may take (408). */
final class Bodies {

    /** The body was larger than allowed. */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message, null, false, false);
        }
    }

    /** The client took longer than allowed to send its body. */
    static final class TooSlow extends Exception {
        private static final long serialVersionUID = 1L;

        TooSlow(String message) {
            super(message, null, false, false);
        }
    }

    private Bodies() {
    }

    /** The declared length, or -1. */
    static long declaredLength(ServerRequest req) {
        return req.headers().contentLength().orElse(-1L);
    }

    /**
     * The body, or null when it was too large (413) or too slow (408, connection closed): then the answer, in
     * plain text, has been sent. For the routes whose errors are plain text (the REST gateway sends problems).
     */
    static byte @Nullable [] readOrAnswer(ServerRequest req, ServerResponse res, long max, Duration within)
            throws IOException {
        try {
            return read(req, max, within);
        } catch (TooLarge e) {
            res.status(Status.REQUEST_ENTITY_TOO_LARGE_413).send(e.getMessage());
        } catch (TooSlow e) {
            res.header(HeaderNames.CONNECTION, "close");
            res.status(Status.REQUEST_TIMEOUT_408).send(e.getMessage());
        }
        return null;
    }

    static byte[] read(ServerRequest req, long max, Duration within) throws IOException, TooLarge, TooSlow {
        long declared = declaredLength(req);
        if (declared > max) {
            throw new TooLarge("the body of " + declared + " bytes is over the limit of " + max
                    + " bytes (iios.http.max-body)");
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        long deadline = System.nanoTime() + within.toNanos();
        if (declared >= 0 && declared <= 65536) {
            // the common case: a small body of known length, read straight into its array
            byte[] body = new byte[(int) declared];
            int at = 0;
            try (InputStream in = req.content().inputStream()) {
                while (at < body.length) {
                    int n = in.read(body, at, body.length - at);
                    if (n < 0) {
                        return java.util.Arrays.copyOf(body, at);
                    }
                    at += n;
                    if (at < body.length && System.nanoTime() - deadline > 0) {
                        throw new TooSlow("the body took longer than " + within.toMillis()
                                + " ms to arrive (iios.http.read-timeout)");
                    }
                }
            }
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
        byte[] buf = new byte[16384];
        try (InputStream in = req.content().inputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                if (out.size() > max) {
                    throw new TooLarge("the body is over the limit of " + max + " bytes (iios.http.max-body)");
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new TooSlow("the body took longer than " + within.toMillis()
                            + " ms to arrive (iios.http.read-timeout)");
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("payload")) {
                throw new TooLarge("the body is over the limit of " + max + " bytes (iios.http.max-body)");
            }
            throw e;
        }
        return out.toByteArray();
    }

    static String contentType(ServerRequest req) {
        return req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
    }
}
