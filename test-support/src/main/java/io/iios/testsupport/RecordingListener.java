package io.iios.testsupport;

import io.iios.spi.TransportListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers what a transport reported to its {@link TransportListener}, for a transport's own tests. */
public final class RecordingListener implements TransportListener {
    /** {@code context: error}, in order. */
    public final List<String> errors = new CopyOnWriteArrayList<>();
    /** Each connection change, in order ({@code true} = up). */
    public final List<Boolean> connection = new CopyOnWriteArrayList<>();
    /** {@code channel: reason} of each dropped message, in order. */
    public final List<String> dropped = new CopyOnWriteArrayList<>();

    @Override
    public void onError(String context, Throwable error) {
        errors.add(context + ": " + error);
    }

    @Override
    public void onConnectionChange(boolean up) {
        connection.add(up);
    }

    @Override
    public void onDropped(String channel, String reason) {
        dropped.add(channel + ": " + reason);
    }
}
