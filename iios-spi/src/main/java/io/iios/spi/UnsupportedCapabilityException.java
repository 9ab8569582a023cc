package io.iios.spi;

/** An operation needs a {@link Capability} that the transport does not declare. */
public final class UnsupportedCapabilityException extends TransportException {
    private static final long serialVersionUID = 1L;
    private final Capability capability;

    public UnsupportedCapabilityException(String transport, Capability capability) {
        super("transport '" + transport + "' does not support " + capability
                + " (it is not among the capabilities it declares)");
        this.capability = capability;
    }

    public Capability capability() {
        return capability;
    }
}
