package io.iios.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iios.api.ConfigException;
import io.iios.core.internal.ProviderSelection;
import io.iios.core.internal.memory.MemoryTransportProvider;
import io.iios.core.testprovider.FakeBrokerTransportProvider;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportListener;
import io.iios.spi.TransportProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** Design §3: deterministic transport selection with actionable errors, never "first on the classpath". */
class TransportSelectionTest {

    private static final TransportProvider MEMORY = new MemoryTransportProvider();

    private static ClassLoader loader() {
        return TransportSelectionTest.class.getClassLoader();
    }

    /** Runs an action and returns what it logged (slf4j-simple writes to System.err). */
    private static <T> String stderrOf(Supplier<T> action, T[] result) {
        PrintStream original = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            result[0] = action.get();
        } finally {
            System.setErr(original);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Nested
    @DisplayName("ProviderSelection.transport")
    class Rules {

        @Test
        @ResourceLock(Resources.SYSTEM_ERR)
        @DisplayName("only memory available: memory is used, said in one INFO line")
        void memoryOnlyPicksMemoryWithOneInfoLine() {
            TransportProvider[] chosen = new TransportProvider[1];
            String log = stderrOf(() -> ProviderSelection.transport(Optional.empty(), List.of(MEMORY)), chosen);

            assertThat(chosen[0]).isSameAs(MEMORY);
            List<String> lines = log.lines().filter(l -> l.contains("in-memory transport")).toList();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).contains("INFO").contains(ProviderSelection.class.getName());
        }

        @Test
        @DisplayName("no provider at all still falls back to the embedded memory transport")
        void noProviderFallsBackToMemory() {
            TransportProvider p = ProviderSelection.transport(Optional.empty(), List.of());

            assertThat(p.name()).isEqualTo("memory");
        }

        @Test
        @DisplayName("exactly one non-memory provider is used without configuration")
        void singleBrokerTransportIsUsed() {
            TransportProvider fake = new FakeBrokerTransportProvider();

            assertThat(ProviderSelection.transport(Optional.empty(), List.of(MEMORY, fake))).isSameAs(fake);
            assertThat(ProviderSelection.transport(Optional.empty(), List.of(fake, MEMORY))).isSameAs(fake);
        }

        @Test
        @DisplayName("two non-memory providers: the error lists both and asks for iios.transport")
        void twoBrokerTransportsNeedAChoice() {
            List<TransportProvider> available = List.of(MEMORY, new FakeBrokerTransportProvider("zeta"),
                    new FakeBrokerTransportProvider("alpha"));

            assertThatThrownBy(() -> ProviderSelection.transport(Optional.empty(), available))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("[alpha, zeta]")
                    .hasMessageContaining("iios.transport")
                    .hasMessageContaining("IIOS_TRANSPORT");
        }

        @Test
        @DisplayName("two non-memory providers: naming one selects it")
        void twoBrokerTransportsWithAChoice() {
            TransportProvider alpha = new FakeBrokerTransportProvider("alpha");
            TransportProvider zeta = new FakeBrokerTransportProvider("zeta");

            assertThat(ProviderSelection.transport(Optional.of("zeta"), List.of(MEMORY, alpha, zeta))).isSameAs(zeta);
        }

        @Test
        @DisplayName("an unknown name: the error lists the available names")
        void unknownNameListsAvailable() {
            List<TransportProvider> available = List.of(MEMORY, new FakeBrokerTransportProvider());

            assertThatThrownBy(() -> ProviderSelection.transport(Optional.of("kafka"), available))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'kafka'")
                    .hasMessageContaining("iios.transport")
                    .hasMessageContaining("[fake, memory]");
        }

        @Test
        @DisplayName("a known transport whose jar is missing: the error names the artifact to add")
        void missingKnownTransportNamesTheArtifact() {
            assertThatThrownBy(() -> ProviderSelection.transport(Optional.of("redis"), List.of(MEMORY)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("[memory]")
                    .hasMessageContaining("io.iios:iios-transport-redis");
        }

        @Test
        @DisplayName("iios.transport=memory picks memory even with a broker transport present")
        void explicitMemoryWinsOverBrokerTransport() {
            TransportProvider p = ProviderSelection.transport(Optional.of("memory"),
                    List.of(new FakeBrokerTransportProvider(), MEMORY));

            assertThat(p).isSameAs(MEMORY);
        }

        @Test
        @DisplayName("two providers with one name are an error naming both classes")
        void duplicateNamesAreAnError() {
            List<TransportProvider> available = List.of(new FakeBrokerTransportProvider(),
                    new FakeBrokerTransportProvider());

            assertThatThrownBy(() -> ProviderSelection.transport(Optional.of("fake"), available))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'fake'")
                    .hasMessageContaining(FakeBrokerTransportProvider.class.getName());
        }
    }

    @Nested
    @DisplayName("end to end through ServiceLoader (test provider 'fake' on the classpath)")
    class ThroughServiceLoader {

        @Test
        void serviceLoaderFindsMemoryAndTheTestProvider() {
            List<String> names = ProviderSelection.transports(loader()).stream().map(TransportProvider::name).toList();

            assertThat(names).containsExactlyInAnyOrder("memory", "fake");
        }

        @Test
        void serviceLoaderFindsBothEncoders() {
            assertThat(ProviderSelection.encoders(loader()).stream().map(p -> p.name()).toList())
                    .containsExactlyInAnyOrder("json", "msgpack");
        }

        @Test
        @DisplayName("without iios.transport a node uses the only broker transport on the classpath")
        void nodeUsesTheOnlyBrokerTransport() {
            try (IiosNode node = Iios.builder().config(Config.of(Map.of())).start()) {
                assertThat(node.transport().name()).isEqualTo("fake");
            }
        }

        @Test
        @DisplayName("iios.transport=memory makes a node use memory although 'fake' is on the classpath")
        void nodeHonoursExplicitMemory() {
            try (IiosNode node = Iios.builder().config(Config.of(Map.of("iios.transport", "memory"))).start()) {
                assertThat(node.transport().name()).isEqualTo("memory");
            }
        }

        @Test
        @DisplayName("an unknown iios.transport fails the node's start, listing what is available")
        void nodeWithUnknownTransportFailsAtStart() {
            assertThatThrownBy(() -> Iios.builder().config(Config.of(Map.of())).set("iios.transport", "kafka").start())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'kafka'")
                    .hasMessageContaining("[fake, memory]");
        }

        @Test
        @DisplayName("each create of the test provider makes a private broker")
        void testProviderInstancesAreIsolated() {
            TransportProvider fake = new FakeBrokerTransportProvider();
            TransportConfig cfg = TransportConfig.of("iios", Map.of(), TransportListener.NONE);
            try (var a = fake.create(cfg); var b = fake.create(cfg)) {
                a.kv().put("iios:isolation:k", new byte[] {1});

                assertThat(a.kv().get("iios:isolation:k")).isPresent();
                assertThat(b.kv().get("iios:isolation:k")).isEmpty();
                assertThat(a.name()).isEqualTo("fake");
            }
        }
    }
}
