package io.iios.core.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iios.api.ErrorCode;
import io.iios.api.InstanceInfo;
import io.iios.api.MethodInfo;
import io.iios.api.Verb;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The node-v2 profile's names and envelopes, against the payloads captured from iios 2.5.3. */
class NodeV2ProtocolTest {
    private final NodeV2Protocol p = new NodeV2Protocol(new NodeV2Names("iios", "iios"), false, true);

    @Test
    @DisplayName("names: P = iios:NS, events P__event, heartbeat iios:P__heartbeat, RBAC __role:/__user:")
    void names() {
        NodeV2Names n = p.names();
        assertThat(n.registryKey("bob", "x")).isEqualTo("iios:iios:bob");
        assertThat(n.requestChannel("bob", "add")).isEqualTo("iios:iios:bob:add");
        assertThat(p.replyChannel("node", "iios:iios:bob:add", "rs13va3ugcj")).isEqualTo("iios:iios:bob:add:rs13va3ugcj");
        assertThat(n.eventChannel("bob", "tick")).isEqualTo("iios:iios__event");
        assertThat(n.heartbeatChannel()).isEqualTo("iios:iios:iios__heartbeat");
        assertThat(n.streamChannel("s1")).isEqualTo("iios:iios:iios__stream:s1");
        assertThat(n.roleKey("admin")).isEqualTo("__role:iios:admin");
        assertThat(n.userKey("alice")).isEqualTo("__user:iios:alice");
    }

    @Test
    @DisplayName("the captured record of bob reads with verbs from httpMethods and pub/sub off")
    void capturedRecord() {
        Map<String, Object> rec = Map.of("name", "bob", "version", "1.0.0", "pubsubRPCEnabled", false,
                "creationTimestamp", 1795610046574L, "methods", List.of("add", "whoami", "create", "remove"),
                "httpMethods", Map.of("get", List.of("whoami"), "post", List.of("add"), "put", List.of("create"),
                        "delete", List.of("remove")),
                "httpServer", Map.of("host", "127.0.0.1", "port", 20991, "path", "./static"),
                "options", Map.of("color", "blue"));
        InstanceInfo info = p.recordFrom("iios:iios:bob", rec).info();
        assertThat(info.service()).isEqualTo("bob");
        assertThat(info.httpEndpoint()).isEqualTo("http://127.0.0.1:20991");
        assertThat(info.methods().get("whoami")).isEqualTo(new MethodInfo("whoami", Verb.GET, true));
        assertThat(info.methods().get("remove").verb()).isEqualTo(Verb.DELETE);
        assertThat(info.startedAt()).isEqualTo(Instant.ofEpochMilli(1795610046574L));
        assertThatThrownBy(() -> p.recordFrom("iios:iios:x", Map.of("name", "x")))
                .isInstanceOf(Wire.MalformedMessage.class);
    }

    @Test
    @DisplayName("a Java record lists every method under one verb, all four verb keys present")
    void javaRecord() {
        InstanceInfo info = new InstanceInfo("jbob", "jbob", "n", "1.0.0", Map.of(
                "add", new MethodInfo("add", Verb.POST, false), "get", new MethodInfo("get", Verb.GET, true)),
                null, Map.of(), Instant.ofEpochMilli(5));
        Map<String, Object> m = p.recordToMap(info, 0);
        assertThat(m).containsEntry("pubsubRPCEnabled", true).containsEntry("creationTimestamp", 5L)
                .containsEntry("iiosLibVersion", "2.5.3");
        assertThat(m.get("httpMethods")).isEqualTo(Map.of("get", List.of("get"), "post", List.of("add"),
                "put", List.of(), "delete", List.of()));
    }

    @Test
    @DisplayName("requests: token required, req defaults to [], privileged is JS-truthy; replies carry err text")
    void requestsAndReplies() {
        Wire.Request r = p.requestFrom("iios:iios:bob:add",
                Map.of("meta", Map.of("origin", "e5996mgaer", "token", "rs13va3ugcj", "privileged", 1)));
        assertThat(r.method()).isEqualTo("add");
        assertThat(r.args()).isEmpty();
        assertThat(r.privileged()).isTrue();
        assertThat(r.replyTo()).isEqualTo("iios:iios:bob:add:rs13va3ugcj");
        assertThatThrownBy(() -> p.requestFrom("iios:iios:bob:add", Map.of("req", List.of())))
                .isInstanceOf(Wire.MalformedMessage.class);
        Map<String, Object> fail = p.replyToMap(r, Wire.Reply.failure(0, ErrorCode.REMOTE_FAILURE,
                "java.lang.IllegalStateException", "boom"), "me");
        assertThat(fail).containsEntry("err", "IllegalStateException: boom");
        assertThat(fail.get("meta")).isEqualTo(Map.of("origin", "me", "token", "rs13va3ugcj"));
        assertThat(p.replyFrom(Map.of("meta", Map.of("token", "t"), "err", "TypeError: sync boom"), 7, "t"))
                .isEqualTo(Wire.Reply.failure(7, ErrorCode.REMOTE_FAILURE, "TypeError", "sync boom"));
        assertThat(p.replyFrom(Map.of("meta", Map.of("token", "t", "req", true), "response", 1), 7, "t")).isNull();
        assertThat(p.replyFrom(Map.of("meta", Map.of("token", "u"), "response", 1), 7, "t")).isNull();
    }

    @Test
    @DisplayName("denial text is Node's, with undefined printed literally")
    void denialText() {
        assertThat(p.denial("bob", "create", "ursula", false, "user", "create:any|own"))
                .isEqualTo("access not granted: service [bob], method [create], user [ursula], privileged [undefined]");
        assertThat(p.denial("bob", "create", null, true, "__privileged__", "x"))
                .isEqualTo("access not granted: service [bob], method [create], user [undefined], privileged [true]");
    }

    @Test
    @DisplayName("events: the three seed forms route locally; per-service forms skip the node's own events")
    void eventRouting() {
        Wire.EventMessage tick = new Wire.EventMessage("bob", "tick", 1, "other", 0, null);
        Wire.EventMessage own = new Wire.EventMessage("bob", "tick", 1, "me", 0, null);
        assertThat(p.delivers("iios:event", own, "me")).isTrue();
        assertThat(p.delivers("iios:bob:event", tick, "me")).isTrue();
        assertThat(p.delivers("iios:bob:event", own, "me")).isFalse();
        assertThat(p.delivers("iios:bob:event:tick", tick, "me")).isTrue();
        assertThat(p.delivers("iios:bob:event:tock", tick, "me")).isFalse();
        assertThat(p.delivers("iios:alice:event", tick, "me")).isFalse();
        assertThat(p.eventSubscription("iios:bob:event")).isEqualTo("iios:iios__event");
        assertThatThrownBy(() -> p.eventSubscription("bob:event")).isInstanceOf(IllegalArgumentException.class);
    }
}
