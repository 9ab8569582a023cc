package io.iios.transport.nats.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Message;
import io.nats.client.impl.NatsMessage;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NatsDiscardedMessageTest {

    @Test
    @DisplayName("a message jnats discards names its channel; a protocol message (no subject) is skipped, not an NPE")
    void discardedChannel() {
        assertThat(NatsTransport.discardedChannel(new NatsMessage("iios._rpc.bob", null, new byte[1])))
                .isEqualTo("iios:_rpc:bob");
        assertThat(NatsTransport.discardedChannel(new NatsMessage("foreign.x%2", null, new byte[1])))
                .as("not one of ours: the raw subject").isEqualTo("foreign.x%2");
        // what jnats hands the error listener for a discarded UNSUB while reconnecting: a message without a subject
        Message protocol = (Message) Proxy.newProxyInstance(Message.class.getClassLoader(),
                new Class<?>[] {Message.class}, (proxy, method, args) -> null);
        assertThat(NatsTransport.discardedChannel(protocol)).isNull();
    }
}
