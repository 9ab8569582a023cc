import io.iios.core.internal.codec.JsonEncoderProvider;
import io.iios.core.internal.codec.MsgpackEncoderProvider;
import io.iios.core.internal.wire.*;
import io.iios.spi.Encoder;
import java.util.*;
/** The four envelopes of one bob.add call (request and reply, encode and decode+validate): map path vs EnvelopeCodec,
 * alternating rounds in one JVM, single thread. A hand-timed loop, not JMH: read it as a ratio between the two paths of one run.
 * Usage: scripts/with-jdk java -cp iios-cli/target/iios.jar scripts/envelope-loop.java json|msgpack */
public class EnvelopeLoop {
    static long sink;
    public static void main(String[] a) {
        Encoder e = a[0].equals("json") ? new JsonEncoderProvider().create() : new MsgpackEncoderProvider().create();
        EnvelopeCodec c = (EnvelopeCodec) e;
        Wire.Request req = new Wire.Request(123456, "bob", "add", Arrays.asList(1, 2), "bench:_reply:node-abcdef",
            System.currentTimeMillis() + 30000, null, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "node-abcdef", false);
        Wire.Reply rep = Wire.Reply.success(123456, 3);
        int n = 200_000;
        for (int round = 0; round < 12; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                byte[] b = e.encode(req.toMap());
                Wire.Request r = Wire.Request.from(Wire.asMap(e.decode(b)));
                byte[] b2 = e.encode(rep.toMap());
                Wire.Reply p = Wire.Reply.from(Wire.asMap(e.decode(b2)));
                sink += r.id() + p.id() + b.length;
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                byte[] b = c.encodeRequest(req);
                Wire.Request r = Wire.Request.from(c.decodeEnvelope(b));
                byte[] b2 = c.encodeReply(rep);
                Wire.Reply p = Wire.Reply.from(c.decodeEnvelope(b2));
                sink += r.id() + p.id() + b.length;
            }
            long t2 = System.nanoTime();
            if (round >= 2) System.out.printf("%s round %d: map path %.2f us/call, EnvelopeCodec %.2f us/call (load %s)%n", a[0], round,
                (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, loadavg());
        }
    }
    static String loadavg() { try { return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).substring(0, 14); } catch (Exception x) { return "?"; } }
}
