package io.iios.transport.nats;

import io.iios.tck.TransportCompatibilityKit;
import io.iios.tck.TransportUnderTest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole TCK against the shared local NATS ({@code IIOS_TEST_NATS_URL}, else 127.0.0.1:4222), with a
 * namespace (so a KV bucket) of its own, deleted at the end.
 */
class NatsTransportCompatibilityTest extends TransportCompatibilityKit {
    private static final String NAMESPACE = NatsTestSupport.namespace();
    private static TransportUnderTest nats;

    @AfterAll
    static void deleteBucket() {
        NatsTestSupport.deleteBucket(NatsTestSupport.url(), NAMESPACE);
    }

    @Override
    protected TransportUnderTest transport() {
        if (nats == null) {
            nats = TransportUnderTest.fromProvider(new NatsTransportProvider(),
                    Map.of("iios.nats.servers", NatsTestSupport.requireNats(), "iios.namespace", NAMESPACE));
        }
        return nats;
    }
}
