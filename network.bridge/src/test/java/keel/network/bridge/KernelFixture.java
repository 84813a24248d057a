package keel.network.bridge;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.network.EndpointSpec;
import keel.engine.api.network.EndpointSpec.PortMapping;
import keel.engine.api.network.NetworkSpec;
import keel.engine.api.network.Sandbox;
import keel.network.bridge.internal.BridgeNetwork;
import keel.network.bridge.internal.BridgeNetworks;
import keel.network.bridge.internal.BridgeSettings;
import keel.network.bridge.internal.ProcSysctl;
import keel.network.bridge.internal.firewall.Iptables;
import keel.network.bridge.internal.firewall.KeelFirewall;
import keel.network.bridge.internal.firewall.ProcessIptables;
import keel.network.bridge.internal.firewall.RuleTags;
import keel.network.bridge.internal.netlink.JnrNetlinkKernel;
import keel.network.bridge.internal.netlink.Link;
import keel.network.bridge.internal.netlink.Rtnetlink;
import keel.runtime.linux.NetnsSandboxFactory;

/**
 * Real kernel state for the bridge driver's tests, and its removal whatever a test did: networks use only
 * 198.18.0.0/15 (benchmarking space), bridges are named kt-XXXXXX, rules carry the owner tag "kt" (so the
 * daemon's "keel" rules, docker0 and keel0 are never seen, let alone touched), sandboxes live under the test's
 * temporary directory. After each test: networks deleted, every kt-* link and kt-tagged rule swept, sandboxes
 * deleted, their directory unmounted. ip_forward and bridge-nf-call-iptables get their old values back.
 */
abstract class KernelFixture {

    static final String OWNER = "kt";
    static final SecureRandom RANDOM = new SecureRandom();
    static final NetnsSandboxFactory SANDBOXES = new NetnsSandboxFactory();
    static final ProcSysctl SYSCTL = new ProcSysctl(Path.of("/proc/sys"));
    static Iptables iptables;
    private static String ipForward;
    private static String bridgeNfCall;

    @TempDir
    Path work;
    final List<BridgeNetworks> drivers = new ArrayList<>();
    final List<NetworkSpec> networks = new ArrayList<>();
    final List<Path> sandboxes = new ArrayList<>();
    final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void remember() throws IOException {
        iptables = ProcessIptables.locate();
        ipForward = SYSCTL.read("net.ipv4.ip_forward").orElseThrow();
        bridgeNfCall = SYSCTL.read("net.bridge.bridge-nf-call-iptables").orElse(null);
        sweep(); // what a killed earlier run may have left
    }

