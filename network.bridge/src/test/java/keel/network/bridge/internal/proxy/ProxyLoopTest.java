package keel.network.bridge.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The userland proxy on the host's loopback: TCP forwarding with half-closes, UDP flows, freeing the port. These
 * run with buffered copies; {@link SplicedProxyLoopTest} runs them again through splice(2).
 */
class ProxyLoopTest {

    private static final InetAddress LO = InetAddress.getLoopbackAddress();

    private final ProxyLoop loop = new ProxyLoop(Duration.ofSeconds(2), splice());
    private final List<AutoCloseable> open = new ArrayList<>();

    boolean splice() {
        return false;
    }

    @Test
    void theLoopCopiesTheWayItWasAskedTo() {
        assertEquals(splice(), loop.splices());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        loop.close();
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    /** Reads everything the client sends, then answers with its length and the bytes reversed, then closes. */
    private ServerSocket halfCloseServer() throws IOException {
        ServerSocket server = keep(new ServerSocket(0, 50, LO));
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    byte[] all = s.getInputStream().readAllBytes(); // until the client's half-close
                    OutputStream out = s.getOutputStream();
                    out.write((all.length + "\n").getBytes(StandardCharsets.US_ASCII));
                    for (int i = all.length - 1; i >= 0; i--) {
                        out.write(all[i]);
                    }
                    out.flush();
                } catch (IOException e) {
                    return;
                }
            }
        }, "half-close-server");
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void tcpCarriesDataBothWaysAndPassesTheHalfClose() throws Exception {
        ServerSocket server = halfCloseServer();
        ProxyLoop.Forwarding f = keep(loop.tcp(new InetSocketAddress(LO, 0), (InetSocketAddress) server.getLocalSocketAddress()));
        assertTrue(f.address().getPort() > 0, "port 0 asks the kernel for one");
        byte[] data = new byte[3 * ProxyLoop.BUFFER_SIZE + 17]; // more than one buffer each way
        new Random(1).nextBytes(data);
        try (Socket c = new Socket(LO, f.address().getPort())) {
            c.setSoTimeout(10_000);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    c.getOutputStream().write(data);
                    c.shutdownOutput(); // the server answers only after this reaches it through the proxy
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            InputStream in = c.getInputStream();
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            int ch;
            while ((ch = in.read()) != '\n') {
                header.write(ch);
            }
            assertEquals(String.valueOf(data.length), header.toString(StandardCharsets.US_ASCII));
            byte[] back = in.readAllBytes(); // ends when the server's close comes through
            sent.get(10, TimeUnit.SECONDS);
            byte[] reversed = new byte[data.length];
            for (int i = 0; i < data.length; i++) {
                reversed[i] = data[data.length - 1 - i];
            }
            assertArrayEquals(reversed, back);
        }
    }

    @Test
    void manyConnectionsShareTheLoop() throws Exception {
        ServerSocket server = halfCloseServer();
        ProxyLoop.Forwarding f = keep(loop.tcp(new InetSocketAddress(LO, 0), (InetSocketAddress) server.getLocalSocketAddress()));
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String msg = "hello " + i;
            answers.add(CompletableFuture.supplyAsync(() -> {
                try (Socket c = new Socket(LO, f.address().getPort())) {
                    c.setSoTimeout(10_000);
                    c.getOutputStream().write(msg.getBytes(StandardCharsets.US_ASCII));
                    c.shutdownOutput();
                    return new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (int i = 0; i < 20; i++) {
            String expected = new StringBuilder("hello " + i).reverse().toString();
            assertEquals(("hello " + i).length() + "\n" + expected, answers.get(i).get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void aRefusedUpstreamClosesTheClient() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, LO)) {
            dead = s.getLocalPort();
        }
        ProxyLoop.Forwarding f = keep(loop.tcp(new InetSocketAddress(LO, 0), new InetSocketAddress(LO, dead)));
        try (Socket c = new Socket(LO, f.address().getPort())) {
            c.setSoTimeout(5000);
            try {
                assertEquals(-1, c.getInputStream().read());
            } catch (IOException e) {
                // a reset is as good as an end of stream here
            }
        }
    }

    @Test
    void closingAForwardingFreesThePortAndDropsItsConnections() throws Exception {
        ServerSocket server = keep(new ServerSocket(0, 50, LO));
        ProxyLoop.Forwarding f = loop.tcp(new InetSocketAddress(LO, 0), (InetSocketAddress) server.getLocalSocketAddress());
        int port = f.address().getPort();
        assertThrows(BindException.class, () -> loop.tcp(new InetSocketAddress(LO, port),
                (InetSocketAddress) server.getLocalSocketAddress()), "the port is held");
        Socket c = keep(new Socket(LO, port));
        c.setSoTimeout(5000);
        Socket accepted = keep(server.accept());
        f.close();
        try {
            assertEquals(-1, c.getInputStream().read(), "the proxied connection is closed");
        } catch (IOException e) {
            // reset: closed as well
        }
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(LO, port)); // free the moment close returned
        }
        accepted.close();
    }

    @Test
    void udpKeepsAFlowPerClientAndForgetsIdleOnes() throws Exception {
        DatagramSocket echo = keep(new DatagramSocket(0, LO));
        Thread t = new Thread(() -> {
            byte[] buf = new byte[2048];
            while (!echo.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    echo.receive(p);
                    String s = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII) + " from "
                            + p.getPort();
                    byte[] out = s.getBytes(StandardCharsets.US_ASCII);
                    echo.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }, "udp-echo");
        t.setDaemon(true);
        t.start();
        UdpForwarding f = (UdpForwarding) keep(loop.udp(new InetSocketAddress(LO, 0),
                (InetSocketAddress) echo.getLocalSocketAddress()));
        DatagramSocket a = keep(new DatagramSocket(0, LO));
        DatagramSocket b = keep(new DatagramSocket(0, LO));
        String fromA1 = roundTrip(a, f.address(), "a1");
        String fromA2 = roundTrip(a, f.address(), "a2");
        String fromB = roundTrip(b, f.address(), "b1");
        assertEquals(fromA1.substring(3), fromA2.substring(3), "one client, one flow, one upstream port");
        assertTrue(!fromA1.substring(3).equals(fromB.substring(3)), "each client its own flow");
        assertEquals(2, f.flows());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (f.flows() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(0, f.flows(), "idle flows expire (2 s here, 90 s as docker-proxy by default)");
        assertTrue(roundTrip(a, f.address(), "a3").startsWith("a3 from "), "a new flow after expiry");
    }

    private static String roundTrip(DatagramSocket s, InetSocketAddress to, String msg) throws IOException {
        byte[] out = msg.getBytes(StandardCharsets.US_ASCII);
        s.setSoTimeout(5000);
        for (int attempt = 0; attempt < 3; attempt++) {
            s.send(new DatagramPacket(out, out.length, to));
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
                assertEquals(to.getPort(), p.getPort(), "the reply comes from the published port");
                return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
            } catch (SocketTimeoutException e) {
                // UDP: try again, a few times at most
            }
        }
        throw new SocketTimeoutException("no UDP answer through the proxy");
    }
}
