package io.iios.spi;

/** Receives messages of a {@link PubSub} subscription. */
@FunctionalInterface
public interface MessageHandler {

    /**
     * One message.
     *
     * @param channel the concrete channel it was published on (never a pattern)
     * @param payload the bytes as published; the handler owns this array
     */
    void onMessage(String channel, byte[] payload);
}
