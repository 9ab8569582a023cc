package io.iios.spi;

/** A payload is larger than the broker (or {@code iios.message.max-bytes}) accepts. */
public final class MessageTooLargeException extends TransportException {
    private static final long serialVersionUID = 1L;
    private final long size;
    private final long limit;

    public MessageTooLargeException(long size, long limit, String where) {
        super("message of " + size + " bytes exceeds the limit of " + limit + " bytes (" + where + ")");
        this.size = size;
        this.limit = limit;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
