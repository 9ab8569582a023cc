package io.iios.tck;

/**
 * Optional control over the broker behind a {@link TransportUnderTest}, for the recovery tests of
 * {@link ResilienceKit}.
 */
@FunctionalInterface
public interface BrokerControl {

    /**
     * Stops the broker and starts it again at the same address, returning once it accepts
     * connections. Data need not survive; connections made before must recover by themselves.
     */
    void restartBroker();
}
