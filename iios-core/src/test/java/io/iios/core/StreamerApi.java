package io.iios.core;

import io.iios.api.Service;
import io.iios.api.StreamHandle;
import java.io.InputStream;
import java.util.concurrent.Flow;

/** A typed view of {@link Streamer}: stream results as the caller wants them. */
@Service("streamer")
public interface StreamerApi {
    InputStream download(long seed, long size);

    StreamHandle written(long seed, long size);

    Flow.Publisher<byte[]> blocks(int count, int size);

    Flow.Publisher<Streamer.Point> points(int n);

    /** The same methods, typed and asynchronous. */
    @Service("streamer")
    interface Async {
        java.util.concurrent.CompletableFuture<InputStream> download(long seed, long size);

        java.util.concurrent.CompletionStage<StreamHandle> written(long seed, long size);

        java.util.concurrent.CompletableFuture<Flow.Publisher<Streamer.Point>> points(int n);

        java.util.concurrent.CompletableFuture<InputStream> notAStream();
    }
}
