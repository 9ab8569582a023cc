package io.iios.transport.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.iios.transport.nats.internal.NatsNames;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NatsNamesTest {

    @Test
    @DisplayName("channels map to subjects: ':' to '.', wildcards kept, forbidden characters escaped, reversible")
    void subjects() {
        assertThat(NatsNames.toSubject("iios:_rpc:bob:x1")).isEqualTo("iios._rpc.bob.x1");
        assertThat(NatsNames.toSubject("iios:*:event:>")).isEqualTo("iios.*.event.>");
        assertThat(NatsNames.toSubject("iios:a.b:c d:e*f:g>h:50%")).isEqualTo("iios.a%2Eb.c%20d.e%2Af.g%3Eh.50%25");
        assertThat(NatsNames.toSubject("iios:tab\there")).isEqualTo("iios.tab%09here");
        for (String ch : List.of("iios:a.b:c d", "iios:e*f:g>h", "iios:50%:x", "iios:ünï:日本", "a%2Eb")) {
            assertThat(NatsNames.fromSubject(NatsNames.toSubject(ch))).isEqualTo(ch);
        }
    }

    @Test
    @DisplayName("keys map to KV keys of [-/_=.a-zA-Z0-9] only, reversibly, and prefixes map to prefixes")
    void keys() {
        assertThat(NatsNames.toKey("iios:_registry:bob:x1")).isEqualTo("iios._registry.bob.x1");
        assertThat(NatsNames.toKey("ns:a.b:c=d:e f")).isEqualTo("ns.a=2Eb.c=3Dd.e=20f");
        for (String k : List.of("ns:a.b", "ns:a b", "ns:a/b", "ns:a+b:#", "ns:$x", "ns:a*b", "ns:50%", "ns:ünïcødé:日本",
                "ns:=41")) {
            String kv = NatsNames.toKey(k);
            assertThat(kv).matches("[-/_=.a-zA-Z0-9]+");
            assertThat(NatsNames.fromKey(kv)).isEqualTo(k);
        }
        assertThat(NatsNames.toKey("ns:kv:p:1")).startsWith(NatsNames.toKeyPrefix("ns:kv:p:"));
        assertThat(NatsNames.bucket("iios")).isEqualTo("iios-iios");
    }
}
