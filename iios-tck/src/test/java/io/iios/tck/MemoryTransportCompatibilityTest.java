package io.iios.tck;

/** The embedded memory transport passes the whole kit, every test on one shared broker. */
class MemoryTransportCompatibilityTest extends TransportCompatibilityKit {
    private static final TransportUnderTest MEMORY = TransportUnderTest.memory();

    @Override
    protected TransportUnderTest transport() {
        return MEMORY;
    }
}
