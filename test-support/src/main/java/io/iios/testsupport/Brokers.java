package io.iios.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether a test may skip when a broker (or a broker binary) is missing: never with
 * {@code IIOS_REQUIRE_BROKERS=true} (environment or system property), as {@code .ci/run} sets it.
 */
public final class Brokers {
    private Brokers() {
    }

    public static boolean required() {
        String p = System.getProperty("iios.require.brokers", System.getProperty("IIOS_REQUIRE_BROKERS"));
        String e = System.getenv("IIOS_REQUIRE_BROKERS");
        return "true".equalsIgnoreCase(p) || "true".equalsIgnoreCase(e);
    }

    /** Fails the test when brokers are required, else skips it; never returns. */
    public static void skipOrFail(String reason) {
        if (required()) {
            fail(reason + " — IIOS_REQUIRE_BROKERS=true");
        }
        Assumptions.abort(reason);
    }

    /** Whether something accepts a TCP connection on {@code host:port} within 200 ms. */
    public static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A loopback port in {@code [from, from + 1000)} that is free now, and whose {@code +10000} neighbour
     * is too (Redis Cluster uses it for its bus).
     */
    public static int freePort(int from) {
        for (int i = 0; i < 200; i++) {
            int port = from + ThreadLocalRandom.current().nextInt(1000);
            if (answers("127.0.0.1", port) || port + 10000 <= 65535 && answers("127.0.0.1", port + 10000)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free port in " + from + "-" + (from + 999));
    }
}