    @AfterAll
    static void putBack() throws IOException {
        sweep();
        new KeelFirewall(iptables).removeChainsIfUnused();
        SYSCTL.set("net.ipv4.ip_forward", ipForward);
        if (bridgeNfCall != null) {
            SYSCTL.set("net.bridge.bridge-nf-call-iptables", bridgeNfCall);
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        for (BridgeNetworks d : drivers) {
            for (NetworkSpec n : networks) {
                try {
                    d.deleteNetwork(n);
                } catch (Exception e) {
                    failures.add(e);
                }
            }
            d.close();
        }
        for (Path p : sandboxes) {
            try {
                SANDBOXES.delete(p);
            } catch (Exception e) {
                failures.add(e);
            }
        }
        Path dir = work.resolve("netns");
        if (Files.isDirectory(dir)) {
            // NetworkNamespaces made the directory a private bind mount of itself.
            Process p = new ProcessBuilder("umount", "-l", dir.toString()).redirectErrorStream(true).start();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        sweep();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /** Removes every kt-* link (bridges and the test's host veths go with them) and every kt-tagged rule. */
    static void sweep() throws IOException {
        try (Rtnetlink nl = Rtnetlink.open(JnrNetlinkKernel.instance())) {
            List<Link> links = nl.links();
            List<Integer> bridges = links.stream().filter(l -> l.name().startsWith("kt-")).map(Link::index).toList();
            for (Link l : links) {
                if (l.name().startsWith("kt-") || (l.kind().equals("veth") && bridges.contains(l.master()))) {
                    nl.deleteLink(l.name());
                }
            }
        }
        new KeelFirewall(iptables).removeTagged(new RuleTags(OWNER)::isOurs);
    }

    BridgeNetworks driver(boolean userlandProxy) {
        BridgeNetworks d = new BridgeNetworks(new BridgeSettings(userlandProxy, true, true, 1500, OWNER,
                Duration.ofSeconds(5)), JnrNetlinkKernel.instance(), iptables, SYSCTL);
        drivers.add(d);
        return d;
    }

    static String hex(int n) {
        byte[] b = new byte[(n + 1) / 2];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b).substring(0, n);
    }

    /** A network on 198.18.{octet}.0/24 with a kt-XXXXXX bridge. */
    NetworkSpec network(int octet, boolean internal, Map<String, String> extraOptions) {
        Map<String, String> options = new java.util.HashMap<>(extraOptions);
        options.putIfAbsent(BridgeNetwork.BRIDGE_NAME, "kt-" + hex(6));
        NetworkSpec n = new NetworkSpec("7e57" + hex(60), "kt-net-" + octet, "bridge", options,
                List.of(new NetworkSpec.IpamPool("198.18." + octet + ".0/24", null, "198.18." + octet + ".1")),
                internal, Map.of());
        networks.add(n);
        return n;
    }

    static String bridgeOf(NetworkSpec n) {
        return n.options().get(BridgeNetwork.BRIDGE_NAME);
    }

    Sandbox sandbox(String name) throws IOException {
        Path p = work.resolve("netns").resolve(name);
        sandboxes.add(p);
        return SANDBOXES.create(name, p);
    }

    static EndpointSpec endpoint(String cidr, PortMapping... ports) {
        String id = hex(64);
        return new EndpointSpec(id, hex(64), "c-" + id.substring(0, 6), cidr, null, List.of(), List.of(ports));
    }

    static PortMapping tcp(int containerPort, String hostIp, int hostPort) {
        return new PortMapping("tcp", containerPort, hostIp, hostPort);
    }

    /**
     * A TCP server opened inside the sandbox (the socket stays in its namespace): each connection gets
     * {@code greeting}, then whatever it sends is echoed until it half-closes.
     */
    ServerSocket serve(Sandbox s, int port, String greeting) throws Exception {
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
                            c.getOutputStream().write(greeting.getBytes(StandardCharsets.UTF_8));
                            c.getInputStream().transferTo(c.getOutputStream());
                        } catch (IOException e) {
                            // the client went away
                        }
                    }, "kt-conn");
                    h.setDaemon(true);
                    h.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "kt-server-" + s.id());
        t.setDaemon(true);
        t.start();
        return server;
    }

    /** Connects (from the calling thread's namespace), reads the greeting of {@code length} bytes. */
    static String greeting(InetSocketAddress to, int length) throws IOException {
        try (Socket c = new Socket()) {
            c.connect(to, 3000);
            c.setSoTimeout(5000);
            byte[] b = c.getInputStream().readNBytes(length);
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    /** Whether a connection from inside {@code s} to {@code to} fails (dropped: it times out after 1 s). */
    static boolean unreachable(Sandbox s, InetSocketAddress to) throws Exception {
        return s.call(() -> {
            try (Socket c = new Socket()) {
                c.connect(to, 1000);
                return false;
            } catch (IOException e) {
                return true;
            }
        });
    }

    /** The same, from inside a sandbox. */
    static String greetingFrom(Sandbox s, InetSocketAddress to, int length) throws Exception {
        return s.call(() -> greeting(to, length));
    }

    /** Packets the DROP rules of {@code chain} that mention {@code bridge} have dropped (iptables -L -v). */
    static long dropped(String table, String chain, String bridge) throws Exception {
        long sum = 0;
        for (String line : sh("iptables", "-w", "-t", table, "-L", chain, "-v", "-x", "-n").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 2 && f[2].equals("DROP") && line.contains(bridge)) {
                sum += Long.parseLong(f[0]);
            }
        }
        return sum;
    }

    /** Runs a command and returns its output (iptables -S, for assertions that read like the shell). */
    static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
