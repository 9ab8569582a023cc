package io.iios.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.iios.api.Event;
import io.iios.api.EventSubscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EventsTest {
    private Cluster cluster;
    private IiosNode bobNode;
    private IiosNode aliceNode;
    private IiosNode listener;
    private String ns;

    @BeforeEach
    void start() {
        cluster = new Cluster();
        ns = cluster.namespace;
        bobNode = cluster.bob(new Bob());
        aliceNode = cluster.start(cluster.builder().service("alice", new Bob()));
        listener = cluster.gateway();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    @DisplayName("the three seed forms: one event, all of a service's, all of the namespace's")
    void seedForms() {
        List<Event> one = new CopyOnWriteArrayList<>();
        List<Event> bobs = new CopyOnWriteArrayList<>();
        List<Event> all = new CopyOnWriteArrayList<>();
        listener.events().on(ns + ":bob:event:coucou", one::add);
        listener.events().on(ns + ":bob:event", bobs::add);
        listener.events().on(ns + ":event", all::add);
        bobNode.pushEvent("bob", "coucou", Map.of("toto", "titi"));
        bobNode.pushEvent("bob", "other", 1);
        aliceNode.pushEvent("alice", "coucou", 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> all.size() == 3 && bobs.size() == 2 && one.size() == 1);
        assertThat(one.get(0).payload()).isEqualTo(Map.of("toto", "titi"));
        assertThat(bobs).extracting(e -> e.meta().event()).containsExactly("coucou", "other");
        assertThat(all).extracting(e -> e.meta().service()).containsExactlyInAnyOrder("bob", "bob", "alice");
    }

    @Test
    @DisplayName("the listener gets the payload and meta: service, event, origin instance, timestamp")
    void payloadAndMeta() {
        List<Event> got = new CopyOnWriteArrayList<>();
        listener.events().on(ns + ":bob:event:coucou", got::add);
        long before = System.currentTimeMillis();
        listener.gateway().waitForService("bob", Duration.ofSeconds(5));
        listener.gateway().call("bob", "shout", "hey");
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
        Event e = got.get(0);
        assertThat(e.payload()).isEqualTo(Map.of("what", "hey"));
        assertThat(e.meta().service()).isEqualTo("bob");
        assertThat(e.meta().event()).isEqualTo("coucou");
        assertThat(e.meta().instanceId()).isEqualTo(bobNode.services().get(0).instanceId());
        assertThat(e.meta().timestamp().toEpochMilli()).isGreaterThanOrEqualTo(before);
        assertThat(e.meta().userId()).isNull();
        record What(String what) {
        }
        assertThat(e.payload(What.class)).isEqualTo(new What("hey"));
    }

    @Test
    @DisplayName("a consumer group gets each event once; a broadcast subscriber gets all")
    void consumerGroups() {
        IiosNode other = cluster.gateway();
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        AtomicInteger broadcast = new AtomicInteger();
        listener.events().on(ns + ":bob:event", "workers", e -> a.incrementAndGet());
        other.events().on(ns + ":bob:event", "workers", e -> b.incrementAndGet());
        other.events().on(ns + ":bob:event", e -> broadcast.incrementAndGet());
        for (int i = 0; i < 100; i++) {
            bobNode.pushEvent("bob", "job", i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> a.get() + b.get() == 100 && broadcast.get() == 100);
        assertThat(a.get()).isPositive();
        assertThat(b.get()).isPositive();
    }

    @Test
    void unsubscribeStopsDelivery() {
        AtomicInteger got = new AtomicInteger();
        AtomicInteger marker = new AtomicInteger();
        EventSubscription sub = listener.events().on(ns + ":bob:event", e -> got.incrementAndGet());
        listener.events().on(ns + ":bob:event:marker", e -> marker.incrementAndGet());
        bobNode.pushEvent("bob", "x", 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> got.get() == 1);
        sub.close();
        bobNode.pushEvent("bob", "x", 2);
        bobNode.pushEvent("bob", "marker", 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> marker.get() == 1);
        assertThat(got.get()).isEqualTo(1);
    }

    @Test
    @DisplayName("a throwing listener keeps its subscription")
    void throwingListener() {
        AtomicInteger got = new AtomicInteger();
        listener.events().on(ns + ":bob:event", e -> {
            got.incrementAndGet();
            throw new IllegalStateException("listener bug");
        });
        bobNode.pushEvent("bob", "x", 1);
        bobNode.pushEvent("bob", "x", 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> got.get() == 2);
    }

    @Test
    void namespacesIsolated() {
        IiosNode foreign = cluster.start(cluster.builder().set("iios.namespace", ns + "x"));
        AtomicInteger foreignGot = new AtomicInteger();
        AtomicInteger localGot = new AtomicInteger();
        foreign.events().on(ns + "x:event", e -> foreignGot.incrementAndGet());
        listener.events().on(ns + ":event", e -> localGot.incrementAndGet());
        bobNode.pushEvent("bob", "x", 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> localGot.get() == 1);
        assertThat(foreignGot.get()).isZero();
    }

    @Test
    void badSubscriptionNames() {
        assertThatThrownBy(() -> listener.events().on("other:bob:event", e -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ns + ":SERVICE:event");
        assertThatThrownBy(() -> listener.events().on(ns + ":bob:evnt", e -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bobNode.pushEvent("bob", "bad:name", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
