package io.iios.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.iios.api.Event;
import io.iios.api.Gateway;
import io.iios.core.IiosNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Gateway + two bob instances over a real broker: calls, events in the three seed forms, discovery, a crash and a stop. */
public final class EndToEndScenario {
    private EndToEndScenario() {
    }

    public static void run(TestNodes nodes) {
        String ns = nodes.namespace;
        IiosNode gw = nodes.gateway();
        IiosNode bob1 = nodes.bob();
        IiosNode bob2 = nodes.bob();
        Gateway g = gw.gateway();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> g.service("bob").map(s -> s.instances().size()).orElse(0) == 2);
        assertThat(gw.transport().name()).isEqualTo(nodes.transport);

        // calls reach both instances (round-robin)
        Set<Object> instances = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            assertThat(g.call("bob", "add", i, 1)).isEqualTo(i + 1);
        }
        for (int i = 0; i < 4; i++) {
            instances.add(g.call("bob", "whoami"));
        }
        assertThat(instances).hasSize(2);

        // events: one event, all of bob's, all of the namespace's
        List<Event> one = new CopyOnWriteArrayList<>();
        List<Event> bobs = new CopyOnWriteArrayList<>();
        List<Event> all = new CopyOnWriteArrayList<>();
        gw.events().on(ns + ":bob:event:coucou", one::add);
        gw.events().on(ns + ":bob:event", bobs::add);
        gw.events().on(ns + ":event", all::add);
        assertThat(g.call("bob", "shout", "hey")).isEqualTo("hey");
        bob1.pushEvent("bob", "other", 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> one.size() == 1 && bobs.size() == 2 && all.size() == 2);
        assertThat(one.get(0).payload()).isEqualTo(Map.of("what", "hey"));

        // a crash: the record expires (KV watch) and the instance leaves the view within the TTL
        String crashed = bob2.services().get(0).instanceId();
        bob2.abort();
        await().atMost(Duration.ofSeconds(5)).until(() -> g.service("bob")
                .map(s -> s.instances().stream().noneMatch(i -> i.instanceId().equals(crashed))).orElse(true));
        for (int i = 0; i < 5; i++) {
            assertThat(g.call("bob", "add", 2, 2)).isEqualTo(4);
        }

        // a graceful stop: gone at once
        bob1.close();
        await().atMost(Duration.ofSeconds(2)).until(() -> g.service("bob").isEmpty()
                || g.service("bob").get().instances().isEmpty());
    }
}
