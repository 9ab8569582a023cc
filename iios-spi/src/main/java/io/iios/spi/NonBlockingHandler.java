package io.iios.spi;

/**
 * A {@link MessageHandler} that promises to return quickly and never to block (no I/O, no locks held
 * for long, no waiting): it decodes, checks and hands work on. A transport whose broker client already
 * delivers on a thread other than its I/O thread (e.g. Paho's callback thread) may run such a handler
 * right there instead of queueing it to a per-subscription dispatcher, saving a thread hand-off per
 * message. Everything else in the {@link PubSub} contract still holds: never on the I/O thread itself,
 * one message at a time per subscription, in order, and a throwing handler keeps its subscription.
 *
 * <p>Core marks its RPC request and reply handlers this way; transports are free to ignore the mark.
 */
@FunctionalInterface
public interface NonBlockingHandler extends MessageHandler {
}
