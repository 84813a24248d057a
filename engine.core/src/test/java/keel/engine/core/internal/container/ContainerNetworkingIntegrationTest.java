package keel.engine.core.internal.container;

import static keel.engine.core.internal.container.ContainerFixture.await;
import static keel.engine.core.internal.container.ContainerFixture.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ContainerDetails;
import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.CreateRequest;
import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.NetworkingConfig;
import keel.engine.api.container.WaitCondition;
import keel.engine.api.errors.EngineException.Kind;
import keel.engine.api.network.EndpointResult;
import keel.engine.api.network.EndpointSpec;
import keel.engine.api.network.NetworkCreateRequest;
import keel.engine.api.network.NetworkDriver;
import keel.engine.api.network.NetworkSpec;
import keel.engine.api.network.Sandbox;
import keel.engine.core.internal.container.ContainerFixture.CollectingSink;
import keel.engine.core.internal.network.NetworkDefaults;
import keel.engine.core.internal.network.ipam.AddressPools;
import keel.engine.core.internal.network.ipam.HostRoutes;
import keel.engine.core.internal.network.ipam.Ipv4Prefix;
import keel.network.bridge.internal.BridgeNetwork;
import keel.network.bridge.internal.BridgeNetworks;
import keel.network.bridge.internal.BridgeSettings;
import keel.network.bridge.internal.Joined;
import keel.network.bridge.internal.ProcSysctl;
import keel.network.bridge.internal.firewall.Iptables;
import keel.network.bridge.internal.firewall.KeelFirewall;
import keel.network.bridge.internal.firewall.ProcessIptables;
import keel.network.bridge.internal.firewall.RuleTags;
import keel.network.bridge.internal.netlink.JnrNetlinkKernel;
import keel.network.bridge.internal.netlink.Link;
import keel.network.bridge.internal.netlink.Rtnetlink;
import keel.network.none.NoneNetworkDriver;
import keel.runtime.linux.NetnsSandboxFactory;

/**
 * Docker's networking end to end on the kernel: busybox containers (native runtime) on the real bridge driver,
 * user-defined networks with the embedded DNS server, published ports through the userland proxy, connect and
 * disconnect on running containers, and a daemon restart. Only 198.19.0.0/16 (benchmarking space) is used, bridges
 * are named kc-XXXXXX and rules carry the owner tag "kc", so nothing of the daemon's (keel0, "keel" rules) is ever
 * touched; every kc-* link and kc rule is swept after each test, whatever happened.
 */
class ContainerNetworkingIntegrationTest {

    static final String OWNER = "kc";
    static final String CGROUP_PARENT = "/keel-net-itest";
    static final SecureRandom RANDOM = new SecureRandom();
    static final ProcSysctl SYSCTL = new ProcSysctl(Path.of("/proc/sys"));
    static Iptables iptables;
    static String ipForward;

    @TempDir
    Path dir;
    ContainerIntegrationTest.CoreRuntime runtime;
    ContainerFixture f;
    ContainerEngine engine;
    TestBridge bridge;

    /** The bridge driver on the kernel under the owner "kc"; {@link #restart} is the driver's bundle restarting. */
    static final class TestBridge implements NetworkDriver {
        volatile BridgeNetworks impl = make();

        static BridgeNetworks make() {
            return new BridgeNetworks(new BridgeSettings(true, true, true, 1500, OWNER, Duration.ofSeconds(5)),
                    JnrNetlinkKernel.instance(), iptables, SYSCTL);
        }

        /** Its proxies (and so the published ports) go; the engine's restore brings them back. */
        void restart() {
            impl.close();
            impl = make();
        }

        @Override
        public String name() {
            return "bridge";
        }

        @Override
        public void createNetwork(NetworkSpec network) throws IOException {
            impl.createNetwork(network);
        }

        @Override
        public void deleteNetwork(NetworkSpec network) throws IOException {
            impl.deleteNetwork(network);
        }

        @Override
        public EndpointResult join(NetworkSpec network, EndpointSpec endpoint, Sandbox sandbox) throws IOException {
            Joined j = impl.join(network, endpoint, sandbox);
            EndpointResult r = j.result();
            return new EndpointResult(r.interfaceName(), r.ipv4Address(), r.gateway(), r.macAddress(), j.ports());
        }

