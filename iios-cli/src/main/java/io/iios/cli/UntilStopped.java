package io.iios.cli;

import io.iios.core.IiosNode;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a long-running subcommand alive until SIGTERM or Ctrl-C. The shutdown hook closes the node
 * (which deregisters its services), prints a last line and ends the JVM with status 0: a requested stop
 * is a clean exit, not a failure (otherwise the JVM would report 143).
 */
final class UntilStopped {
    private UntilStopped() {
    }

    static void await(IiosNode node, PrintWriter out, @Nullable String stoppedLine) throws InterruptedException {
        Thread hook = new Thread(() -> {
            try {
                node.close();
                if (stoppedLine != null) {
                    out.println(stoppedLine);
                }
                out.flush();
            } finally {
                System.out.flush();
                System.err.flush();
                Runtime.getRuntime().halt(0);
            }
        }, "iios-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            new CountDownLatch(1).await();
        } finally {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }
}
