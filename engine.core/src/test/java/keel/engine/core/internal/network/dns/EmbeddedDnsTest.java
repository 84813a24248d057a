package keel.engine.core.internal.network.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.network.EndpointSpec;
import keel.engine.api.network.NetworkSpec;
import keel.engine.api.network.Sandbox;
import keel.network.none.NoneNetworkDriver;
import keel.runtime.linux.NetnsSandboxFactory;

/**
 * The embedded DNS server in a real network namespace (loopback up, as a join leaves it): answered at
 * 127.0.0.11:53 over UDP and TCP from inside, names of the engine answered or NXDOMAIN, the rest forwarded to an
 * upstream on the host's loopback (reachable only because the selector thread lives in the host's namespace), and
 * SERVFAIL, bounded in time, when no upstream answers.
 */
class EmbeddedDnsTest {

    static final NetnsSandboxFactory SANDBOXES = new NetnsSandboxFactory();

    @TempDir
    Path dir;
    Sandbox sandbox;
    EmbeddedDns dns;
    final List<AutoCloseable> closeables = new ArrayList<>();
    volatile List<InetSocketAddress> upstreams = List.of();

    @BeforeEach
    void open() throws Exception {
        sandbox = SANDBOXES.create("c1", dir.resolve("netns/c1"));
        new NoneNetworkDriver().join(new NetworkSpec("n", "none", "none", Map.of(), List.of(), false, Map.of()),
                new EndpointSpec("e", "c1", "c1", null, null, List.of(), List.of()), sandbox); // lo up
        dns = new EmbeddedDns(new DnsNames() {
            @Override
            public Lookup lookup(String containerId, String name, int type) {
                if (!containerId.equals("c1")) {
                    throw new AssertionError(containerId);
                }
                return switch (name.toLowerCase()) {
                    case "web" -> Lookup.answer(List.of(new byte[] {(byte) 198, 18, 0, 2}));
                    case "gone" -> Lookup.NXDOMAIN;
                    default -> Lookup.FORWARD;
                };
            }

            @Override
            public List<InetSocketAddress> upstreams(String containerId) {
                return upstreams;
            }
        }, Duration.ofMillis(300));
        dns.open("c1", sandbox);
    }

    @AfterEach
    void close() throws Exception {
        dns.close();
        for (AutoCloseable c : closeables) {
            c.close();
        }
        SANDBOXES.delete(dir.resolve("netns/c1"));
        Path netns = dir.resolve("netns");
        if (Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + netns + " ")) {
            new ProcessBuilder("umount", "-l", netns.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private DnsMessage udp(String name, int type) throws Exception {
        byte[] q = DnsMessage.query(0x4242, name, type);
        return sandbox.call(() -> {
            try (DatagramSocket s = new DatagramSocket()) {
                s.setSoTimeout(3000);
                s.send(new DatagramPacket(q, q.length, InetAddress.getByAddress(new byte[] {127, 0, 0, 11}), 53));
                DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
                s.receive(p);
                return DnsMessage.parse(p.getData(), p.getLength());
            }
        });
    }

    private DnsMessage tcp(String name, int type) throws Exception {
        byte[] q = DnsMessage.query(0x4343, name, type);
        return sandbox.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 11}), 53), 3000);
                s.setSoTimeout(3000);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeShort(q.length);
                out.write(q);
                out.flush();
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] r = new byte[in.readUnsignedShort()];
                in.readFully(r);
                return DnsMessage.parse(r, r.length);
            }
        });
    }

    @Test
    void theEnginesNamesAreAnsweredInsideTheNamespace() throws Exception {
        DnsMessage a = udp("WEB", DnsMessage.TYPE_A);
        assertEquals(0x4242, a.id());
        assertEquals(DnsMessage.NOERROR, a.rcode());
        assertArrayEquals(new byte[] {(byte) 198, 18, 0, 2}, a.answers().get(0).data());
        assertEquals(600, a.answers().get(0).ttl());
        assertEquals(List.of(), udp("web", DnsMessage.TYPE_AAAA).answers(), "the name exists: no data, NOERROR");
        assertEquals(DnsMessage.NOERROR, udp("web", DnsMessage.TYPE_AAAA).rcode());
        DnsMessage nx = udp("gone", DnsMessage.TYPE_A);
        assertEquals(DnsMessage.NXDOMAIN, nx.rcode());
        assertEquals(0x8183, nx.flags());
        DnsMessage overTcp = tcp("web", DnsMessage.TYPE_A);
        assertEquals(0x4343, overTcp.id());
        assertEquals(1, overTcp.answers().size());
        assertTrue(dns.isOpen("c1"));
    }

    @Test
    void otherNamesAreForwardedOverTheClientsProtocolAndUnansweredOnesFailInBoundedTime() throws Exception {
        assertEquals(DnsMessage.SERVFAIL, udp("example.com", DnsMessage.TYPE_A).rcode(), "no upstream: SERVFAIL");

        ServerSocket tcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closeables.add(tcp);
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                tcp.getLocalPort()));
        closeables.add(udp);
        Thread u = new Thread(() -> {
            byte[] b = new byte[512];
            while (!udp.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(b, b.length);
                    udp.receive(p);
                    DnsMessage q = DnsMessage.parse(p.getData(), p.getLength());
                    byte[] r = q.reply(DnsMessage.NOERROR, List.of(new byte[] {1, 2, 3, 4}), 30, 512);
                    udp.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                } catch (IOException | DnsMessage.FormatException e) {
                    return;
                }
            }
        });
        u.setDaemon(true);
        u.start();
        Thread t = new Thread(() -> {
            while (!tcp.isClosed()) {
                try (Socket c = tcp.accept()) {
                    DataInputStream in = new DataInputStream(c.getInputStream());
                    byte[] q = new byte[in.readUnsignedShort()];
                    in.readFully(q);
                    byte[] r = DnsMessage.parse(q, q.length).reply(DnsMessage.NOERROR, List.of(
                            new byte[] {5, 6, 7, 8}), 30, 65535);
                    DataOutputStream out = new DataOutputStream(c.getOutputStream());
                    out.writeShort(r.length);
                    out.write(r);
                } catch (IOException | DnsMessage.FormatException e) {
                    // next
                }
            }
        });
        t.setDaemon(true);
        t.start();
        upstreams = List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.getLocalPort()));

        DnsMessage viaUdp = udp("example.com", DnsMessage.TYPE_A);
        assertEquals(0x4242, viaUdp.id(), "the client's ID, not the forwarder's");
        assertArrayEquals(new byte[] {1, 2, 3, 4}, viaUdp.answers().get(0).data());
        DnsMessage viaTcp = tcp("example.com", DnsMessage.TYPE_A);
        assertEquals(0x4343, viaTcp.id());
        assertArrayEquals(new byte[] {5, 6, 7, 8}, viaTcp.answers().get(0).data());

        DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        closeables.add(silent);
        upstreams = List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()));
        long t0 = System.nanoTime();
        assertEquals(DnsMessage.SERVFAIL, udp("example.org", DnsMessage.TYPE_A).rcode());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 550 && ms < 2000, "two upstreams of 300 ms each: " + ms + " ms");
    }
}
