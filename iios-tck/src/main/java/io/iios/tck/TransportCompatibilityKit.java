package io.iios.tck;

import io.iios.spi.Encoder;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * Every kit, against one transport. A transport certifies itself with a test class of a few lines,
 * disabling nothing:
 *
 * <pre>{@code
 * class RedisTransportCompatibilityTest extends TransportCompatibilityKit {
 *     private static final TransportUnderTest REDIS =
 *             TransportUnderTest.fromProvider(new RedisTransportProvider(), Map.of("iios.redis.uri", uri()));
 *
 *     @Override
 *     protected TransportUnderTest transport() {
 *         return REDIS;
 *     }
 * }
 * }</pre>
 *
 * <p>Tests needing a capability the transport does not declare are skipped with a reason naming it;
 * for each undeclared capability, other tests check that the operation fails at once with
 * {@link io.iios.spi.UnsupportedCapabilityException}. The same kits run without Maven through
 * {@link TckLauncher}.
 */
public abstract class TransportCompatibilityKit {

    /** The transport under test; called once per test. */
    protected abstract TransportUnderTest transport();

    @Nested
    @DisplayName("KvStore")
    class KvStoreTests extends KvStoreKit {
        @Override
        protected TransportUnderTest transport() {
            return TransportCompatibilityKit.this.transport();
        }
    }

    @Nested
    @DisplayName("PubSub")
    class PubSubTests extends PubSubKit {
        @Override
        protected TransportUnderTest transport() {
            return TransportCompatibilityKit.this.transport();
        }
    }

    @Nested
    @DisplayName("Encoders")
    class EncoderTests extends EncoderKit {
        @Override
        protected List<Encoder> encoders() {
            return installedEncoders(TransportCompatibilityKit.this.getClass().getClassLoader());
        }
    }

    @Nested
    @DisplayName("Discovery")
    class DiscoveryTests extends DiscoveryKit {
        @Override
        protected TransportUnderTest transport() {
            return TransportCompatibilityKit.this.transport();
        }
    }

    @Nested
    @DisplayName("RPC")
    class RpcTests extends RpcKit {
        @Override
        protected TransportUnderTest transport() {
            return TransportCompatibilityKit.this.transport();
        }
    }

    @Nested
    @DisplayName("Events")
    class EventsTests extends EventsKit {
        @Override
        protected TransportUnderTest transport() {
            return TransportCompatibilityKit.this.transport();
        }
    }

    @Nested
    @DisplayName("Resilience")
    class ResilienceTests extends ResilienceKit {
        @Override
        protected TransportUnderTest transport() {
            return TransportCompatibilityKit.this.transport();
        }
    }

    @Nested
    @DisplayName("Streams")
    class StreamsTests extends StreamsKit {
        @Override
        protected TransportUnderTest transport() {
            return TransportCompatibilityKit.this.transport();
        }
    }

    @Nested
    @DisplayName("RBAC")
    class RbacTests extends RbacKit {
        @Override
        protected TransportUnderTest transport() {
            return TransportCompatibilityKit.this.transport();
        }
    }

    // ---- Kits of later issues go here, in the same shape.
}
