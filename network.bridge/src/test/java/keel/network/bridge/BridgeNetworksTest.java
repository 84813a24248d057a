package keel.network.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import keel.engine.api.errors.EngineException;
import keel.engine.api.network.EndpointResult;
import keel.engine.api.network.EndpointSpec;
import keel.engine.api.network.EndpointSpec.PortMapping;
import keel.engine.api.network.NetworkSpec;
import keel.engine.api.network.Sandbox;
import keel.network.bridge.internal.BridgeNetwork;
import keel.network.bridge.internal.BridgeNetworks;
import keel.network.bridge.internal.Joined;
import keel.network.bridge.internal.address.Ipv4Cidr;
import keel.network.bridge.internal.firewall.KeelFirewall;
import keel.network.bridge.internal.firewall.Rule;
import keel.network.bridge.internal.firewall.RuleTags;
import keel.network.bridge.internal.netlink.JnrNetlinkKernel;
import keel.network.bridge.internal.netlink.Link;
import keel.network.bridge.internal.netlink.Route;
import keel.network.bridge.internal.netlink.Rtnetlink;

/** The bridge driver against the real kernel: bridges, veths, namespaces, iptables, published ports. */
class BridgeNetworksTest extends KernelFixture {

    private static final String HELLO = "hello from A";

    private static Rtnetlink host() throws IOException {
        return Rtnetlink.open(JnrNetlinkKernel.instance());
    }

