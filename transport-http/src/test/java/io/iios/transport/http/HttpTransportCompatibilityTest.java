package io.iios.transport.http;

import io.iios.tck.TransportCompatibilityKit;
import io.iios.tck.TransportUnderTest;
import java.util.Map;

/** The whole TCK against the broker-less http transport, on one discovery server this test starts. */
class HttpTransportCompatibilityTest extends TransportCompatibilityKit {
    private static DiscoveryServer server;
    private static TransportUnderTest http;

    @Override
    protected TransportUnderTest transport() {
        if (http == null) {
            server = DiscoveryServer.start(Map.of("iios.http.host", "127.0.0.1", "iios.http.port", "0"));
            http = TransportUnderTest.fromProvider(new HttpTransportProvider(),
                    Map.of("iios.discovery.servers", server.url()));
        }
        return http;
    }
}
