package io.iios.transport.mqtt;

import io.iios.spi.Capability;
import io.iios.spi.Transport;
import io.iios.spi.TransportListener;
import io.iios.tck.BrokerControl;
import io.iios.tck.TransportUnderTest;
import java.util.Optional;
import java.util.Set;

/** A TCK target whose {@code brokerControl()} kills and restarts a test-owned mosquitto. */
final class RestartableTarget {
    private RestartableTarget() {
    }

    static TransportUnderTest of(TransportUnderTest base, MosquittoProcess broker) {
        return new TransportUnderTest() {
            @Override
            public String name() {
                return base.name();
            }

            @Override
            public Set<Capability> capabilities() {
                return base.capabilities();
            }

            @Override
            public Transport connect(TransportListener listener) {
                return base.connect(listener);
            }

            @Override
            public Optional<BrokerControl> brokerControl() {
                return Optional.of(() -> {
                    broker.kill();
                    broker.startAgain();
                });
            }

            @Override
            public String toString() {
                return base + " on " + broker.uri();
            }
        };
    }
}
