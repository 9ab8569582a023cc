import io.iios.core.*;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.atomic.*;
/** CPU time and heap allocation per call of bob.add through one node (it hosts bob and calls it), a figure a loaded
 * machine disturbs less than calls/s (allocation not at all): a warm-up round, then three measured rounds.
 * Usage: scripts/with-jdk java -cp iios-cli/target/iios.jar scripts/cpu-per-call.java TRANSPORT CONCURRENCY CALLS [iios.key=value ...] */
public class CpuPerCall {
    public static void main(String[] a) throws Exception {
        String transport = a[0]; int conc = Integer.parseInt(a[1]); int n = Integer.parseInt(a[2]);
        Map<String,String> c = new HashMap<>(Map.of("iios.namespace","cpu" + System.nanoTime(),"iios.transport",transport));
        for (int i = 3; i < a.length; i++) { String[] kv = a[i].split("=", 2); c.put(kv[0], kv[1]); }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var tm = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (IiosNode node = Iios.builder().config(Config.of(c)).service(new io.iios.cli.BenchService()).start()) {
            node.gateway().waitForService("bob", Duration.ofSeconds(10));
            run(node, conc, n); // warm-up
            for (int r = 0; r < 3; r++) {
                long cpu0 = os.getProcessCpuTime(), t0 = System.nanoTime(), al0 = tm.getTotalThreadAllocatedBytes();
                run(node, conc, n);
                long cpu = os.getProcessCpuTime() - cpu0, t = System.nanoTime() - t0, al = tm.getTotalThreadAllocatedBytes() - al0;
                System.out.printf("%s conc %d calls %d: %.0f calls/s wall, %.1f us CPU per call, %d bytes allocated per call%n", transport, conc, n, n / (t / 1e9), cpu / 1e3 / n, al / n);
            }
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
