package io.iios.transport.http.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A bounded queue of messages for one subscription: producers never block (a full mailbox drops and
 * says so), one consumer takes them in order.
 */
final class Mailbox {
    record Message(String channel, byte[] payload) {
    }

    static final int CAPACITY = 100_000;
    private final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(CAPACITY);

    /** False when the mailbox is full and the message was dropped. */
    boolean offer(String channel, byte[] payload) {
        return queue.offer(new Message(channel, payload));
    }

    /** The next message, or null after the wait. */
    @Nullable Message poll(long millis) throws InterruptedException {
        return queue.poll(millis, TimeUnit.MILLISECONDS);
    }
}
