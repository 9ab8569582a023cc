package io.iios.transport.mqtt;

import io.iios.tck.TransportUnderTest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The TCK's RPC, events and discovery kits over TLS ({@code ssl://}, a CA made in the test) with a user name and
 * password, on a second mosquitto this test starts (anonymous clients refused). The whole TCK runs on the shared
 * broker; this proves the secured connection carries every node feature without tripling the build time.
 */
class MqttSecureCompatibilityTest {
    private static MosquittoProcess broker;
    private static TransportUnderTest target;

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static synchronized TransportUnderTest secured() {
        if (target == null) {
            broker = MosquittoProcess.startSecure();
            target = TransportUnderTest.fromProvider(new MqttTransportProvider(), Map.of(
                    MqttOptions.URI_KEY, broker.uri(),
                    MqttOptions.CA_FILE, broker.caFile().toString(),
                    MqttOptions.USERNAME, MosquittoProcess.USER,
                    MqttOptions.PASSWORD, MosquittoProcess.PASSWORD)).withBrokerControl(broker::restart);
        }
        return target;
    }

    @org.junit.jupiter.api.Nested
    @org.junit.jupiter.api.DisplayName("RPC over TLS with a password")
    class Rpc extends io.iios.tck.RpcKit {
        @Override
        protected TransportUnderTest transport() {
            return secured();
        }
    }

    @org.junit.jupiter.api.Nested
    @org.junit.jupiter.api.DisplayName("events over TLS with a password")
    class Events extends io.iios.tck.EventsKit {
        @Override
        protected TransportUnderTest transport() {
            return secured();
        }
    }

    @org.junit.jupiter.api.Nested
    @org.junit.jupiter.api.DisplayName("discovery over TLS with a password")
    class Discovery extends io.iios.tck.DiscoveryKit {
        @Override
        protected TransportUnderTest transport() {
            return secured();
        }
    }
}
