package dev.aiagg.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class TcpProxyTest {

    private final ServerSocket echo;
    private final TcpProxy proxy;

    TcpProxyTest() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread server = new Thread(this::serveEcho, "echo");
        server.setDaemon(true);
        server.start();
        proxy = TcpProxy.to("echo", echo.getLocalPort());
    }

    @AfterEach
    void close() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsBothWays() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "hello")).isEqualTo("hello");
        }
    }

    @Test
    void aCutResetsOpenConnectionsAndRefusesNewOnesUntilRestored() throws IOException {
        Socket open = connect();
        assertThat(roundTrip(open, "before")).isEqualTo("before");

        proxy.cut(Duration.ofSeconds(10));
        assertThatThrownBy(() -> roundTrip(open, "during")).isInstanceOf(IOException.class);
        try (Socket fresh = connect()) {
            assertThatThrownBy(() -> roundTrip(fresh, "during")).isInstanceOf(IOException.class);
        }

        proxy.restore();
        try (Socket fresh = connect()) {
            assertThat(roundTrip(fresh, "after")).isEqualTo("after");
        }
    }

    @Test
    void aStallHoldsEveryByteAndDeliversItOnceRestored() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "one")).isEqualTo("one");
            proxy.stall(Duration.ofSeconds(10));
            client.getOutputStream().write("two".getBytes(StandardCharsets.UTF_8));
            client.setSoTimeout(500);
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            proxy.restore();
            client.setSoTimeout(5_000);
            assertThat(read(client.getInputStream(), 3)).isEqualTo("two");
        }
    }

    @Test
    void aFaultLiftsItselfAfterItsBound() throws IOException {
        proxy.cut(Duration.ofMillis(300));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket client = connect()) {
                assertThat(roundTrip(client, "back")).isEqualTo("back");
                return;
            } catch (IOException stillCut) {
                sleep(50);
            }
        }
        throw new AssertionError("the cut was not lifted after its bound");
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        return read(socket.getInputStream(), text.length());
    }

    private static String read(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new IOException("connection closed after " + bytes.length + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void serveEcho() {
        while (!echo.isClosed()) {
            try {
                Socket connection = echo.accept();
                Thread pump = new Thread(() -> {
                    try (connection) {
                        connection.getInputStream().transferTo(connection.getOutputStream());
                    } catch (IOException closed) {
                        // the client went away
                    }
                }, "echo-connection");
                pump.setDaemon(true);
                pump.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
