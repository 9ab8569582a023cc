package io.iios.transport.nats;

import io.iios.spi.TransportListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers what a transport reported. */
final class RecordingListener implements TransportListener {
    final List<String> errors = new CopyOnWriteArrayList<>();
    final List<Boolean> connection = new CopyOnWriteArrayList<>();
    final List<String> dropped = new CopyOnWriteArrayList<>();

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
