package io.iios.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iios.api.Event;
import io.iios.api.EventSubscription;
import io.iios.api.UnsupportedFeatureException;
import io.iios.core.IiosNode;
import io.iios.spi.Capability;
import io.iios.tck.internal.KitScope;
import io.iios.tck.internal.ProbeService;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Events over the transport: the seed's three subscription forms, payload and meta, consumer groups
 * ({@link Capability#QUEUE_GROUPS}), unsubscribe and namespace isolation.
 */
public abstract class EventsKit {

    /** The transport under test; called once per test. */
    protected abstract TransportUnderTest transport();

    private KitScope scope;
    private String ns;
    private IiosNode bob;
    private IiosNode alice;
    private IiosNode listener;

    @BeforeEach
    void openEventsScope() {
        scope = new KitScope(transport());
        ns = scope.namespace();
        bob = scope.startProbe("bob", new ProbeService());
        alice = scope.startProbe("alice", new ProbeService());
        listener = scope.gateway();
    }

    @AfterEach
    void closeEventsScope() {
        scope.close();
    }

    @Nested
    @DisplayName("subscriptions")
    class Subscriptions {

        @Test
        @DisplayName("the three seed forms: one event, all of a service's, all of the namespace's")
        void seedForms() {
            List<Event> one = new CopyOnWriteArrayList<>();
            List<Event> bobs = new CopyOnWriteArrayList<>();
            List<Event> all = new CopyOnWriteArrayList<>();
            List<Event> anyCoucou = new CopyOnWriteArrayList<>();
            listener.events().on(ns + ":bob:event:coucou", one::add);
            listener.events().on(ns + ":bob:event", bobs::add);
            listener.events().on(ns + ":event", all::add);
            listener.events().on(ns + ":*:event:coucou", anyCoucou::add);
            bob.pushEvent("bob", "coucou", Map.of("toto", "titi"));
            bob.pushEvent("bob", "other", 1);
            alice.pushEvent("alice", "coucou", 2);
            scope.await().untilAsserted(() -> {
                assertThat(one).extracting(e -> e.meta().event()).containsExactly("coucou");
                assertThat(bobs).extracting(e -> e.meta().event()).containsExactly("coucou", "other");
                assertThat(all).extracting(e -> e.meta().service()).containsExactlyInAnyOrder("bob", "bob", "alice");
                assertThat(anyCoucou).extracting(e -> e.meta().service()).containsExactlyInAnyOrder("bob", "alice");
            });
            assertThat(one.get(0).payload()).isEqualTo(Map.of("toto", "titi"));
        }

        @Test
        @DisplayName("the listener gets the payload and the meta: service, event, instance, timestamp")
        void payloadAndMeta() {
            List<Event> got = new CopyOnWriteArrayList<>();
            listener.events().on(ns + ":bob:event:hey", got::add);
            long before = System.currentTimeMillis();
            listener.gateway().waitForService("bob", scope.scaled(Duration.ofSeconds(10)));
            listener.gateway().call("bob", "shout", "hey", Map.of("x", 1, "y", List.of("a", "b")));
            scope.await().until(() -> got.size() == 1);
            Event e = got.get(0);
            assertThat(e.payload()).isEqualTo(Map.of("x", 1, "y", List.of("a", "b")));
            assertThat(e.meta().service()).isEqualTo("bob");
            assertThat(e.meta().event()).isEqualTo("hey");
            assertThat(e.meta().instanceId()).isEqualTo(bob.services().get(0).instanceId());
            assertThat(e.meta().timestamp().toEpochMilli()).isGreaterThanOrEqualTo(before);
            assertThat(e.meta().userId()).isNull();
        }

        @Test
        @DisplayName("events of one service arrive in push order")
        void order() {
            List<Object> got = new CopyOnWriteArrayList<>();
            listener.events().on(ns + ":bob:event", e -> got.add(e.payload()));
            for (int i = 0; i < 200; i++) {
                bob.pushEvent("bob", "tick", i);
            }
            scope.await().alias("all 200 events").until(() -> got.size() == 200);
            assertThat(got).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 200).boxed().toList());
        }

        @Test
        @DisplayName("a closed subscription receives nothing more")
        void unsubscribe() {
            AtomicInteger got = new AtomicInteger();
            AtomicInteger marker = new AtomicInteger();
            EventSubscription sub = listener.events().on(ns + ":bob:event:x", e -> got.incrementAndGet());
            listener.events().on(ns + ":bob:event:x", e -> marker.incrementAndGet());
            bob.pushEvent("bob", "x", 1);
            scope.await().until(() -> got.get() == 1 && marker.get() == 1);
            sub.close();
            sub.close();
            bob.pushEvent("bob", "x", 2);
            scope.await().until(() -> marker.get() == 2);
            assertThat(got.get()).isEqualTo(1);
        }

        @Test
        @DisplayName("two namespaces on one broker never see each other's events")
        void namespacesIsolated() {
            String other = scope.otherNamespace();
            IiosNode foreignListener = scope.start(scope.node().set("iios.namespace", other));
            IiosNode foreignBob = scope.start(scope.node().set("iios.namespace", other).service("bob", new ProbeService()));
            List<Event> local = new CopyOnWriteArrayList<>();
            List<Event> foreign = new CopyOnWriteArrayList<>();
            listener.events().on(ns + ":event", local::add);
            foreignListener.events().on(other + ":event", foreign::add);
            bob.pushEvent("bob", "mine", 1);
            foreignBob.pushEvent("bob", "theirs", 2);
            scope.await().until(() -> local.size() == 1 && foreign.size() == 1);
            bob.pushEvent("bob", "fence", 3);
            scope.await().until(() -> local.size() == 2);
            assertThat(local).extracting(e -> e.meta().event()).containsExactly("mine", "fence");
            assertThat(foreign).extracting(e -> e.meta().event()).containsExactly("theirs");
        }
    }

    @Nested
    @DisplayName("consumer groups")
    class Groups {

        @Test
        @DisplayName("each event reaches one member of the group; a broadcast subscriber gets them all")
        void groups() {
            assumeTrue(scope.supports(Capability.QUEUE_GROUPS),
                    "transport " + scope.target().name() + " does not declare QUEUE_GROUPS");
            IiosNode second = scope.gateway();
            List<Object> a = new CopyOnWriteArrayList<>();
            List<Object> b = new CopyOnWriteArrayList<>();
            AtomicInteger broadcast = new AtomicInteger();
            listener.events().on(ns + ":bob:event", "workers", e -> a.add(e.payload()));
            second.events().on(ns + ":bob:event", "workers", e -> b.add(e.payload()));
            second.events().on(ns + ":bob:event", e -> broadcast.incrementAndGet());
            for (int i = 0; i < 100; i++) {
                bob.pushEvent("bob", "job", i);
            }
            scope.await().alias("100 events to the group and 100 to the broadcast subscriber").until(() -> a.size() + b.size() >= 100 && broadcast.get() == 100);
            Set<Object> union = new HashSet<>(a);
            union.addAll(b);
            assertThat(a.size() + b.size()).isEqualTo(100);
            assertThat(union).hasSize(100);
            assertThat(a).isNotEmpty();
            assertThat(b).isNotEmpty();
        }

        @Test
        @DisplayName("without QUEUE_GROUPS, a group subscription fails at once with UnsupportedFeatureException naming it")
        void unsupported() {
            assumeFalse(scope.supports(Capability.QUEUE_GROUPS), "transport " + scope.target().name()
                    + " declares QUEUE_GROUPS; its unsupported path does not apply");
            assertTimeoutPreemptively(scope.scaled(Duration.ofSeconds(5)), () -> assertThatThrownBy(
                    () -> listener.events().on(ns + ":bob:event", "workers", e -> { }))
                    .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("QUEUE_GROUPS"));
        }
    }
}