    private static InetSocketAddress at(String ip, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    /** The rule set without what changes on its own: timestamps in comments and packet counters of built-in chains. */
    private static String save() throws Exception {
        StringBuilder rules = new StringBuilder();
        for (String line : sh("iptables-save").split("\n")) {
            if (!line.startsWith("#")) {
                rules.append(line.replaceAll(" \\[\\d+:\\d+\\]$", "")).append('\n');
            }
        }
        return rules.toString();
    }

    @Test
    void createNetworkMakesTheBridgeWithTheGatewayAndItsRulesIdempotently() throws Exception {
        BridgeNetworks d = driver(true);
        NetworkSpec n = network(5, false, Map.of());
        d.createNetwork(n);
        String bridge = bridgeOf(n);
        try (Rtnetlink nl = host()) {
            Link b = nl.link(bridge).orElseThrow();
            assertEquals("bridge", b.kind());
            assertTrue(b.isUp());
            assertEquals(1500, b.mtu());
            assertEquals("kt-network:" + n.id(), b.alias());
            assertEquals(List.of(Ipv4Cidr.parse("198.18.5.1/24")), nl.addresses(b.index()));
        }
        String tag = "kt-net:" + n.id().substring(0, 12);
        String rules = save();
        assertTrue(rules.contains("-A KEEL-POSTROUTING -s 198.18.5.0/24 ! -o " + bridge + " -m comment --comment \""
                + tag + "\" -j MASQUERADE"), rules);
        assertTrue(rules.contains("-A FORWARD -j KEEL-FORWARD"), rules);
        assertTrue(rules.contains("-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j KEEL"), rules);
        assertEquals("1", SYSCTL.read("net.ipv4.ip_forward").orElseThrow());
        assertEquals("0", SYSCTL.readInterface(bridge, "route_localnet").orElseThrow(), "the proxy serves loopback");

        d.createNetwork(n); // idempotent: nothing added twice
        assertEquals(rules, save());
        KeelFirewall fw = new KeelFirewall(iptables);
        assertEquals(0, fw.reconcile(new RuleTags(OWNER).networkOnly(n.id()),
                fw.tagged(new RuleTags(OWNER).networkOnly(n.id()))), "rules read back equal the rules made");
    }

    @Test
    void networkOptionsAreDockers() throws Exception {
        BridgeNetworks d = driver(true);
        NetworkSpec n = network(6, false, Map.of(BridgeNetwork.MTU, "1400",
                BridgeNetwork.ENABLE_IP_MASQUERADE, "false", BridgeNetwork.ENABLE_ICC, "false"));
        d.createNetwork(n);
        try (Rtnetlink nl = host()) {
            assertEquals(1400, nl.link(bridgeOf(n)).orElseThrow().mtu());
        }
        String rules = save();
        assertFalse(rules.contains("-s 198.18.6.0/24 ! -o " + bridgeOf(n)), "no masquerade");
        assertTrue(rules.contains("-A KEEL-FORWARD -i " + bridgeOf(n) + " -o " + bridgeOf(n) + " -m comment"
                + " --comment \"kt-net:" + n.id().substring(0, 12) + "\" -j DROP"), "icc off");
        NetworkSpec bad = network(6, false, Map.of(BridgeNetwork.MTU, "big"));
        EngineException e = assertThrows(EngineException.class, () -> d.createNetwork(bad));
        assertEquals(EngineException.Kind.INVALID_PARAMETER, e.kind());
        NetworkSpec dflt = new NetworkSpec("7e57" + hex(60), "bridge", "bridge", Map.of(), List.of(), false, Map.of());
        assertEquals("keel0", BridgeNetwork.of(new NetworkSpec(dflt.id(), "bridge", "bridge", Map.of(),
                List.of(new NetworkSpec.IpamPool("198.18.0.0/24", null, null)), false, Map.of()), d.settings()).bridge());
        assertEquals("br-" + dflt.id().substring(0, 12), BridgeNetwork.of(new NetworkSpec(dflt.id(), "x", "bridge",
                Map.of(), List.of(new NetworkSpec.IpamPool("198.18.0.0/24", null, null)), false, Map.of()),
                d.settings()).bridge());
    }

    @Test
    void twoSandboxesGetEth0WithAddressAndDefaultRouteAndTalk() throws Exception {
        BridgeNetworks d = driver(true);
        NetworkSpec n = network(5, false, Map.of());
        d.createNetwork(n);
        Sandbox a = sandbox("a");
        Sandbox b = sandbox("b");
        EndpointResult ra = d.join(n, endpoint("198.18.5.2/24"), a).result();
        EndpointResult rb = d.join(n, endpoint("198.18.5.3/24"), b).result();
        assertEquals(new EndpointResult("eth0", "198.18.5.2/24", "198.18.5.1", "02:42:c6:12:05:02"), ra);
        assertEquals("eth0", rb.interfaceName());
        for (Sandbox s : List.of(a, b)) {
            Rtnetlink inside = s.call(() -> Rtnetlink.open(JnrNetlinkKernel.instance()));
            try {
                Link eth0 = inside.link("eth0").orElseThrow();
                assertTrue(eth0.isUp());
                assertTrue(inside.link("lo").orElseThrow().isUp());
                assertEquals(1, inside.addresses(eth0.index()).size());
                Route dflt = inside.routes().stream().filter(Route::isDefault).findFirst().orElseThrow();
                assertEquals(Ipv4Cidr.parse("198.18.5.1/32").address(), dflt.gateway());
            } finally {
                inside.close();
            }
        }
        serve(a, 7000, HELLO);
        assertEquals(HELLO, greetingFrom(b, at("198.18.5.2", 7000), HELLO.length()), "B reaches A over the bridge");
        assertEquals(HELLO, greeting(at("198.18.5.2", 7000), HELLO.length()), "the host reaches A directly");
        // A second network joined by A: eth1, and the first network's default route stays.
        NetworkSpec n2 = network(8, false, Map.of());
        d.createNetwork(n2);
        EndpointResult second = d.join(n2, endpoint("198.18.8.2/24"), a).result();
        assertEquals("eth1", second.interfaceName());
        Rtnetlink inside = a.call(() -> Rtnetlink.open(JnrNetlinkKernel.instance()));
        try {
            Route dflt = inside.routes().stream().filter(Route::isDefault).findFirst().orElseThrow();
            assertEquals(Ipv4Cidr.parse("198.18.5.1/32").address(), dflt.gateway(), "the first network wins");
        } finally {
            inside.close();
        }
    }

    @ParameterizedTest(name = "userland proxy {0}")
    @ValueSource(booleans = {true, false})
    void aPublishedPortAnswersOnLoopbackAndOnTheGateway(boolean proxy) throws Exception {
        BridgeNetworks d = driver(proxy);
        NetworkSpec n = network(5, false, Map.of());
        d.createNetwork(n);
        Sandbox a = sandbox("a");
        Sandbox b = sandbox("b");
        serve(a, 80, HELLO);
        Joined j = d.join(n, endpoint("198.18.5.2/24", tcp(80, "", 0), new PortMapping("udp", 53, "", 0)), a);
        d.join(n, endpoint("198.18.5.3/24"), b);
        int port = j.ports().get(0).hostPort();
        assertTrue(port > 0, "an ephemeral port, reported");
        assertEquals(proxy ? "0" : "1", SYSCTL.readInterface(bridgeOf(n), "route_localnet").orElseThrow());
        assertEquals(HELLO, greeting(at("127.0.0.1", port), HELLO.length()), "127.0.0.1");
        assertEquals(HELLO, greeting(at("198.18.5.1", port), HELLO.length()), "the gateway address");
        assertEquals(HELLO, greetingFrom(b, at("198.18.5.1", port), HELLO.length()), "another container (hairpin)");
        String rules = save();
        assertTrue(rules.contains("--dport " + port + " -m comment --comment \"kt-port:"), rules);
        assertTrue(rules.contains("-j DNAT --to-destination 198.18.5.2:80"), rules);
        // UDP: an echo in A, published on an ephemeral port, asked through loopback and the gateway.
        java.net.DatagramSocket echo = a.call(() -> new java.net.DatagramSocket(53));
        closeables.add(echo);
        Thread t = new Thread(() -> {
            byte[] buf = new byte[512];
            while (!echo.isClosed()) {
                try {
                    java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                    echo.receive(p);
                    echo.send(new java.net.DatagramPacket(buf, p.getLength(), p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }, "kt-udp-echo");
        t.setDaemon(true);
        t.start();
        int udpPort = j.ports().get(1).hostPort();
        for (String ip : List.of("127.0.0.1", "198.18.5.1")) {
            try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
                s.setSoTimeout(1000);
                byte[] msg = ("ping " + ip).getBytes();
                byte[] in = new byte[512];
                java.net.DatagramPacket reply = new java.net.DatagramPacket(in, in.length);
                boolean answered = false;
                for (int i = 0; i < 3 && !answered; i++) {
                    s.send(new java.net.DatagramPacket(msg, msg.length, at(ip, udpPort)));
                    try {
                        s.receive(reply);
                        answered = true;
                    } catch (java.net.SocketTimeoutException e) {
                        // UDP: try again, three times at most
                    }
                }
                assertTrue(answered, "UDP through " + ip);
                assertEquals("ping " + ip, new String(in, 0, reply.getLength()));
            }
        }
        if (!proxy) {
            // Nothing listens: NAT alone carried those connections, and a placeholder holds the port.
            try (Socket s = new Socket()) {
                assertThrows(IOException.class, () -> s.bind(new InetSocketAddress(port)));
            }
        }
    }

    @ParameterizedTest(name = "userland proxy {0}")
    @ValueSource(booleans = {true, false})
    void aPortInUseIsAlreadyAllocated(boolean proxy) throws Exception {
        BridgeNetworks d = driver(proxy);
        NetworkSpec n = network(5, false, Map.of());
        d.createNetwork(n);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            EndpointSpec ep = endpoint("198.18.5.2/24", tcp(80, "", port));
            IOException e = assertThrows(IOException.class, () -> d.join(n, ep, sandbox("a")));
            assertEquals("Bind for 0.0.0.0:" + port + " failed: port is already allocated", e.getMessage());
            try (Rtnetlink nl = host()) {
                assertTrue(nl.link(BridgeNetworks.vethName(ep.id())).isEmpty(), "the failed join left no veth");
            }
        }
        Joined first = d.join(n, endpoint("198.18.5.3/24", tcp(80, "127.0.0.1", 0)), sandbox("b"));
        int port = first.ports().get(0).hostPort();
        IOException e = assertThrows(IOException.class,
                () -> d.join(n, endpoint("198.18.5.4/24", tcp(80, "", port)), sandbox("c")));
        assertEquals("Bind for 0.0.0.0:" + port + " failed: port is already allocated", e.getMessage());
    }

    @Test
    void leaveRemovesTheVethAndThePortsRulesAndFreesThePort() throws Exception {
        BridgeNetworks d = driver(true);
        NetworkSpec n = network(5, false, Map.of());
        d.createNetwork(n);
        Sandbox a = sandbox("a");
        EndpointSpec ep = endpoint("198.18.5.2/24", tcp(80, "", 0), new PortMapping("udp", 53, "", 0));
        Joined j = d.join(n, ep, a);
        int port = j.ports().get(0).hostPort();
        assertEquals(2, j.ports().size());
        d.leave(n, ep, a);
        try (Rtnetlink nl = host()) {
            assertTrue(nl.link(BridgeNetworks.vethName(ep.id())).isEmpty());
        }
        Rtnetlink inside = a.call(() -> Rtnetlink.open(JnrNetlinkKernel.instance()));
        try {
            assertTrue(inside.link("eth0").isEmpty(), "the container's end went with it");
        } finally {
            inside.close();
        }
        assertFalse(save().contains("kt-port:"), "no rule of the endpoint is left");
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(port)); // free again
        }
        d.leave(n, ep, a); // idempotent
    }

    @Test
    void deleteNetworkRemovesTheBridgeAndEveryRuleOfIt() throws Exception {
        BridgeNetworks d = driver(false);
        NetworkSpec n = network(5, false, Map.of());
        d.createNetwork(n);
        d.join(n, endpoint("198.18.5.2/24", tcp(80, "", 0)), sandbox("a"));
        String bridge = bridgeOf(n);
        assertTrue(sh("iptables", "-t", "nat", "-S", "KEEL-POSTROUTING").contains(bridge));
        d.deleteNetwork(n);
        try (Rtnetlink nl = host()) {
            assertTrue(nl.link(bridge).isEmpty());
        }
        for (String[] chain : new String[][] {{"nat", "KEEL"}, {"nat", "KEEL-POSTROUTING"}, {"raw", "KEEL-RAW"},
                {"filter", "KEEL-FORWARD"}, {"filter", "KEEL"}, {"filter", "KEEL-CT"}, {"filter", "KEEL-BRIDGE"},
                {"filter", "KEEL-ISOLATION-1"}, {"filter", "KEEL-ISOLATION-2"}}) {
            String rules = sh("iptables", "-t", chain[0], "-S", chain[1]);
            assertFalse(rules.contains(bridge) || rules.contains(n.id().substring(0, 12)), chain[1] + ": " + rules);
        }
        d.deleteNetwork(n); // idempotent
    }

    @Test
    void restoreRemovesStrayVethsAndRulesAndRemakesDeletedOnes() throws Exception {
        BridgeNetworks before = driver(true);
        NetworkSpec n = network(5, false, Map.of());
        before.createNetwork(n);
        Sandbox a = sandbox("a");
        serve(a, 80, HELLO);
        EndpointSpec ep = endpoint("198.18.5.2/24", tcp(80, "", 0));
        int port = before.join(n, ep, a).ports().get(0).hostPort();
        String bridge = bridgeOf(n);
        String tag = "kt-net:" + n.id().substring(0, 12);
        // Damage: a rule deleted by hand, a rule of an endpoint that no longer exists, a veth nobody owns.
        Rule masquerade = new Rule("nat", KeelFirewall.POSTROUTING, List.of("-s", "198.18.5.0/24", "!", "-o", bridge,
                "-m", "comment", "--comment", tag, "-j", "MASQUERADE"), false);
        assertEquals("", sh("iptables", "-w", "-t", "nat", "-D", KeelFirewall.POSTROUTING, "-s", "198.18.5.0/24", "!",
                "-o", bridge, "-m", "comment", "--comment", tag, "-j", "MASQUERADE"));
        String ghost = "kt-port:" + n.id().substring(0, 12) + ":deadbeef0000:tcp/1:*:1";
        new KeelFirewall(iptables).add(List.of(new Rule("nat", KeelFirewall.NAT,
                List.of("-p", "tcp", "-m", "tcp", "--dport", "1", "-m", "comment", "--comment", ghost, "-j", "DNAT",
                        "--to-destination", "198.18.5.99:1"), false)));
        try (Rtnetlink nl = host()) {
            int self = nl.openNamespace("/proc/self/ns/net");
            try {
                nl.createVeth(new Rtnetlink.VethPair("kt-stray0", nl.link(bridge).orElseThrow().index(), 1500,
                        "kt-stray1", keel.network.bridge.internal.address.MacAddress.random(), self));
            } finally {
                nl.closeFd(self);
            }
        }
        before.close(); // the daemon goes away; its proxy with it
        drivers.remove(before);

        BridgeNetworks after = driver(true);
        after.restore(List.of(n), List.of(ep));
        String rules = save();
        assertTrue(new KeelFirewall(iptables).tagged(t -> t.equals(tag)).contains(masquerade), rules);
        assertFalse(rules.contains(ghost), rules);
        try (Rtnetlink nl = host()) {
            assertTrue(nl.link("kt-stray0").isEmpty(), "the stray veth is gone");
            assertTrue(nl.link(BridgeNetworks.vethName(ep.id())).isPresent(), "the endpoint's veth stays");
        }
        assertEquals(List.of(tcp(80, "", port)), after.publishedPorts(ep.id()), "the same ephemeral port again");
        assertEquals(HELLO, greeting(at("127.0.0.1", port), HELLO.length()), "the proxy is back");
        assertEquals(HELLO, greeting(at("198.18.5.1", port), HELLO.length()));
        String again = save();
        after.restore(List.of(n), List.of(ep));
        assertEquals(again, save(), "a second restore changes nothing");

        try (Rtnetlink nl = host()) {
            nl.deleteLink(bridge); // gone, say by hand: the veth stays, without a master
        }
        after.restore(List.of(n), List.of(ep));
        try (Rtnetlink nl = host()) {
            Link b = nl.link(bridge).orElseThrow();
            assertEquals(List.of(Ipv4Cidr.parse("198.18.5.1/24")), nl.addresses(b.index()));
            assertEquals(b.index(), nl.link(BridgeNetworks.vethName(ep.id())).orElseThrow().master());
        }
        assertEquals(HELLO, greeting(at("198.18.5.2", 80), HELLO.length()), "the container is reachable again");
    }

    @Test
    void aNewDaemonTakesOverTheDefaultBridgeAnEarlierOneLeftButNoOtherNetworksBridge() throws Exception {
        NetworkSpec first = network(11, false, Map.of(BridgeNetwork.DEFAULT_BRIDGE_OPTION, "true"));
        String bridge = bridgeOf(first);
        BridgeNetworks before = driver(true);
        before.createNetwork(first);
        before.close(); // the bridge stays, as docker0 does
        drivers.remove(before);

        // Another data root: the default network has another ID, and here another subnet, on the same bridge.
        NetworkSpec second = network(12, false,
                Map.of(BridgeNetwork.DEFAULT_BRIDGE_OPTION, "true", BridgeNetwork.BRIDGE_NAME, bridge));
        BridgeNetworks after = driver(true);
        after.restore(List.of(second), List.of());
        try (Rtnetlink nl = host()) {
            Link b = nl.link(bridge).orElseThrow(() -> new AssertionError("the default bridge was lost"));
            assertEquals("kt-network:" + second.id(), b.alias());
            assertEquals(List.of(Ipv4Cidr.parse("198.18.12.1/24")), nl.addresses(b.index()), "the old gateway went");
        }

        // A user-defined network's bridge is its own: another network naming it is refused.
        NetworkSpec user = network(13, false, Map.of());
        after.createNetwork(user);
        NetworkSpec other = network(14, false, Map.of(BridgeNetwork.BRIDGE_NAME, bridgeOf(user)));
        Exception e = assertThrows(Exception.class, () -> after.createNetwork(other));
        assertTrue(e.getMessage().contains("belongs to another network"), e.getMessage());
    }

    @Test
    void anInternalNetworkHasNoWayOut() throws Exception {
        BridgeNetworks d = driver(true);
        NetworkSpec internal = network(7, true, Map.of());
        NetworkSpec outside = network(8, false, Map.of());
        d.createNetwork(internal);
        d.createNetwork(outside);
        Sandbox a = sandbox("a");
        Sandbox b = sandbox("b");
        EndpointResult ra = d.join(internal, endpoint("198.18.7.2/24"), a).result();
        d.join(outside, endpoint("198.18.8.2/24"), b);
        assertNull(ra.gateway(), "no gateway on an internal network");
        serve(b, 7000, HELLO);
        assertTrue(a.call(() -> {
            try (Rtnetlink inside = Rtnetlink.open(JnrNetlinkKernel.instance())) {
                boolean none = inside.routes().stream().noneMatch(Route::isDefault);
                // Even with a route out added by hand, the host forwards nothing from it.
                inside.addDefaultRouteIfAbsent(Ipv4Cidr.parse("198.18.7.1/32").address(),
                        inside.link("eth0").orElseThrow().index());
                return none;
            }
        }), "no default route");
        assertTrue(unreachable(a, at("198.18.8.2", 7000)), "internal to another network");
        assertTrue(unreachable(b, at("198.18.7.2", 7000)), "another network into the internal one");
        assertTrue(dropped("filter", KeelFirewall.ISOLATION_1, bridgeOf(internal)) > 0, "dropped by Keel's rules");
        assertFalse(save().contains("-s 198.18.7.0/24 ! -o"), "no masquerade");
    }

    @Test
    void twoNetworksAreIsolatedFromEachOther() throws Exception {
        BridgeNetworks d = driver(true);
        NetworkSpec n1 = network(5, false, Map.of());
        NetworkSpec n2 = network(6, false, Map.of());
        d.createNetwork(n1);
        d.createNetwork(n2);
        Sandbox a = sandbox("a");
        Sandbox b = sandbox("b");
        d.join(n1, endpoint("198.18.5.2/24"), a);
        d.join(n2, endpoint("198.18.6.2/24"), b);
        serve(a, 7000, HELLO);
        serve(b, 7000, HELLO);
        assertEquals(HELLO, greetingFrom(a, at("198.18.5.2", 7000), HELLO.length()), "A reaches itself");
        assertTrue(unreachable(a, at("198.18.6.2", 7000)), "A cannot reach B's network");
        assertTrue(unreachable(b, at("198.18.5.2", 7000)), "nor B A's");
        assertTrue(dropped("filter", KeelFirewall.ISOLATION_2, bridgeOf(n1)) > 0, "dropped by stage 2 into n1");
        assertTrue(dropped("filter", KeelFirewall.ISOLATION_2, bridgeOf(n2)) > 0, "dropped by stage 2 into n2");
        assertEquals(HELLO, greeting(at("198.18.6.2", 7000), HELLO.length()), "the host reaches both");
    }

    @Test
    void joinTakesSingleDigitMilliseconds() throws Exception {
        BridgeNetworks d = driver(true);
        NetworkSpec n = network(5, false, Map.of());
        long c0 = System.nanoTime();
        d.createNetwork(n);
        long createMicros = (System.nanoTime() - c0) / 1000;
        List<Long> micros = new ArrayList<>();
        List<Long> leaveMicros = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Sandbox s = sandbox("s" + i);
            EndpointSpec ep = endpoint("198.18.5." + (10 + i) + "/24");
            long t0 = System.nanoTime();
            d.join(n, ep, s);
            micros.add((System.nanoTime() - t0) / 1000);
            if (i % 2 == 0) {
                long t1 = System.nanoTime();
                d.leave(n, ep, s);
                leaveMicros.add((System.nanoTime() - t1) / 1000);
            }
        }
        List<Long> withPort = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Sandbox s = sandbox("p" + i);
            long t0 = System.nanoTime();
            d.join(n, endpoint("198.18.5." + (40 + i) + "/24", tcp(80, "", 0)), s);
            withPort.add((System.nanoTime() - t0) / 1000);
        }
        System.out.printf("createNetwork %d us; join with one published port (proxy + iptables-restore) median %d us%n",
                createMicros, withPort.stream().sorted().toList().get(2));
        List<Long> sorted = micros.stream().sorted().toList();
        System.out.printf("join (veth + eth0 address/route in the sandbox): median %d us, min %d us, max %d us "
                + "(first %d us); leave median %d us%n", sorted.get(sorted.size() / 2), sorted.get(0),
                sorted.get(sorted.size() - 1), micros.get(0), leaveMicros.stream().sorted().toList()
                        .get(leaveMicros.size() / 2));
        assertTrue(sorted.get(sorted.size() / 2) < 10_000, "median join under 10 ms: " + sorted);
    }
}
