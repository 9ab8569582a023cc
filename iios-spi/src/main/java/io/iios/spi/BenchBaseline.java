package io.iios.spi;

import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Optional, for {@code iios bench --baseline}: the same request/reply round trip as an IIOS call,
 * written with the transport's raw broker client and no framework, as a skilled user would write it.
 * Found with {@link java.util.ServiceLoader} ({@code META-INF/services/io.iios.spi.BenchBaseline}).
 * Lets benchmarks put the framework's figures side by side with the client's own.
 */
public interface BenchBaseline {

    /** The transport name this baseline matches, e.g. {@code redis}. */
    String transport();

    /** One line saying what the loop does, e.g. "raw Jedis PUBLISH request/reply, pipelined writer". */
    String description();

    /**
     * Runs round trips from {@code concurrency} concurrent requesters for {@code duration}, then stops by
     * itself and releases every connection and thread.
     *
     * @param config the same settings a transport would get (broker address, credentials)
     * @param payloadBytes the request payload size
     * @param latencyNanos receives the latency of every completed round trip; must be thread-safe
     * @return the number of failed round trips
     */
    long run(TransportConfig config, int concurrency, int payloadBytes, Duration duration, LongConsumer latencyNanos)
            throws Exception;
}
