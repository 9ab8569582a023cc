package io.iios.examples.transport;

import io.iios.tck.TransportCompatibilityKit;
import io.iios.tck.TransportUnderTest;
import java.util.Map;

/** The example transport passes the TCK: everything it declares works, everything else fails cleanly. */
class ExampleTransportCompatibilityTest extends TransportCompatibilityKit {
    private static final TransportUnderTest EXAMPLE = TransportUnderTest.fromProvider(
            new ExampleTransportProvider(), Map.of(ExampleTransportProvider.BROKER_KEY, "tck"));

    @Override
    protected TransportUnderTest transport() {
        return EXAMPLE;
    }
}
