package io.iios.transport.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MqttNamesTest {

    @Test
    @DisplayName("channels map to topics, wildcards to + and #, reserved characters to %HH")
    void mapping() {
        assertThat(MqttNames.topic("iios:bob:event:coucou")).isEqualTo("iios/bob/event/coucou");
        assertThat(MqttNames.filter("iios:*:event:>")).isEqualTo("iios/+/event/#");
        assertThat(MqttNames.topic("ns:a/b:c+d:#:$sys:a$:50%")).isEqualTo("ns/a%2Fb/c%2Bd/%23/%24sys/a$/50%25");
        assertThat(MqttNames.topic("ns:a\u0000b:c\u0085d")).isEqualTo("ns/a%00b/c%85d");
        assertThat(MqttNames.shared("workers", "ns/jobs/#")).isEqualTo("$share/workers/ns/jobs/#");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ns:a.b", "ns:a/b:c", "ns:+:#", "ns:$x", "ns:50%:%2F", "ns:ünï:日本:\uD83D\uDE00",
        "ns:a\tb", "ns:\u0085"})
    @DisplayName("topic -> channel is the exact inverse")
    void roundTrip(String channel) {
        assertThat(MqttNames.channel(MqttNames.topic(channel))).isEqualTo(channel);
    }

    @Test
    @DisplayName("KV keys live under ns/%kv/; neither KV nor fence topics nor non-canonical topics read as channels")
    void kvAndForeignTopics() {
        assertThat(MqttNames.keyTopic("ns:_registry:bob:x1")).isEqualTo("ns/%kv/_registry/bob/x1");
        assertThat(MqttNames.key("ns/%kv/_registry/bob/x1")).isEqualTo("ns:_registry:bob:x1");
        assertThat(MqttNames.key("ns/%kv")).isEqualTo("ns");
        assertThat(MqttNames.key("ns/bob/x")).isNull();
        assertThat(MqttNames.channel("ns/%kv/a")).isNull();
        assertThat(MqttNames.channel("ns/" + MqttNames.FENCE_LEVEL + "/client")).isNull();
        assertThat(MqttNames.channel("ns/a%2Eb")).as("'.' is never escaped, so this is not ours").isNull();
        assertThat(MqttNames.channel("ns//a")).isNull();
        assertThat(MqttNames.kvRoot("ns:_registry:")).isEqualTo("ns");
        assertThat(MqttNames.kvRoot("n")).isEqualTo("+");
    }

    @Test
    @DisplayName("a Unicode noncharacter is refused with a clear message (brokers disconnect on it)")
    void nonCharacter() {
        assertThatThrownBy(() -> MqttNames.topic("ns:a\uFFFE")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("noncharacter");
    }

    @Test
    @DisplayName("MQTT filter matching for brokers without subscription identifiers ('#' matches the parent too)")
    void mqttMatching() {
        assertThat(MqttNames.mqttMatches("a/+/c", "a/b/c")).isTrue();
        assertThat(MqttNames.mqttMatches("a/+/c", "a/b/d")).isFalse();
        assertThat(MqttNames.mqttMatches("a/#", "a")).isTrue();
        assertThat(MqttNames.mqttMatches("a/#", "a/b/c")).isTrue();
        assertThat(MqttNames.mqttMatches("a/b", "a/b/c")).isFalse();
        assertThat(MqttNames.mqttMatches("$share/g/a/+", "a/x")).isTrue();
    }
}
