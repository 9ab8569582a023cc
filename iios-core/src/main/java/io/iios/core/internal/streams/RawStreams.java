package io.iios.core.internal.streams;

import io.iios.api.StreamException;
import io.iios.api.StreamHandle;
import io.iios.api.StreamSink;
import io.iios.api.Streams;
import io.iios.api.UnsupportedFeatureException;
import io.iios.spi.Subscription;
import io.iios.spi.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * Named streams of the node-v2 profile: Node IIOS 2.x's raw streams. Every chunk is one message on the
 * stream's channel ({@code iios:iios:NS__stream:NAME}), never encoded; the end is one message of the
 * single byte {@code 0x00}. No flow control, no replay, no failure signal: a reader gets only what is
 * published after {@link #bind} subscribed, and a chunk that is exactly one zero byte reads as the end.
 */
public final class RawStreams implements Streams, AutoCloseable {
    static final byte[] END = {0};

    private final Transport transport;
    private final Function<String, String> channel;
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();

    public RawStreams(Transport transport, Function<String, String> channel) {
        this.transport = transport;
        this.channel = channel;
    }

    @Override
    public StreamSink open(String name) {
        String ch = channel.apply(name);
        return new StreamSink() {
            private volatile boolean done;

            @Override
            public String name() {
                return name;
            }

            @Override
            public String id() {
                return ch;
            }

            @Override
            public OutputStream asOutputStream() {
                return new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        if (done) {
                            throw new IOException("stream " + name + " is closed");
                        }
                        if (len > 0) {
                            transport.pubsub().publish(ch, Arrays.copyOfRange(b, off, off + len));
                        }
                    }

                    @Override
                    public void close() {
                        end();
                    }
                };
            }

            @Override
            public Flow.Subscriber<byte[]> asSubscriber() {
                OutputStream out = asOutputStream();
                return new Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        s.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(byte[] item) {
                        try {
                            out.write(item);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        end();
                    }

                    @Override
                    public void onComplete() {
                        end();
                    }
                };
            }

            private void end() {
                if (!done) {
                    done = true;
                    transport.pubsub().publish(ch, END.clone());
                }
            }

            @Override
            public void fail(Throwable error) {
                end(); // Node's raw streams have no failure signal
            }

            @Override
            public boolean isDone() {
                return done;
            }

            @Override
            public long bufferedBytes() {
                return 0;
            }

            @Override
            public long peakBufferedBytes() {
                return 0;
            }

            @Override
            public void close() {
                end();
            }
        };
    }

    /** Subscribes the stream's channel now (Node's input streams subscribe on first read); never waits. */
    @Override
    public StreamHandle bind(String name, Duration timeout) {
        String ch = channel.apply(name);
        LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        Subscription[] sub = new Subscription[1];
        sub[0] = transport.pubsub().subscribe(ch, (c, payload) -> chunks.add(payload));
        AutoCloseable closer = () -> sub[0].close();
        open.add(closer);
        return new StreamHandle() {
            private volatile boolean ended;

            @Override
            public String id() {
                return ch;
            }

            @Override
            public boolean carriesObjects() {
                return false;
            }

            @Override
            public Flow.Publisher<byte[]> asPublisher() {
                throw new UnsupportedFeatureException("node-v2 raw streams are read with asInputStream()");
            }

            @Override
            public InputStream asInputStream() {
                return new InputStream() {
                    private byte[] current = new byte[0];
                    private int pos;

                    private boolean fill() throws IOException {
                        while (pos >= current.length) {
                            if (ended) {
                                return false;
                            }
                            byte[] next;
                            try {
                                next = chunks.take();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new java.io.InterruptedIOException("reading stream " + name);
                            }
                            if (Arrays.equals(next, END)) {
                                ended = true;
                                cancel();
                                return false;
                            }
                            current = next;
                            pos = 0;
                        }
                        return true;
                    }

                    @Override
                    public int read() throws IOException {
                        return fill() ? current[pos++] & 0xff : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (len == 0) {
                            return 0;
                        }
                        if (!fill()) {
                            return -1;
                        }
                        int n = Math.min(len, current.length - pos);
                        System.arraycopy(current, pos, b, off, n);
                        pos += n;
                        return n;
                    }
                };
            }

            @Override
            public <T> Flow.Publisher<T> asObjects(Class<T> type) {
                throw new StreamException(ch, StreamException.Reason.PROTOCOL,
                        "node-v2 raw streams carry bytes, not objects");
            }

            @Override
            public long bufferedBytes() {
                return chunks.stream().mapToLong(c -> c.length).sum();
            }

            @Override
            public long peakBufferedBytes() {
                return bufferedBytes();
            }

            @Override
            public void cancel() {
                open.remove(closer);
                sub[0].close();
            }
        };
    }

    @Override
    public void close() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        open.clear();
    }
}
