import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The bare baselines of the REST gateway measurement (docs/performance.md, "REST gateway vs a bare Helidon
 * handler"): a one-route Helidon SE server answering {@code GET /bare} with "3", or, given FORWARD_URL, one that
 * answers each request by a GET to FORWARD_URL with the JDK HttpClient (two HTTP hops, as the gateway makes).
 * Usage: scripts/with-jdk java -cp iios-cli/target/iios.jar scripts/bare-helidon.java PORT [FORWARD_URL]
 */
public class BareHelidon {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]);
        URI forward = a.length > 1 ? URI.create(a[1]) : null;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        WebServer server = WebServer.builder().port(port).host("127.0.0.1").routing(r -> r.get("/bare", (req, res) -> {
            if (forward == null) {
                res.send("3");
            } else {
                res.send(client.send(HttpRequest.newBuilder(forward).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            }
        })).build().start();
        System.out.println("bare Helidon on 127.0.0.1:" + server.port() + (forward == null ? "" : " forwarding to " + forward));
        Thread.currentThread().join();
    }
}
