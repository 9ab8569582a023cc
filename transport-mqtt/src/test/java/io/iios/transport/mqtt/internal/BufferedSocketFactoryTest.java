package io.iios.transport.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BufferedSocketFactoryTest {

    @Test
    @DisplayName("a plain socket as Paho opens it: one buffered input stream; available() counts what the buffer holds")
    void buffersWhatArrives() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
                Socket client = BufferedSocketFactory.INSTANCE.createSocket()) {
            client.connect(new InetSocketAddress(loopback, server.getLocalPort()), 5000); // as Paho's TCPNetworkModule
            client.setSoTimeout(5000);
            try (Socket peer = server.accept()) {
                OutputStream out = peer.getOutputStream();
                out.write(new byte[] {0x30, 3, 'a', 'b', 'c'}); // one small packet: header, length, body
                out.flush();
                InputStream in = client.getInputStream();
                assertThat(client.getInputStream()).as("the same stream every time").isSameAs(in);
                assertThat(in.read()).isEqualTo(0x30);
                // the first read took the whole packet (one loopback segment) into the buffer: with the socket's input
                // shut down now, an unbuffered stream would see nothing more, the buffer still holds the rest
                client.shutdownInput();
                assertThat(in.available()).isEqualTo(4);
                assertThat(in.readNBytes(4)).containsExactly(3, 'a', 'b', 'c');
                assertThat(in.read()).as("then the end of the stream").isEqualTo(-1);
            }
        }
    }

    @Test
    @DisplayName("the connecting overloads connect, as SocketFactory promises")
    void connectingOverloads() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 2, loopback);
                Socket a = BufferedSocketFactory.INSTANCE.createSocket(loopback, server.getLocalPort());
                Socket b = BufferedSocketFactory.INSTANCE.createSocket(loopback.getHostAddress(), server.getLocalPort())) {
            assertThat(a.isConnected()).isTrue();
            assertThat(b.isConnected()).isTrue();
            assertThat(a.getInputStream()).isInstanceOf(java.io.BufferedInputStream.class);
        }
    }
}
