import io.iios.core.*;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.atomic.*;
/**
 * CPU cost per call of the HTTP intercall route, a figure less disturbed by a loaded machine than calls/s:
 * one broker-less node (its own discovery server) hosting bob and calling bob.add over its own HTTP route from
 * CONCURRENCY virtual threads, CALLS/2 warm-up calls, then CALLS measured; prints calls/s and the process CPU
 * time per call (both sides of the call are in this process).
 * Usage: scripts/with-jdk java -cp iios-cli/target/iios.jar scripts/http-cpu-per-call.java CONCURRENCY CALLS
 */
public class CpuPerCall {
    public static void main(String[] a) throws Exception {
        int conc = Integer.parseInt(a[0]); int n = Integer.parseInt(a[1]);
        Map<String,String> c = Map.of("iios.namespace","cpu","iios.transport","http","iios.discovery.server","true");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (IiosNode node = Iios.builder().config(Config.of(c)).service(new io.iios.cli.BenchService()).start()) {
            node.gateway().waitForService("bob", Duration.ofSeconds(10));
            run(node, conc, n / 2); // warm-up
            long cpu0 = os.getProcessCpuTime(), t0 = System.nanoTime();
            run(node, conc, n);
            long cpu = os.getProcessCpuTime() - cpu0, t = System.nanoTime() - t0;
            System.out.printf("conc %d calls %d: %.0f calls/s wall, %.1f us CPU per call%n", conc, n, n / (t / 1e9), cpu / 1e3 / n);
        }
    }
    static void run(IiosNode node, int conc, int n) throws Exception {
        AtomicInteger left = new AtomicInteger(n);
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < conc; i++) ts.add(Thread.ofVirtual().start(() -> {
            while (left.decrementAndGet() >= 0) node.gateway().call("bob", "add", 1, 2);
        }));
        for (Thread x : ts) x.join();
    }
}
