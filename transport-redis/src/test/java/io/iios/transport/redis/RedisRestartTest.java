package io.iios.transport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.iios.api.Event;
import io.iios.api.Gateway;
import io.iios.api.TransportFailureException;
import io.iios.core.IiosNode;
import io.iios.spi.TransportUnavailableException;
import io.iios.testsupport.RecordingListener;
import io.iios.testsupport.ServerProcess;
import io.iios.transport.redis.internal.RedisTransport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Broker restarts on a redis-server this test owns. */
class RedisRestartTest {
    private ServerProcess server;

    @BeforeEach
    void startServer() {
        server = ServerProcess.redis();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("while Redis is down calls fail fast with a typed error; calls and subscriptions recover on restart")
    void restart() {
        try (RedisNodes nodes = new RedisNodes(Map.of("iios.redis.uri", server.uri("redis"),
                "iios.redis.reconnect-backoff", "20ms", "iios.redis.reconnect-backoff-max", "200ms"), null)) {
            IiosNode gw = nodes.start(nodes.builder().set("iios.call.timeout", "20s"));
            nodes.bob();
            Gateway g = gw.gateway();
            g.waitForService("bob", Duration.ofSeconds(10));
            List<Event> events = new CopyOnWriteArrayList<>();
            gw.events().on(nodes.namespace + ":bob:event:coucou", events::add);
            assertThat(g.call("bob", "add", 1, 2)).isEqualTo(3);

            server.kill();
            RedisTransport t = (RedisTransport) gw.transport();
            await().atMost(Duration.ofSeconds(5)).until(() -> !t.connected());
            // a 20 s call timeout would turn a hang into CallTimeoutException; we want the typed transport error
            assertThatThrownBy(() -> g.call("bob", "add", 1, 2)).isInstanceOf(TransportFailureException.class);
            assertThatThrownBy(() -> t.kv().get(nodes.namespace + ":x")).isInstanceOf(TransportUnavailableException.class);
            assertThatThrownBy(() -> t.pubsub().publish(nodes.namespace + ":x", new byte[1]))
                    .isInstanceOf(TransportUnavailableException.class);

            server.startAgain();
            // pub/sub is at-most-once: a request sent before bob's node has re-subscribed is lost, so each try
            // waits 2 s for its reply (the 20 s call timeout above would outlast this bound)
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> Integer.valueOf(5).equals(g.callAsync("bob", "add", 2, 3)
                            .get(2, java.util.concurrent.TimeUnit.SECONDS)));
            for (int i = 0; i < 20; i++) {
                assertThat(g.call("bob", "add", i, i)).isEqualTo(2 * i);
            }
            g.call("bob", "shout", "again");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
        }
    }

    @Test
    @DisplayName("100 reconnects leak no thread and no connection")
    void noLeakAcross100Reconnects() {
        RecordingListener listener = new RecordingListener();
        String ns = RedisTestSupport.namespace();
        try (RedisTransport t = RedisTestSupport.transport(server.uri("redis"), ns, listener,
                "iios.redis.reconnect-backoff", "2ms", "iios.redis.reconnect-backoff-max", "20ms");
                Jedis admin = new Jedis(URI.create(server.uri("redis")))) {
            List<String> got = new CopyOnWriteArrayList<>();
            t.pubsub().subscribe(ns + ":ping", (c, p) -> got.add(new String(p)));
            t.kv().put(ns + ":k", new byte[] {1});
            t.pubsub().publish(ns + ":ping", "0".getBytes());
            await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
            long threadsBefore = redisThreads();
            for (int i = 1; i <= 100; i++) {
                long ups = listener.connection.stream().filter(b -> b).count();
                admin.clientKill(new redis.clients.jedis.params.ClientKillParams()
                        .type(redis.clients.jedis.args.ClientType.PUBSUB));
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                        .until(() -> listener.connection.stream().filter(b -> b).count() > ups && t.connected());
            }
            assertThat(listener.connection.stream().filter(b -> !b).count()).isGreaterThanOrEqualTo(100);
            t.pubsub().publish(ns + ":ping", "1".getBytes());
            t.kv().put(ns + ":k", new byte[] {2});
            await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 2);
            assertThat(redisThreads()).isEqualTo(threadsBefore);
            long ours = admin.clientList().lines().filter(l -> l.contains("name=iios-" + ns + "-")).count();
            // one subscriber, one publisher, at most a few pooled KV connections
            assertThat(ours).isLessThanOrEqualTo(4);
        }
    }

    private static long redisThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(th -> th.getName().startsWith("iios-redis")).count();
    }
}
