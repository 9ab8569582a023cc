package io.iios.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iios.api.ConfigException;
import io.iios.core.internal.CallOptions;
import io.iios.core.internal.DiscoveryOptions;
import io.iios.core.internal.NodeOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {

    @TempDir
    Path dir;

    private Path file(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return p;
    }

    /** An empty properties file, so no iios.properties on the test classpath can interfere. */
    private Path noFile() {
        try {
            return file("none.properties");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    private static Map<String, String> env(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Nested
    @DisplayName("precedence: system property > environment > file > defaults")
    class Precedence {

        @Test
        @DisplayName("a system property beats the environment and the file")
        void systemPropertyWins() throws IOException {
            Path f = file("a.properties", "iios.call.timeout=1s");
            Config c = Config.load(f, env("IIOS_CALL_TIMEOUT", "2s"), props("iios.call.timeout", "3s"), Set.of());

            assertThat(c.duration(ConfigKeys.CALL_TIMEOUT)).isEqualTo(Duration.ofSeconds(3));
            assertThat(c.origin("iios.call.timeout")).hasValue("system property");
        }

        @Test
        @DisplayName("the environment beats the file")
        void environmentBeatsFile() throws IOException {
            Path f = file("a.properties", "iios.call.timeout=1s");
            Config c = Config.load(f, env("IIOS_CALL_TIMEOUT", "2s"), props(), Set.of());

            assertThat(c.duration(ConfigKeys.CALL_TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
            assertThat(c.origin("iios.call.timeout")).hasValue("environment");
        }

        @Test
        @DisplayName("the file beats the defaults")
        void fileBeatsDefaults() throws IOException {
            Path f = file("a.properties", "iios.call.timeout=1s");
            Config c = Config.load(f, env(), props(), Set.of());

            assertThat(c.duration(ConfigKeys.CALL_TIMEOUT)).isEqualTo(Duration.ofSeconds(1));
            assertThat(c.origin("iios.call.timeout")).hasValueSatisfying(o -> assertThat(o).startsWith("file "));
        }

        @Test
        @DisplayName("without any source the documented defaults apply")
        void defaultsApplyWhenNothingIsSet() throws IOException {
            Path f = file("empty.properties");
            Config c = Config.load(f, env(), props(), Set.of());

            assertThat(c.asMap()).isEmpty();
            assertThat(c.duration(ConfigKeys.CALL_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
            assertThat(c.string(ConfigKeys.NAMESPACE)).isEqualTo("iios");
            assertThat(c.string(ConfigKeys.ENCODER)).isEqualTo("json");
            assertThat(c.bytes(ConfigKeys.MESSAGE_MAX_BYTES)).isEqualTo(4L * 1024 * 1024);
            assertThat(CallOptions.from(c).balance()).isEqualTo(CallOptions.Balance.ROUND_ROBIN);
            DiscoveryOptions d = DiscoveryOptions.from(c);
            assertThat(d.ttl()).isEqualTo(Duration.ofSeconds(10));
            assertThat(d.heartbeat()).isEqualTo(Duration.ofSeconds(10).dividedBy(3));
        }

        @Test
        @DisplayName("each key takes its own highest source; lower sources still fill the other keys")
        void sourcesMergePerKey() throws IOException {
            Path f = file("a.properties", "iios.namespace=fromfile", "iios.call.timeout=1s", "iios.encoder=msgpack");
            Config c = Config.load(f, env("IIOS_CALL_TIMEOUT", "2s", "IIOS_ENCODER", "json"),
                    props("iios.encoder", "msgpack"), Set.of());

            assertThat(c.string(ConfigKeys.NAMESPACE)).isEqualTo("fromfile");
            assertThat(c.duration(ConfigKeys.CALL_TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
            assertThat(c.string(ConfigKeys.ENCODER)).isEqualTo("msgpack");
        }

        @Test
        @DisplayName("a value set in code (Config.with, Builder.set) beats every source")
        void codeBeatsEverySource() throws IOException {
            Path f = file("a.properties", "iios.call.timeout=1s");
            Config c = Config.load(f, env("IIOS_CALL_TIMEOUT", "2s"), props("iios.call.timeout", "3s"), Set.of())
                    .with("iios.call.timeout", "4s");

            assertThat(c.duration(ConfigKeys.CALL_TIMEOUT)).isEqualTo(Duration.ofSeconds(4));
            assertThat(c.origin("iios.call.timeout")).hasValue("code");
        }

        @Test
        void fileValuesAreTrimmed() throws IOException {
            Path f = file("a.properties", "iios.namespace =   spaced   ");
            Config c = Config.load(f, env(), props(), Set.of());

            assertThat(c.string(ConfigKeys.NAMESPACE)).isEqualTo("spaced");
        }

        @Test
        @DisplayName("system properties and environment variables outside iios.* / IIOS_* are ignored")
        void foreignSettingsAreIgnored() throws IOException {
            Config c = Config.load(file("empty.properties"),
                    env("PATH", "/bin", "IIOS_TEST_REDIS_URI", "redis://x", "IIOS_REQUIRE_BROKERS", "true"),
                    props("java.version", "25", "iios.require.brokers", "true"), Set.of());

            assertThat(c.asMap()).isEmpty();
        }
    }

    @Nested
    @DisplayName("which file is read")
    class FileSelection {

        @Test
        @DisplayName("IIOS_CONFIG selects the properties file")
        void iiosConfigSelectsTheFile() throws IOException {
            Path f = file("selected.properties", "iios.namespace=chosen");
            Config c = Config.load(null, env("IIOS_CONFIG", f.toString()), props(), Set.of());

            assertThat(c.string(ConfigKeys.NAMESPACE)).isEqualTo("chosen");
            assertThat(c.origin("iios.namespace")).hasValue("file " + f);
        }

        @Test
        @DisplayName("an explicit --config file wins over IIOS_CONFIG")
        void explicitFileWinsOverIiosConfig() throws IOException {
            Path viaEnv = file("env.properties", "iios.namespace=fromenvfile");
            Path explicit = file("explicit.properties", "iios.namespace=fromexplicit");
            Config c = Config.load(explicit, env("IIOS_CONFIG", viaEnv.toString()), props(), Set.of());

            assertThat(c.string(ConfigKeys.NAMESPACE)).isEqualTo("fromexplicit");
        }

        @Test
        @DisplayName("a missing --config file is a ConfigException naming the file")
        void missingExplicitFileIsAClearError() {
            Path missing = dir.resolve("does-not-exist.properties");

            assertThatThrownBy(() -> Config.load(missing, env(), props(), Set.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cannot read configuration file")
                    .hasMessageContaining(missing.toString());
        }

        @Test
        @DisplayName("a missing file named by IIOS_CONFIG is a ConfigException naming the file")
        void missingIiosConfigFileIsAClearError() {
            Path missing = dir.resolve("nowhere.properties");

            assertThatThrownBy(() -> Config.load(null, env("IIOS_CONFIG", missing.toString()), props(), Set.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(missing.toString());
        }
    }

    @Nested
    @DisplayName("environment variable names")
    class EnvironmentNames {

        @Test
        void callTimeoutMapsBothWays() {
            assertThat(ConfigKey.envName("iios.call.timeout")).isEqualTo("IIOS_CALL_TIMEOUT");
            Config c = Config.load(noFile(), env("IIOS_CALL_TIMEOUT", "750ms"), props(), Set.of());

            assertThat(c.get("iios.call.timeout")).hasValue("750ms");
        }

        @Test
        @DisplayName("IIOS_MESSAGE_MAX_BYTES reaches the kebab-case key iios.message.max-bytes")
        void kebabCaseKeyIsFoundFromItsEnvironmentName() {
            assertThat(ConfigKeys.MESSAGE_MAX_BYTES.envName()).isEqualTo("IIOS_MESSAGE_MAX_BYTES");
            Config c = Config.load(noFile(), env("IIOS_MESSAGE_MAX_BYTES", "512KiB"), props(), Set.of());

            assertThat(c.get("iios.message.max-bytes")).hasValue("512KiB");
            assertThat(c.bytes(ConfigKeys.MESSAGE_MAX_BYTES)).isEqualTo(512L * 1024);
            assertThat(c.get("iios.message.max.bytes")).isEmpty();
        }

        @Test
        @DisplayName("a transport key declared through extraKeys is reached from its environment name")
        void transportKeyFromExtraKeys() {
            Config c = Config.load(noFile(), env("IIOS_REDIS_URI", "redis://cache:6379", "IIOS_REDIS_SENTINEL_MASTER",
                    "mymaster"), props(), Set.of("iios.redis.uri", "iios.redis.sentinel-master"));

            assertThat(c.get("iios.redis.uri")).hasValue("redis://cache:6379");
            assertThat(c.get("iios.redis.sentinel-master")).hasValue("mymaster");
            assertThat(c.unknownKeys(Set.of("iios.redis.uri", "iios.redis.sentinel-master"))).isEmpty();
        }

        @Test
        @DisplayName("a kebab-case key set in the file is overridden by its environment form")
        void environmentOverridesAKebabKeyOfTheFile() throws IOException {
            Path f = file("a.properties", "iios.redis.sentinel-master=fromfile");
            Config c = Config.load(f, env("IIOS_REDIS_SENTINEL_MASTER", "fromenv"), props(), Set.of());

            assertThat(c.get("iios.redis.sentinel-master")).hasValue("fromenv");
        }
    }

    @Nested
    @DisplayName("typed values")
    class TypedValues {

        @ParameterizedTest(name = "{0} is {1} ms")
        @CsvSource({"250ms, 250", "5s, 5000", "2m, 120000", "1h, 3600000", "1d, 86400000", "PT3S, 3000",
                "PT1M30S, 90000"})
        void durations(String text, long millis) {
            Config c = Config.of(Map.of("iios.call.timeout", text));

            assertThat(c.duration(ConfigKeys.CALL_TIMEOUT)).isEqualTo(Duration.ofMillis(millis));
            assertThat(CallOptions.from(c).timeout()).isEqualTo(Duration.ofMillis(millis));
        }

        @ParameterizedTest(name = "{0} is {1} bytes")
        @CsvSource({"65536, 65536", "512KiB, 524288", "4MiB, 4194304", "1GiB, 1073741824"})
        void sizes(String text, long bytes) {
            Config c = Config.of(Map.of("iios.message.max-bytes", text));

            assertThat(c.bytes(ConfigKeys.MESSAGE_MAX_BYTES)).isEqualTo(bytes);
            assertThat(CallOptions.from(c).maxMessageBytes()).isEqualTo(bytes);
        }

        @Test
        void durationWithExplicitFallback() {
            Config c = Config.of(Map.of("iios.redis.timeout", "2s"));

            assertThat(c.duration("iios.redis.timeout", Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(2));
            assertThat(c.duration("iios.redis.other", Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(9));
        }

        @Test
        void balanceLeastInFlight() {
            Config c = Config.of(Map.of("iios.call.balance", "least-in-flight"));

            assertThat(CallOptions.from(c).balance()).isEqualTo(CallOptions.Balance.LEAST_IN_FLIGHT);
        }

        @Test
        @DisplayName("an empty value counts as unset and takes the default")
        void emptyValueIsUnset() {
            Config c = Config.of(Map.of("iios.call.timeout", ""));

            assertThat(c.get("iios.call.timeout")).isEmpty();
            assertThat(CallOptions.from(c).timeout()).isEqualTo(Duration.ofSeconds(5));
        }
    }

    @Nested
    @DisplayName("invalid values name the key, the value, the environment form and the expected form")
    class InvalidValues {

        @Test
        void callTimeoutNotADuration() {
            Config c = Config.load(noFile(), env("IIOS_CALL_TIMEOUT", "abc"), props(), Set.of());

            assertThatThrownBy(() -> CallOptions.from(c))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.call.timeout")
                    .hasMessageContaining("'abc'")
                    .hasMessageContaining("IIOS_CALL_TIMEOUT")
                    .hasMessageContaining("set by environment")
                    .hasMessageContaining("a duration such as 500ms, 5s, 1m");
        }

        @Test
        void callTimeoutZeroIsRefused() {
            Config c = Config.of(Map.of("iios.call.timeout", "0s"));

            assertThatThrownBy(() -> CallOptions.from(c))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.call.timeout")
                    .hasMessageContaining("'0s'")
                    .hasMessageContaining("a positive duration");
        }

        @Test
        void unknownBalanceStrategy() {
            Config c = Config.of(Map.of("iios.call.balance", "random"));

            assertThatThrownBy(() -> CallOptions.from(c))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.call.balance")
                    .hasMessageContaining("'random'")
                    .hasMessageContaining("IIOS_CALL_BALANCE")
                    .hasMessageContaining("round-robin or least-in-flight");
        }

        @Test
        void maxBytesNotASize() {
            Config c = Config.of(Map.of("iios.message.max-bytes", "lots"));

            assertThatThrownBy(() -> CallOptions.from(c))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.message.max-bytes")
                    .hasMessageContaining("'lots'")
                    .hasMessageContaining("IIOS_MESSAGE_MAX_BYTES")
                    .hasMessageContaining("512KiB");
        }

        @Test
        void maxBytesBelowOneKibibyte() {
            Config c = Config.of(Map.of("iios.message.max-bytes", "100"));

            assertThatThrownBy(() -> CallOptions.from(c))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.message.max-bytes")
                    .hasMessageContaining("at least 1KiB");
        }

        @Test
        @DisplayName("a heartbeat not shorter than the TTL is refused")
        void heartbeatNotShorterThanTtl() throws IOException {
            Path f = file("a.properties", "iios.discovery.ttl=2s", "iios.discovery.heartbeat=2s");
            Config c = Config.load(f, env(), props(), Set.of());

            assertThatThrownBy(() -> DiscoveryOptions.from(c))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.discovery.heartbeat")
                    .hasMessageContaining("'2s'")
                    .hasMessageContaining("IIOS_DISCOVERY_HEARTBEAT")
                    .hasMessageContaining("set by file " + f)
                    .hasMessageContaining("shorter than iios.discovery.ttl (2000ms)");
        }

        @Test
        void heartbeatLongerThanTtl() {
            Config c = Config.of(Map.of("iios.discovery.ttl", "1s", "iios.discovery.heartbeat", "5s"));

            assertThatThrownBy(() -> DiscoveryOptions.from(c))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.discovery.heartbeat")
                    .hasMessageContaining("'5s'");
        }

        @Test
        void explicitValidHeartbeatIsKept() {
            Config c = Config.of(Map.of("iios.discovery.ttl", "3s", "iios.discovery.heartbeat", "500ms"));

            assertThat(DiscoveryOptions.from(c)).isEqualTo(new DiscoveryOptions(Duration.ofSeconds(3),
                    Duration.ofMillis(500)));
        }

        @Test
        void ttlTooShort() {
            Config c = Config.of(Map.of("iios.discovery.ttl", "100ms"));

            assertThatThrownBy(() -> DiscoveryOptions.from(c))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.discovery.ttl")
                    .hasMessageContaining("'100ms'")
                    .hasMessageContaining("IIOS_DISCOVERY_TTL")
                    .hasMessageContaining("at least 300ms");
        }

        @Test
        void namespaceWithSeparator() {
            Config c = Config.of(Map.of("iios.namespace", "bad:ns"));

            assertThatThrownBy(() -> NodeOptions.from(c))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.namespace")
                    .hasMessageContaining("'bad:ns'")
                    .hasMessageContaining("IIOS_NAMESPACE")
                    .hasMessageContaining("one channel segment");
        }

        @Test
        @DisplayName("the expected form of a namespace says everything the check requires")
        void namespaceFormIsComplete() {
            Config c = Config.of(Map.of("iios.namespace", "9lives"));

            assertThatThrownBy(() -> NodeOptions.from(c))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'9lives'")
                    .hasMessageContaining("starting with a letter");
        }

        @Test
        void invalidNodeName() {
            Config c = Config.of(Map.of("iios.node.name", "my node"));

            assertThatThrownBy(() -> NodeOptions.from(c))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.node.name")
                    .hasMessageContaining("'my node'")
                    .hasMessageContaining("IIOS_NODE_NAME");
        }

        @Test
        void validNodeOptions() {
            Config c = Config.of(Map.of("iios.namespace", "shop-eu_1", "iios.node.name", "edge7",
                    "iios.transport", "memory", "iios.encoder", "msgpack"));

            assertThat(NodeOptions.from(c)).isEqualTo(new NodeOptions("shop-eu_1", java.util.Optional.of("memory"),
                    "msgpack", "edge7"));
        }

        @Test
        void invalidIntegerAndBoolean() {
            Config c = Config.of(Map.of("iios.x.count", "many", "iios.x.big", "99", "iios.x.flag", "maybe"));

            assertThatThrownBy(() -> c.integer("iios.x.count", 1, 0, 10))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.x.count").hasMessageContaining("'many'")
                    .hasMessageContaining("IIOS_X_COUNT").hasMessageContaining("an integer from 0 to 10");
            assertThatThrownBy(() -> c.integer("iios.x.big", 1, 0, 10))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'99'");
            assertThatThrownBy(() -> c.bool("iios.x.flag", false))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.x.flag").hasMessageContaining("true or false");
        }
    }

    @Nested
    @DisplayName("Iios.builder().start() fails at start on an invalid setting")
    class FailsAtStart {

        @Test
        void invalidTimeoutFailsStart() {
            Config c = Config.of(Map.of("iios.call.timeout", "abc"));

            assertThatThrownBy(() -> Iios.builder().config(c).start())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.call.timeout")
                    .hasMessageContaining("'abc'")
                    .hasMessageContaining("IIOS_CALL_TIMEOUT");
        }

        @Test
        void invalidBalanceFailsStart() {
            assertThatThrownBy(() -> Iios.builder().config(Config.of(Map.of())).set("iios.call.balance", "random")
                    .start())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.call.balance")
                    .hasMessageContaining("'random'");
        }

        @Test
        void heartbeatNotBelowTtlFailsStart() {
            Config c = Config.of(Map.of("iios.discovery.ttl", "1s", "iios.discovery.heartbeat", "1s"));

            assertThatThrownBy(() -> Iios.builder().config(c).start())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.discovery.heartbeat");
        }

        @Test
        void invalidNamespaceFailsStart() {
            Config c = Config.of(Map.of("iios.namespace", "bad:ns"));

            assertThatThrownBy(() -> Iios.builder().config(c).start())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("iios.namespace")
                    .hasMessageContaining("'bad:ns'");
        }

        @Test
        void unknownEncoderFailsStart() {
            Config c = Config.of(Map.of("iios.encoder", "xml"));

            assertThatThrownBy(() -> Iios.builder().config(c).start())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'xml'")
                    .hasMessageContaining("json")
                    .hasMessageContaining("msgpack");
        }
    }

    @Nested
    @DisplayName("unknown keys")
    class UnknownKeys {

        @Test
        @DisplayName("an unknown iios.* key in the file is reported with its origin")
        void unknownFileKeyWithOrigin() throws IOException {
            Path f = file("a.properties", "iios.call.timout=3s", "iios.namespace=ok", "other.tool.key=1");
            Config c = Config.load(f, env(), props(), Set.of());

            assertThat(c.unknownKeys(Set.of())).containsExactly("iios.call.timout (file " + f + ")");
        }

        @Test
        void unknownSystemPropertyWithOrigin() {
            Config c = Config.load(noFile(), env(), props("iios.colour", "blue"), Set.of());

            assertThat(c.unknownKeys(Set.of())).containsExactly("iios.colour (system property)");
        }

        @Test
        @DisplayName("keys a transport declares are not unknown")
        void transportKeysAreKnown() throws IOException {
            Path f = file("a.properties", "iios.redis.uri=redis://x", "iios.nats.url=nats://y");
            Config c = Config.load(f, env(), props(), Set.of("iios.redis.uri"));

            assertThat(c.unknownKeys(Set.of("iios.redis.uri"))).containsExactly("iios.nats.url (file " + f + ")");
        }

        @Test
        void everyCoreKeyIsKnown() {
            Map<String, String> all = new HashMap<>();
            ConfigKeys.ALL.forEach(k -> all.put(k.key(), "x"));

            assertThat(Config.of(all).unknownKeys(Set.of())).isEmpty();
        }
    }
}
