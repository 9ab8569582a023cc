package io.iios.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iios.api.BadMessageException;
import io.iios.api.CallTimeoutException;
import io.iios.api.Gateway;
import io.iios.api.RemoteFailureException;
import io.iios.api.ServiceUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RpcTest {
    private Cluster cluster;
    private Bob bob;
    private Gateway gateway;

    @BeforeEach
    void start() {
        cluster = new Cluster();
        bob = new Bob();
        cluster.bob(bob);
        gateway = cluster.gateway().gateway();
        gateway.waitForService("bob", Cluster.wait(5));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    @DisplayName("the seed's first example: gateway.call(\"bob\", \"add\", 1, 2) is 3")
    void callsAMethod() {
        assertThat(gateway.call("bob", "add", 1, 2)).isEqualTo(3);
        assertThat(gateway.api("bob").call(String.class, "hello", "world")).isEqualTo("hello world");
    }

    @Test
    void argumentAndReturnTypes() {
        assertThat(gateway.call("bob", "nothing")).isNull();
        assertThat(bob.calls.get()).isEqualTo(1);
        Bob.Point moved = gateway.api("bob").call(Bob.Point.class, "move", new Bob.Point(1, 2), 3);
        assertThat(moved).isEqualTo(new Bob.Point(4, 2));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("list", List.of(1, "two", List.of(3.5, true)));
        nested.put("map", Map.of("k", "v"));
        nested.put("none", null);
        assertThat(gateway.call("bob", "echoMap", nested)).isEqualTo(nested);
        // generic results follow the value model: integers that fit are Integer, others Long
        assertThat(gateway.call("bob", "longs", List.of(Long.MAX_VALUE, Long.MIN_VALUE, 0L)))
                .isEqualTo(List.of(Long.MAX_VALUE, Long.MIN_VALUE, 0));
        byte[] data = new byte[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        assertThat(gateway.api("bob").call(byte[].class, "bytes", (Object) data)).isEqualTo(data);
    }

    @Test
    void asyncMethodsAndCallContext() {
        assertThat(gateway.call("bob", "later", "abc")).isEqualTo("ABC");
        assertThat((String) gateway.call("bob", "who")).isEqualTo("bob.who deadline=true");
        assertThatThrownBy(() -> gateway.call("bob", "laterFail", "nope"))
                .isInstanceOfSatisfying(RemoteFailureException.class, e -> {
                    assertThat(e.remoteType()).isEqualTo(UnsupportedOperationException.class.getName());
                    assertThat(e.remoteMessage()).isEqualTo("nope");
                });
    }

    @Test
    @DisplayName("each call carries a fresh W3C traceparent")
    void traceparent() {
        String tp = io.iios.core.internal.rpc.RpcClientAccess.newTraceparent();
        assertThat(tp).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(tp).isNotEqualTo(io.iios.core.internal.rpc.RpcClientAccess.newTraceparent());
    }

    @Test
    @DisplayName("a remote exception becomes RemoteFailure with the remote type and message")
    void remoteFailure() {
        assertThatThrownBy(() -> gateway.call("bob", "fail", "boom"))
                .isInstanceOfSatisfying(RemoteFailureException.class, e -> {
                    assertThat(e.remoteType()).isEqualTo("java.lang.IllegalStateException");
                    assertThat(e.remoteMessage()).isEqualTo("boom");
                    assertThat(e.getMessage()).contains("bob.fail", "boom");
                });
        assertThat(gateway.call("bob", "add", 2, 2)).isEqualTo(4);
    }

    @Test
    void unknownAndHiddenMethodsAreBadMessages() {
        assertThatThrownBy(() -> gateway.call("bob", "nope")).isInstanceOf(BadMessageException.class)
                .hasMessageContaining("unknown method bob.nope");
        assertThatThrownBy(() -> gateway.call("bob", "_hidden")).isInstanceOf(BadMessageException.class)
                .hasMessageContaining("unknown method");
        assertThatThrownBy(() -> gateway.call("bob", "onStart", (Object) null)).isInstanceOf(BadMessageException.class);
    }

    @Test
    void wrongArgumentsAreBadMessages() {
        assertThatThrownBy(() -> gateway.call("bob", "add", 1)).isInstanceOf(BadMessageException.class)
                .hasMessageContaining("bob.add takes 2 arguments, got 1");
        assertThatThrownBy(() -> gateway.call("bob", "add", "x", 2)).isInstanceOf(BadMessageException.class)
                .hasMessageContaining("argument 1 of bob.add must be int");
        assertThatThrownBy(() -> gateway.call("bob", "add", 1.5, 2)).isInstanceOf(BadMessageException.class);
        assertThatThrownBy(() -> gateway.call("bob", "add", "1", 2)).isInstanceOf(BadMessageException.class);
        assertThatThrownBy(() -> gateway.call("bob", "add", null, 2)).isInstanceOf(BadMessageException.class)
                .hasMessageContaining("got null");
        assertThat(bob.calls.get()).isZero();
        assertThat(gateway.call("bob", "add", 1, 2)).isEqualTo(3);
    }

    @Test
    @DisplayName("no live instance fails at once with ServiceUnavailable")
    void noInstance() {
        assertThatThrownBy(() -> gateway.call("alice", "add", 1, 2)).isInstanceOf(ServiceUnavailableException.class)
                .hasMessageContaining("alice");
    }

    @Test
    @DisplayName("a call with no reply before its deadline fails with CallTimeout")
    void timeout() {
        Gateway fast = cluster.start(cluster.builder().set("iios.call.timeout", "300ms")).gateway();
        fast.waitForService("bob", Cluster.wait(5));
        assertThatThrownBy(() -> fast.call("bob", "slow", 5_000)).isInstanceOf(CallTimeoutException.class)
                .hasMessageContaining("bob.slow");
        bob.release.countDown();
        assertThat(fast.call("bob", "add", 1, 1)).isEqualTo(2);
    }

    @Test
    @DisplayName("1,000 concurrent calls are each matched to their own reply")
    void concurrentCalls() {
        List<CompletableFuture<Object>> futures = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            futures.add(gateway.api("bob").callAsync("add", i, i));
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(futures.get(i)).succeedsWithin(10, TimeUnit.SECONDS).isEqualTo(2 * i);
        }
    }

    @Test
    @DisplayName("1 MiB of arguments goes through")
    void largeArguments() {
        byte[] data = new byte[1024 * 1024];
        assertThat(gateway.call("bob", "length", (Object) data)).isEqualTo(1024 * 1024);
    }

    @Test
    @DisplayName("a request over iios.message.max-bytes fails at the caller with BadMessage")
    void oversizedRequest() {
        Gateway small = cluster.start(cluster.builder().set("iios.message.max-bytes", "64KiB")).gateway();
        small.waitForService("bob", Cluster.wait(5));
        assertThatThrownBy(() -> small.call("bob", "length", (Object) new byte[100 * 1024]))
                .isInstanceOf(BadMessageException.class).hasMessageContaining("over the limit of 65536");
        assertThat(small.call("bob", "length", (Object) new byte[10])).isEqualTo(10);
    }

    @Test
    void typedProxy() {
        BobApi api = gateway.proxy(BobApi.class);
        assertThat(api.add(20, 22)).isEqualTo(42);
        assertThat(api.twice(4)).isEqualTo(8);
        assertThat(api.hello("proxy")).isEqualTo("hello proxy");
        api.nothing();
        assertThat(api.move(new Bob.Point(0, 0), 5)).isEqualTo(new Bob.Point(5, 0));
        assertThat(api.later("x")).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("X");
        assertThatThrownBy(() -> api.fail("proxied")).isInstanceOf(RemoteFailureException.class)
                .hasMessageContaining("proxied");
        assertThat(api.toString()).contains("bob");
    }
}
