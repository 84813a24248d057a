package keel.network.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import keel.engine.api.network.EndpointSpec;
import keel.engine.api.network.NetworkSpec;
import keel.engine.api.network.Sandbox;
import keel.network.bridge.internal.BridgeNetworks;

/**
 * Measures (prints, never asserts) what a published port costs: 200 MB from the host to a container directly,
 * through NAT on 127.0.0.1 and on the gateway address (no proxy), and through the userland proxy on 127.0.0.1;
 * and the time to connect and get a first byte back on each path.
 */
class PublishedPortThroughputTest extends KernelFixture {

    private static final long BYTES = 200L * 1024 * 1024;

    /** A sink inside the sandbox: answers "!" on connect, reads to the end, answers the count. */
    private ServerSocket sink(Sandbox s, int port) throws Exception {
        ServerSocket server = s.call(() -> {
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(port), 50);
            return ss;
        });
        closeables.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket c = server.accept();
                    Thread h = new Thread(() -> {
                        try (c) {
                            c.getOutputStream().write('!');
                            InputStream in = c.getInputStream();
                            byte[] buf = new byte[256 * 1024];
                            long total = 0;
                            int n;
                            while ((n = in.read(buf)) > 0) {
                                total += n;
                            }
                            new DataOutputStream(c.getOutputStream()).writeLong(total);
                        } catch (IOException e) {
                            // the client went away
                        }
                    }, "kt-sink-conn");
                    h.setDaemon(true);
                    h.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "kt-sink");
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static double megabytesPerSecond(InetSocketAddress to) throws IOException {
        byte[] chunk = new byte[256 * 1024];
        long t0 = System.nanoTime();
        try (Socket c = new Socket()) {
            c.connect(to, 3000);
            c.setSoTimeout(30_000);
            assertEquals('!', c.getInputStream().read());
            OutputStream out = c.getOutputStream();
            for (long sent = 0; sent < BYTES; sent += chunk.length) {
                out.write(chunk);
            }
            c.shutdownOutput();
            assertEquals(BYTES, new DataInputStream(c.getInputStream()).readLong());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return BYTES / 1048576.0 / seconds;
    }

    /** Median microseconds to connect and read the first byte, over 50 connections. */
    private static long connectMicros(InetSocketAddress to) throws IOException {
        List<Long> us = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long t0 = System.nanoTime();
            try (Socket c = new Socket()) {
                c.connect(to, 3000);
                c.setSoTimeout(5000);
                assertEquals('!', c.getInputStream().read());
                us.add((System.nanoTime() - t0) / 1000);
                c.shutdownOutput();
                c.getInputStream().readAllBytes();
            }
        }
        return us.stream().sorted().toList().get(us.size() / 2);
    }

    private static InetSocketAddress at(String ip, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void throughputDirectNatAndProxy() throws Exception {
        NetworkSpec n = network(5, false, Map.of());
        Sandbox a = sandbox("a");
        sink(a, 80);
        List<String> report = new ArrayList<>();

        BridgeNetworks nat = driver(false);
        nat.createNetwork(n);
        EndpointSpec ep = endpoint("198.18.5.2/24", tcp(80, "", 0));
        int port = nat.join(n, ep, a).ports().get(0).hostPort();
        megabytesPerSecond(at("198.18.5.2", 80)); // warm-up: JIT, conntrack, ARP
        report.add(String.format("direct to 198.18.5.2:80      %7.0f MB/s, connect+first byte %4d us",
                megabytesPerSecond(at("198.18.5.2", 80)), connectMicros(at("198.18.5.2", 80))));
        report.add(String.format("NAT 127.0.0.1:%-5d          %7.0f MB/s, connect+first byte %4d us", port,
                megabytesPerSecond(at("127.0.0.1", port)), connectMicros(at("127.0.0.1", port))));
        report.add(String.format("NAT gateway 198.18.5.1:%-5d %7.0f MB/s, connect+first byte %4d us", port,
                megabytesPerSecond(at("198.18.5.1", port)), connectMicros(at("198.18.5.1", port))));
        nat.leave(n, ep, a);
        nat.close();
        drivers.remove(nat);

        BridgeNetworks proxied = driver(true);
        proxied.createNetwork(n); // the same network, rules switched to the proxy's
        port = proxied.join(n, ep, a).ports().get(0).hostPort();
        megabytesPerSecond(at("127.0.0.1", port));
        report.add(String.format("proxy 127.0.0.1:%-5d        %7.0f MB/s, connect+first byte %4d us", port,
                megabytesPerSecond(at("127.0.0.1", port)), connectMicros(at("127.0.0.1", port))));
        System.out.println("200 MB host -> container, one connection:\n  " + String.join("\n  ", report));
    }
}
