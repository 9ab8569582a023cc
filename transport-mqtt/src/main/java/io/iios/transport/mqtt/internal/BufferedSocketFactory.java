package io.iios.transport.mqtt.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Plain TCP sockets ({@code tcp://}) whose input stream is buffered. Paho 1.2.5 reads the socket's raw stream: per
 * incoming packet its receiver asks {@code available()}, reads the fixed header's first byte, each byte of the
 * remaining length, then the rest — four system calls or more for one small packet. Buffered, one {@code read}
 * takes the whole packet, and several when many are in flight; {@code available()} answers from the buffer while
 * it holds bytes. (Paho already buffers its output: one write per packet.) TLS sockets buffer their records
 * themselves and are not wrapped.
 */
final class BufferedSocketFactory extends SocketFactory {
    static final int BUFFER_BYTES = 16 * 1024;
    static final BufferedSocketFactory INSTANCE = new BufferedSocketFactory();

    private BufferedSocketFactory() {
    }

    @Override
    public Socket createSocket() {
        return new BufferedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private static Socket connected(InetSocketAddress remote, @Nullable InetSocketAddress local) throws IOException {
        Socket s = new BufferedSocket();
        try {
            if (local != null) {
                s.bind(local);
            }
            s.connect(remote);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** A socket handing out one buffered input stream. */
    static final class BufferedSocket extends Socket {
        private @Nullable InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new Buffer(super.getInputStream());
            }
            return in;
        }
    }

    /** Answers {@code available()} from the buffer while it holds bytes, without asking the socket. */
    private static final class Buffer extends BufferedInputStream {
        Buffer(InputStream in) {
            super(in, BUFFER_BYTES);
        }

        @Override
        public synchronized int available() throws IOException {
            int buffered = count - pos;
            return buffered > 0 ? buffered : super.available();
        }
    }
}