        @Override
        public void leave(NetworkSpec network, EndpointSpec endpoint, Sandbox sandbox) throws IOException {
            impl.leave(network, endpoint, sandbox);
        }

        @Override
        public void restore(List<NetworkSpec> networks, List<EndpointSpec> endpoints) throws IOException {
            impl.restore(networks, endpoints);
        }
    }

    @BeforeAll
    static void remember() throws IOException {
        iptables = ProcessIptables.locate();
        ipForward = SYSCTL.read("net.ipv4.ip_forward").orElseThrow();
        sweep();
    }

    @AfterAll
    static void putBack() throws IOException {
        sweep();
        new KeelFirewall(iptables).removeChainsIfUnused();
        SYSCTL.set("net.ipv4.ip_forward", ipForward);
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] p = line.split(" ");
            int dash = List.of(p).indexOf("-");
            if (dash > 0 && p.length > dash + 1 && (p[dash + 1].equals("cgroup") || p[dash + 1].equals("cgroup2"))) {
                try {
                    Files.deleteIfExists(Path.of(p[4] + CGROUP_PARENT));
                } catch (IOException e) {
                    // not empty: a container leaked, which the tests would have reported
                }
            }
        }
    }

    /** Removes every kc-* link (bridges, and the veths on them go too) and every rule tagged kc. */
    static void sweep() throws IOException {
        try (Rtnetlink nl = Rtnetlink.open(JnrNetlinkKernel.instance())) {
            List<Link> links = nl.links();
            List<Integer> bridges = links.stream().filter(l -> l.name().startsWith("kc-")).map(Link::index).toList();
            for (Link l : links) {
                if (l.name().startsWith("kc-") || (l.kind().equals("veth") && bridges.contains(l.master()))) {
                    nl.deleteLink(l.name());
                }
            }
        }
        new KeelFirewall(iptables).removeTagged(new RuleTags(OWNER)::isOurs);
    }

    static String hex(int n) {
        byte[] b = new byte[(n + 1) / 2];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b).substring(0, n);
    }

    @BeforeEach
    void open() throws Exception {
        runtime = new ContainerIntegrationTest.CoreRuntime();
        f = new ContainerFixture(dir, runtime, new SpecBridge(dir.resolve("data")));
        f.sandboxes = new NetnsSandboxFactory();
        f.routes = HostRoutes.ofThisHost();
        f.networkDefaults = new NetworkDefaults(dir.resolve("data"), dir.resolve("run"),
                Ipv4Prefix.parse("198.19." + (100 + RANDOM.nextInt(150)) + ".1/24"), null, "kc-" + hex(6), 1500,
                true, new AddressPools(List.of(AddressPools.parse("base=198.19.0.0/16,size=24"))), List.of(),
                List.of(), List.of(), Duration.ofSeconds(2));
        f.networkDrivers.add(new NoneNetworkDriver(), Map.of(NetworkDriver.NAME_PROPERTY, "none"));
        bridge = new TestBridge();
        f.networkDrivers.add(bridge, Map.of(NetworkDriver.NAME_PROPERTY, "bridge"));
        engine = f.open();
    }

    @AfterEach
    void close() throws Exception {
        try {
            f.close();
        } finally {
            runtime.core.close();
            bridge.impl.close();
            f.unmountNetnsDir();
            sweep();
        }
    }

    /** A user-defined network on a kc-* bridge. */
    private String network(String name) {
        String full = name + "-" + hex(4);
        f.networks.create(new NetworkCreateRequest(full, "bridge", false, false, null, null, false,
                Map.of(BridgeNetwork.BRIDGE_NAME, "kc-" + hex(6)), Map.of()));
        return full;
    }

    private static HostConfig hc(Object... more) {
        // no search domains: a short name is asked as it is, never with the host's domains appended
        List<Object> nv = new ArrayList<>(List.of("cgroupParent", CGROUP_PARENT, "dnsSearch", List.of(".")));
        nv.addAll(List.of(more));
        return ContainerFixture.host(nv.toArray());
    }

    private String run(String name, HostConfig hc, Map<String, EndpointSettings> endpoints, String script) {
        ContainerConfig c = ContainerConfig.builder().image("busybox").cmd(List.of("sh", "-c", script))
                .exposedPorts(Map.of("80/tcp", Map.of())).build();
        String id = engine.create(name, new CreateRequest(c, hc, endpoints == null ? null
                : new NetworkingConfig(endpoints))).id();
        engine.start(id);
        return id;
    }

    static final String HTTPD = "mkdir -p /www && echo hello-from-$(cat /etc/hostname) > /www/index.html "
            + "&& exec busybox httpd -f -p 80 -h /www";

    private static EndpointSettings aliases(String... a) {
        return new EndpointSettings(null, null, null, List.of(a), null, null, null, null, null, null, null, null,
                null, null);
    }

    private String exec(String id, String... cmd) {
        String e = engine.execCreate(id, ContainerFixture.exec(cmd));
        CollectingSink sink = new CollectingSink();
        engine.execStart(e, false, false, sink);
        try {
            await(() -> sink.ended);
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
        return sink.text();
    }

    private int exitOf(String id) throws Exception {
        return engine.await(id, WaitCondition.NOT_RUNNING).toCompletableFuture().get(60, TimeUnit.SECONDS)
                .statusCode();
    }

    private String ip(String id, String network) {
        return engine.inspect(id, false).networkSettings().networks().get(network).ipAddress();
    }

    /** GET / from the host, retried while the server starts (bounded). */
    private static String fetch(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(5000);
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                String r = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (r.contains("200 OK")) {
                    return r.substring(r.indexOf("\r\n\r\n") + 4);
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nothing answered on 127.0.0.1:" + port);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void containersOnAUserNetworkFindAndReachEachOtherByNameAndAlias() throws Exception {
        String net = network("kc-app");
        String web = run("web", hc("networkMode", net), Map.of(net, aliases("www")), HTTPD);
        String webIp = ip(web, net);
        assertTrue(webIp.startsWith("198.19."), webIp);
        String client = run("client", hc("networkMode", net), null,
                "busybox nslookup web; busybox nslookup nosuchname; cat /etc/resolv.conf; "
                        + "busybox wget -q -O - http://www/ && busybox ping -c1 -W2 web");
        int code = exitOf(client);
        String out = f.logs(client);
        assertEquals(0, code, out);
        assertTrue(out.contains("Address: " + webIp), out);
        assertTrue(out.contains("NXDOMAIN"), "an unknown name of the engine's: " + out);
        assertTrue(out.contains("nameserver 127.0.0.11\n") && out.contains("options ndots:0"), out);
        assertTrue(out.contains("hello-from-" + web.substring(0, 12)), "fetched through the alias: " + out);
        assertTrue(out.contains("1 packets received"), out);

        ContainerDetails d = engine.inspect(web, false);
        EndpointSettings e = d.networkSettings().networks().get(net);
        assertEquals(List.of("web", "www", web.substring(0, 12)), e.dnsNames());
        assertEquals(f.networks.inspect(net).id(), e.networkID());
        assertTrue(Files.readString(Path.of(d.hostsPath())).contains(webIp + "\t" + web.substring(0, 12) + "\n"));
        assertEquals(List.of(web), new ArrayList<>(f.networks.inspect(net).containers().keySet()),
                "the client exited: its endpoint is gone");
        var busy = expect(() -> {
            f.networks.remove(net);
            return null;
        });
        assertEquals(Kind.FORBIDDEN, busy.kind());
    }

    @Test
    void connectAndDisconnectOnARunningContainerChangeItsInterfacesHostsAndNames() throws Exception {
        String net = network("kc-live");
        String alpha = run("alpha", hc("networkMode", net), null, "exec sleep 300");
        String beta = run("beta", hc(), null, "exec sleep 300");
        Path hosts = Path.of(engine.inspect(beta, false).hostsPath());
        Object inode = Files.readAttributes(hosts, BasicFileAttributes.class).fileKey();
        assertFalse(exec(beta, "cat", "/etc/resolv.conf").contains("127.0.0.11"), "the default bridge: legacy");

        f.networks.connect(net, "beta", null);
        String betaIp = ip(beta, net);
        assertTrue(exec(beta, "busybox", "ip", "-4", "addr").contains(betaIp + "/24"));
        assertTrue(exec(beta, "cat", "/etc/hosts").contains(betaIp + "\t" + beta.substring(0, 12)));
        assertEquals(inode, Files.readAttributes(hosts, BasicFileAttributes.class).fileKey(), "rewritten in place");
        assertTrue(exec(beta, "cat", "/etc/resolv.conf").contains("nameserver 127.0.0.11"));
        assertTrue(exec(beta, "busybox", "nslookup", "alpha").contains("Address: " + ip(alpha, net)));
        assertTrue(f.networks.inspect(net).containers().containsKey(beta));
        var twice = expect(() -> {
            f.networks.connect(net, beta.substring(0, 8), null);
            return null;
        });
        assertEquals(Kind.FORBIDDEN, twice.kind());
        assertEquals("endpoint with name beta already exists in network " + net, twice.getMessage());

        f.networks.disconnect(net, "beta", false);
        assertFalse(exec(beta, "busybox", "ip", "-4", "addr").contains(betaIp));
        assertFalse(exec(beta, "cat", "/etc/hosts").contains(betaIp));
        assertFalse(engine.inspect(beta, false).networkSettings().networks().containsKey(net));
        assertFalse(f.networks.inspect(net).containers().containsKey(beta));
        assertTrue(exec(alpha, "busybox", "nslookup", "beta").contains("NXDOMAIN"), "its name went with it");
        engine.kill(alpha, null);
        engine.kill(beta, null);
    }

    @Test
    void aPublishedPortIsReachableFromTheHostAndItsEphemeralPortIsReported() throws Exception {
        String web = run("pub", hc("portBindings", Map.of("80/tcp", List.of(new HostConfig.PortBinding(
                "127.0.0.1", "")))), null, HTTPD);
        Map<String, List<HostConfig.PortBinding>> ports = engine.inspect(web, false).networkSettings().ports();
        HostConfig.PortBinding b = ports.get("80/tcp").get(0);
        assertEquals("127.0.0.1", b.hostIp());
        int port = Integer.parseInt(b.hostPort());
        assertNotEquals(0, port);
        assertEquals("hello-from-" + web.substring(0, 12) + "\n", fetch(port));
        assertEquals(List.of(new ContainerSummary.Port("127.0.0.1", 80, port, "tcp")),
                engine.list(false, 0, false, Map.of("id", List.of(web))).get(0).ports());

        String clash = engine.create("clash", new CreateRequest(ContainerConfig.builder().image("busybox")
                .cmd(List.of("sleep", "300")).build(), hc("portBindings", Map.of("80/tcp", List.of(
                        new HostConfig.PortBinding("127.0.0.1", Integer.toString(port))))), null)).id();
        var e = expect(() -> {
            engine.start(clash);
            return null;
        });
        assertTrue(e.getMessage().startsWith("failed to set up container networking: driver failed programming "
                + "external connectivity on endpoint clash ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("Bind for 127.0.0.1:" + port + " failed: port is already allocated"),
                e.getMessage());
        assertFalse(engine.inspect(clash, false).state().running());
        engine.kill(web, null);
        exitOf(web);
        assertEquals(Map.of(), engine.inspect(web, false).networkSettings().ports(), "a stopped container has none");
    }

    @Test
    void aRestartKeepsAddressesAndPortsAndServesDnsAgain() throws Exception {
        String net = network("kc-keep");
        String web = run("keepweb", hc("networkMode", net, "portBindings", Map.of("80/tcp", List.of(
                new HostConfig.PortBinding("127.0.0.1", "")))), null, HTTPD);
        String client = run("keepclient", hc("networkMode", net), null, "exec sleep 300");
        String webIp = ip(web, net);
        String clientIp = ip(client, net);
        int port = Integer.parseInt(engine.inspect(web, false).networkSettings().ports().get("80/tcp").get(0)
                .hostPort());
        assertEquals("hello-from-" + web.substring(0, 12) + "\n", fetch(port));

        long t0 = System.nanoTime();
        engine.close();
        f.networks.close();
        bridge.restart(); // the whole daemon: the driver's proxies go too
        engine = f.open();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.println("[measure] network engine + containers restart with 2 running containers: " + ms + " ms");
        for (String id : List.of(web, client)) {
            ContainerRecord r = engine.lookup(id);
            await(() -> {
                synchronized (r) {
                    return r.run != null && r.run.process != null; // adopted by the runtime
                }
            });
        }

        assertEquals(webIp, ip(web, net));
        assertEquals(clientIp, ip(client, net));
        assertEquals(2, f.networks.inspect(net).containers().size());
        assertTrue(exec(client, "busybox", "nslookup", "keepweb").contains("Address: " + webIp),
                "the DNS server listens in the running container's namespace again");
        assertEquals("hello-from-" + web.substring(0, 12) + "\n", fetch(port), "the same host port, restored");
        String third = run("third", hc("networkMode", net), null, "exec sleep 300");
        assertNotEquals(webIp, ip(third, net));
        assertNotEquals(clientIp, ip(third, net));
        for (String id : List.of(web, client, third)) {
            engine.kill(id, null);
        }
    }

    @Test
    void aContainerOnAnothersNetworkSharesItsNamespaceAndFilesWhileItRuns() throws Exception {
        String net = network("kc-share");
        String web = run("host1", hc("networkMode", net), null, HTTPD);
        String side = engine.create("side", new CreateRequest(ContainerConfig.builder().image("busybox")
                .cmd(List.of("sh", "-c", "busybox wget -q -O - http://127.0.0.1/ && cat /etc/hosts")).build(),
                hc("networkMode", "container:host1"), null)).id();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int code;
        do { // httpd may not listen yet
            engine.start(side);
            code = exitOf(side);
        } while (code != 0 && System.nanoTime() < deadline);
        String out = f.logs(side);
        assertEquals(0, code, out);
        assertTrue(out.contains("hello-from-" + web.substring(0, 12)), out);
        assertTrue(out.contains(ip(web, net) + "\t" + web.substring(0, 12)), "host1's /etc/hosts: " + out);
        assertEquals(Map.of(), engine.inspect(side, false).networkSettings().networks());

        engine.kill(web, null);
        exitOf(web);
        var e = expect(() -> {
            engine.start(side);
            return null;
        });
        assertEquals(Kind.CONFLICT, e.kind());
        assertEquals("failed to set up container networking: cannot join network namespace of a non running "
                + "container: container host1 is exited", e.getMessage());
    }

    @Test
    void aStoppedContainerConnectedToANetworkJoinsItAtItsNextStart() throws Exception {
        String net = network("kc-late");
        String late = engine.create("late", new CreateRequest(ContainerConfig.builder().image("busybox")
                .cmd(List.of("sleep", "300")).build(), hc(), null)).id();
        f.networks.connect(net, "late", aliases("later"));
        EndpointSettings recorded = engine.inspect(late, false).networkSettings().networks().get(net);
        assertEquals(List.of("later"), recorded.aliases());
        assertEquals("", recorded.ipAddress());
        engine.start(late);
        assertTrue(ip(late, "bridge").startsWith("198.19."));
        String lateIp = ip(late, net);
        String asker = run("asker", hc("networkMode", net), null, "busybox nslookup later");
        assertEquals(0, exitOf(asker), f.logs(asker));
        assertTrue(f.logs(asker).contains("Address: " + lateIp), f.logs(asker));

        engine.kill(late, null);
        exitOf(late);
        assertEquals("", engine.inspect(late, false).networkSettings().networks().get(net).ipAddress());
        f.networks.disconnect(net, "late", false);
        assertFalse(engine.inspect(late, false).networkSettings().networks().containsKey(net));
        var again = expect(() -> {
            f.networks.disconnect(net, "late", false);
            return null;
        });
        assertEquals("container " + late + " is not connected to the network " + net, again.getMessage());
    }

    @Test
    void measureRunRmOnTheBridgeAndOnAUserNetwork() throws Exception {
        String net = network("kc-time");
        for (String mode : List.of("bridge", net)) {
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                String id = engine.create(null, new CreateRequest(ContainerConfig.builder().image("busybox")
                        .cmd(List.of("true")).build(), hc("networkMode", mode, "autoRemove", true), null)).id();
                var removed = engine.await(id, WaitCondition.REMOVED).toCompletableFuture();
                engine.start(id);
                removed.get(60, TimeUnit.SECONDS);
                best = Math.min(best, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0));
            }
            System.out.println("[measure] run --rm busybox true on " + (mode.equals("bridge") ? "the default bridge"
                    : "a user-defined network (DNS server)") + ": best of 5 " + best / 1000.0 + " ms");
        }
        engine.awaitJanitor();
        assertEquals(0, f.networks.inspect(net).containers().size(), "every endpoint released");
    }
}
