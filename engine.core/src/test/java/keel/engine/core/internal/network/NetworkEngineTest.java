package keel.engine.core.internal.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.NetworkingConfig;
import keel.engine.api.errors.EngineException;
import keel.engine.api.errors.EngineException.Kind;
import keel.engine.api.network.Ipam;
import keel.engine.api.network.NetworkCreateRequest;
import keel.engine.api.network.NetworkDetails;
import keel.engine.api.network.Sandbox;
import keel.engine.core.internal.network.dns.ContainerDns;
import keel.engine.core.internal.network.dns.DnsMessage;
import keel.engine.core.internal.network.dns.DnsNames;
import keel.engine.core.internal.network.ipam.AddressPools;
import keel.engine.core.internal.network.ipam.HostRoutes;
import keel.engine.core.internal.network.ipam.Ipv4Prefix;

/**
 * The network records, IPAM and endpoints without a kernel (a recording driver, namespaces as files, a DNS
 * server that only records): Docker's errors, persistence across a restart, names as the DNS server sees them.
 */
class NetworkEngineTest {

    @TempDir
    Path dir;
    final NetworkDrivers drivers = new NetworkDrivers();
    final FakeNetworkDriver bridge = new FakeNetworkDriver("bridge");
    final FakeNetworkDriver none = new FakeNetworkDriver("none");
    final FakeSandboxes sandboxes = new FakeSandboxes();
    final Set<String> dnsServed = new HashSet<>();
    NetworkEngine engine;

    @BeforeEach
    void open() throws Exception {
        drivers.add(bridge, Map.of("driver.name", "bridge"));
        drivers.add(none, Map.of("driver.name", "none"));
        engine = newEngine();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private NetworkEngine newEngine() throws Exception {
        return newEngine("kt0");
    }

    private NetworkEngine newEngine(String bridgeName) throws Exception {
        NetworkDefaults d = new NetworkDefaults(dir.resolve("data"), dir.resolve("run"),
                Ipv4Prefix.parse("198.18.0.1/24"), null, bridgeName, 1500, true,
                new AddressPools(List.of(AddressPools.parse("base=198.18.0.0/16,size=24"))), List.of(), List.of(),
                List.of(), Duration.ofSeconds(1));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 10.9.8.7\n");
        NetworkEngine e = new NetworkEngine(d, drivers, () -> sandboxes,
                new HostRoutes(dir.resolve("none"), dir.resolve("none")), dir.resolve("resolv.conf"),
                Clock.systemUTC(), names -> new ContainerDns() {
                    @Override
                    public void open(String id, Sandbox sandbox) {
                        dnsServed.add(id);
                    }

                    @Override
                    public void close(String id) {
                        dnsServed.remove(id);
                    }

                    @Override
                    public boolean isOpen(String id) {
                        return dnsServed.contains(id);
                    }

                    @Override
                    public void close() {}
                });
        e.open();
        return e;
    }

    static EngineException expect(Callable<?> c) {
        try {
            c.call();
        } catch (EngineException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected an EngineException, got " + e, e);
        }
        throw new AssertionError("expected an EngineException");
    }

    static NetworkCreateRequest net(String name, String subnet, String range, String gateway) {
        Ipam ipam = subnet == null ? null
                : new Ipam(null, List.of(new Ipam.Config(subnet, range, gateway, null)), null);
        return new NetworkCreateRequest(name, null, false, false, null, ipam, false, Map.of(), Map.of("tier", name));
    }

    static HostConfig mode(String m) {
        return new HostConfig(null, null, null, m, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
    }

    static EndpointSettings ep(String ip, String... aliases) {
        return new EndpointSettings(ip == null ? null : new EndpointSettings.IpamConfig(ip, null), null, null,
                aliases.length == 0 ? null : List.of(aliases), null, null, null, null, null, null, null, null, null,
                null);
    }

    static final ContainerConfig CONFIG = ContainerConfig.builder().image("busybox").build();

    /** Starts a container (as the container side does): plan at create, attach at start. */
    ContainerNetworks.Attached start(String id, String name, String mode, Map<String, EndpointSettings> eps)
            throws Exception {
        HostConfig hc = mode(mode);
        ContainerConfig cfg = CONFIG.toBuilder().hostname(id.substring(0, 12)).build();
        Map<String, EndpointSettings> planned = engine.plan(name, cfg, hc, new NetworkingConfig(eps));
        return engine.attach(new ContainerNetworks.Start(id, "/" + name, cfg, hc, planned));
    }

    static String id(char c) {
        return String.valueOf(c).repeat(64);
    }

    @Test
    void thePredefinedNetworksAreMadeAtFirstStartAndKept() throws Exception {
        List<NetworkDetails> all = engine.list(Map.of());
        assertEquals(List.of("bridge", "host", "none"), all.stream().map(NetworkDetails::name).sorted().toList());
        NetworkDetails b = engine.inspect("bridge");
        assertEquals("198.18.0.0/24", b.ipam().config().get(0).subnet());
        assertEquals("198.18.0.1", b.ipam().config().get(0).gateway());
        assertEquals("kt0", b.options().get("com.docker.network.bridge.name"));
        assertEquals("true", b.options().get("com.docker.network.bridge.default_bridge"));
        assertTrue(Files.exists(dir.resolve("data/network/" + b.id() + ".json")));
        engine.close();
        engine = newEngine();
        assertEquals(b.id(), engine.inspect("bridge").id(), "kept across restarts");
        assertEquals(b.id(), engine.inspect(b.id().substring(0, 5)).id(), "an ID prefix names it");

        EngineException rm = expect(() -> {
            engine.remove("bridge");
            return null;
        });
        assertEquals(Kind.FORBIDDEN, rm.kind());
        assertEquals("bridge is a pre-defined network and cannot be removed", rm.getMessage());
        EngineException mk = expect(() -> engine.create(net("host", null, null, null)));
        assertEquals(Kind.FORBIDDEN, mk.kind());
        assertEquals("operation is not permitted on predefined host network ", mk.getMessage());
    }

    @Test
    void theDockerClisDefaultEndpointKeyIsTheBridge() throws Exception {
        // docker run without --network sends NetworkMode "default" and EndpointsConfig {"default": {}}
        Map<String, EndpointSettings> planned = engine.plan("web", CONFIG, mode("default"),
                new NetworkingConfig(Map.of("default", ep(null))));
        assertEquals(List.of("bridge"), List.copyOf(planned.keySet()));
        ContainerNetworks.Attached a = start(id('d'), "web", "default", Map.of("default", ep(null)));
        assertEquals(List.of("bridge"), List.copyOf(a.networks().keySet()));
        assertTrue(a.networks().get("bridge").ipAddress().startsWith("198.18.0."));
    }

    @Test
    void withBridgeNoneTheDefaultModeHasLoopbackOnly() throws Exception {
        String oldBridge = engine.inspect("bridge").id();
        engine.close();
        engine = newEngine(NetworkDefaults.NO_BRIDGE);
        assertEquals(List.of("host", "none"), engine.list(Map.of()).stream().map(NetworkDetails::name).sorted()
                .toList(), "the bridge network of the earlier run is gone");
        assertFalse(Files.exists(dir.resolve("data/network/" + oldBridge + ".json")));
        for (String mode : List.of("default", "bridge")) {
            Map<String, EndpointSettings> planned = engine.plan("web", CONFIG, mode(mode),
                    new NetworkingConfig(Map.of("default", ep(null))));
            assertEquals(List.of("none"), List.copyOf(planned.keySet()), mode);
        }
        ContainerNetworks.Attached a = start(id('e'), "web", "default", Map.of("default", ep(null)));
        assertEquals(List.of("none"), List.copyOf(a.networks().keySet()));
        assertTrue(bridge.calls.stream().noneMatch(c -> c.startsWith("join")), bridge.calls.toString());
    }

    @Test
    void createChecksNamesPoolsAndDriversAsDockerDoes() throws Exception {
        String id = engine.create(net("front", null, null, null)).id();
        NetworkDetails front = engine.inspect("front");
        assertEquals(id, front.id());
        assertEquals("198.18.1.0/24", front.ipam().config().get(0).subnet(), "the next free default pool");
        assertEquals("198.18.1.1", front.ipam().config().get(0).gateway());
        assertTrue(bridge.calls.contains("create front"));

        EngineException dup = expect(() -> engine.create(net("front", null, null, null)));
        assertEquals(Kind.CONFLICT, dup.kind());
        assertEquals("network with name front already exists", dup.getMessage());
        EngineException overlap = expect(() -> engine.create(net("back", "198.18.1.128/25", null, null)));
        assertEquals(Kind.FORBIDDEN, overlap.kind());
        assertEquals("invalid pool request: Pool overlaps with other one on this address space",
                overlap.getMessage());
        EngineException hostBits = expect(() -> engine.create(net("back", "198.18.5.1/24", null, null)));
        assertEquals(Kind.INVALID_PARAMETER, hostBits.kind());
        assertEquals("invalid network config:\ninvalid subnet 198.18.5.1/24: it should be 198.18.5.0/24",
                hostBits.getMessage());
        EngineException two = expect(() -> engine.create(net("back", "198.18.5.0/24", "198.18.6.0/25",
                "198.18.7.1")));
        assertEquals("invalid network config:\n* invalid ip-range 198.18.6.0/25: parent subnet 198.18.5.0/24 "
                + "doesn't contain ip-range\n* invalid gateway 198.18.7.1: parent subnet 198.18.5.0/24 doesn't "
                + "contain this address", two.getMessage());
        EngineException driver = expect(() -> engine.create(new NetworkCreateRequest("x", "macvlan", null, null,
                null, null, null, null, null)));
        assertEquals(Kind.NOT_FOUND, driver.kind());
        assertEquals("could not find plugin macvlan in v1 plugin registry: plugin not found", driver.getMessage());

        engine.create(net("back", "198.18.5.0/24", "198.18.5.128/25", "198.18.5.254"));
        NetworkDetails back = engine.inspect("back");
        assertEquals("198.18.5.254", back.ipam().config().get(0).gateway());
        assertEquals("198.18.5.128/25", back.ipam().config().get(0).ipRange());
        engine.remove("back");
        assertTrue(bridge.calls.contains("delete back"));
        assertEquals(Kind.NOT_FOUND, expect(() -> engine.inspect("back")).kind());
        assertEquals("network back not found", expect(() -> engine.inspect("back")).getMessage());
    }

    @Test
    void filtersAndPrune() throws Exception {
        engine.create(net("alpha", null, null, null));
        engine.create(net("beta", null, null, null));
        assertEquals(List.of("alpha", "beta"), names(Map.of("type", List.of("custom"))));
        assertEquals(List.of("bridge", "host", "none"), names(Map.of("type", List.of("builtin"))));
        assertEquals(List.of("alpha"), names(Map.of("label", List.of("tier=alpha"))));
        assertEquals(List.of("alpha", "beta"), names(Map.of("name", List.of("a$"))), "a regular expression");
        assertEquals(List.of("alpha", "beta"), names(Map.of("dangling", List.of("true"))));
        assertEquals(List.of("bridge", "none"), names(Map.of("driver", List.of("bridge", "none"), "type",
                List.of("builtin"))));
        assertEquals("invalid filter 'color'", expect(() -> engine.list(Map.of("color", List.of("x"))))
                .getMessage());
        assertEquals("invalid filter: 'type'='own'", expect(() -> engine.list(Map.of("type", List.of("own"))))
                .getMessage());

        start(id('a'), "web", "alpha", null);
        assertEquals(List.of("beta"), names(Map.of("dangling", List.of("1"))));
        assertEquals(List.of("beta"), engine.prune(Map.of()), "alpha has a container, the predefined stay");
        assertEquals(List.of("alpha", "bridge", "host", "none"), names(Map.of()));
    }

    private List<String> names(Map<String, List<String>> filters) {
        return engine.list(filters).stream().map(NetworkDetails::name).sorted().toList();
    }

    @Test
    void addressesAreHandedOutOnceStaticOnesOnlyOnUserNetworksAndReleasedAtDetach() throws Exception {
        engine.create(net("app", "198.18.9.0/24", null, null));
        ContainerNetworks.Attached a = start(id('a'), "one", "app", Map.of("app", ep("198.18.9.50", "db")));
        EndpointSettings one = a.networks().get("app");
        assertEquals("198.18.9.50", one.ipAddress());
        assertEquals(24, one.ipPrefixLen());
        assertEquals("198.18.9.1", one.gateway());
        assertEquals(List.of("one", "db", "aaaaaaaaaaaa"), one.dnsNames());
        assertEquals(List.of("db"), one.aliases());
        assertEquals("198.18.9.2", start(id('b'), "two", "app", null).networks().get("app").ipAddress());
        assertTrue(dnsServed.contains(id('a')), "a user-defined network has the embedded DNS server");

        EngineException taken = expect(() -> start(id('c'), "three", "app", Map.of("app", ep("198.18.9.50"))));
        assertEquals(Kind.FORBIDDEN, taken.kind());
        assertEquals("failed to set up container networking: Address already in use", taken.getMessage());
        assertFalse(Files.exists(engine.sandboxPath(id('c'))), "its sandbox is undone");

        EngineException onBridge = expect(() -> start(id('c'), "three", "bridge", Map.of("bridge",
                ep("198.18.0.9"))));
        assertEquals(Kind.INVALID_PARAMETER, onBridge.kind());
        assertEquals("invalid endpoint settings:\nuser specified IP address is supported on user defined networks "
                + "only", onBridge.getMessage());
        EngineException outside = expect(() -> engine.plan("x", CONFIG, mode("app"), new NetworkingConfig(Map.of(
                "app", ep("198.18.10.3")))));
        assertEquals("invalid endpoint settings:\nno configured subnet or ip-range contain the IP address "
                + "198.18.10.3", outside.getMessage());
        EngineException alias = expect(() -> engine.plan("x", CONFIG, mode("bridge"), new NetworkingConfig(Map.of(
                "bridge", ep(null, "a")))));
        assertEquals("invalid endpoint settings:\nnetwork-scoped alias is supported only for containers in user "
                + "defined networks", alias.getMessage());

        EngineException busy = expect(() -> {
            engine.remove("app");
            return null;
        });
        assertEquals(Kind.FORBIDDEN, busy.kind());
        assertTrue(busy.getMessage().matches("error while removing network: network app id [0-9a-f]{64} has active "
                + "endpoints"), busy.getMessage());

        Map<String, EndpointSettings> left = engine.detach(id('a'), a.networks());
        assertEquals("", left.get("app").ipAddress());
        assertEquals(List.of("db"), left.get("app").aliases(), "what was asked for stays recorded");
        assertFalse(dnsServed.contains(id('a')));
        assertTrue(sandboxes.deleted.contains(engine.sandboxPath(id('a'))));
        assertEquals("198.18.9.50", start(id('c'), "three", "app", Map.of("app", ep("198.18.9.50")))
                .networks().get("app").ipAddress(), "released at detach");
    }

    @Test
    void anExhaustedPoolSaysSo() throws Exception {
        engine.create(net("tiny", "198.18.20.0/30", null, null));
        start(id('a'), "one", "tiny", null);
        EngineException full = expect(() -> start(id('b'), "two", "tiny", null));
        assertEquals(Kind.SYSTEM, full.kind());
        String nid = engine.inspect("tiny").id();
        assertEquals("failed to set up container networking: no available IPv4 addresses on this network's "
                + "address pools: tiny (" + nid + ")", full.getMessage());
    }

    @Test
    void publishedPortsAreBoundOnTheFirstNetworkAndShownAsBound() throws Exception {
        ContainerConfig cfg = CONFIG.toBuilder().exposedPorts(Map.of("80/tcp", Map.of(), "53/udp", Map.of()))
                .build();
        HostConfig hc = new HostConfig(null, null, null, "bridge", Map.of("80/tcp", List.of(
                new HostConfig.PortBinding("127.0.0.1", "8080"), new HostConfig.PortBinding("", ""))), null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        engine.attach(new ContainerNetworks.Start(id('p'), "/web", cfg, hc, engine.plan("web", cfg, hc, null)));
        Map<String, List<HostConfig.PortBinding>> ports = engine.ports(id('p'), cfg);
        assertEquals(List.of("53/udp", "80/tcp"), new ArrayList<>(ports.keySet()));
        assertEquals(null, ports.get("53/udp"), "exposed, not published");
        assertEquals(List.of(new HostConfig.PortBinding("127.0.0.1", "8080"),
                new HostConfig.PortBinding("0.0.0.0", "40000")), ports.get("80/tcp"));
        assertEquals(3, engine.summaryPorts(id('p'), cfg).size());

        bridge.takenPort = 9999;
        HostConfig taken = new HostConfig(null, null, null, "bridge", Map.of("80", List.of(
                new HostConfig.PortBinding("", "9999"))), null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
        EngineException e = expect(() -> engine.attach(new ContainerNetworks.Start(id('q'), "/other", cfg, taken,
                engine.plan("other", cfg, taken, null))));
        assertTrue(e.getMessage().startsWith("failed to set up container networking: driver failed programming "
                + "external connectivity on endpoint other ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("): Bind for 0.0.0.0:9999 failed: port is already allocated"));
    }

    @Test
    void afterARestartOnlyTheRunningContainersKeepTheirEndpointsAndTheDriverRestoresThem() throws Exception {
        engine.create(net("app", "198.18.9.0/24", null, null));
        start(id('a'), "one", "app", null);
        start(id('b'), "two", "app", null);
        engine.close();

        engine = newEngine();
        assertEquals(2, engine.inspect("app").containers().size(), "taken until the containers are known");
        engine.restore(Map.of(id('b'), mode("app")));
        assertTrue(bridge.calls.contains("leave app one"), "the stopped one's endpoint is released");
        assertEquals(List.of(id('b')), new ArrayList<>(engine.inspect("app").containers().keySet()));
        assertEquals("198.18.9.3/24", engine.inspect("app").containers().get(id('b')).ipv4Address());
        assertTrue(bridge.calls.get(bridge.calls.size() - 1).startsWith("restore [app, bridge]"), bridge.calls
                .toString());
        assertEquals(List.of("two"), bridge.restoredEndpoints.stream().map(e -> e.containerName()).toList());
        assertTrue(dnsServed.contains(id('b')), "its DNS server serves again");
        String next = start(id('c'), "three", "app", null).networks().get("app").ipAddress();
        assertEquals("198.18.9.2", next, "one's address is free again, two's is not");
        assertNotEquals("198.18.9.3", next);
    }

    @Test
    void namesResolveOnSharedUserNetworksOnly() throws Exception {
        engine.create(net("app", "198.18.9.0/24", null, null));
        engine.create(net("other", "198.18.11.0/24", null, null));
        Map<String, EndpointSettings> eps = new LinkedHashMap<>();
        eps.put("app", ep(null, "www"));
        start(id('a'), "web", "app", eps);
        start(id('b'), "client", "app", null);
        start(id('c'), "stranger", "other", null);
        start(id('d'), "legacy", "bridge", null);
        assertEquals(List.of("198.18.9.2"), ips(id('b'), "web"));
        assertEquals(List.of("198.18.9.2"), ips(id('b'), "WWW"), "aliases; DNS ignores case");
        assertEquals(List.of("198.18.9.2"), ips(id('b'), "aaaaaaaaaaaa"), "the short ID");
        assertEquals(List.of("198.18.9.2"), ips(id('b'), "web.app"), "NAME.NETWORK");
        assertEquals(DnsNames.Outcome.NXDOMAIN, engine.lookup(id('b'), "stranger", DnsMessage.TYPE_A).outcome(),
                "not on a shared network");
        assertEquals(DnsNames.Outcome.NXDOMAIN, engine.lookup(id('b'), "nobody.app", DnsMessage.TYPE_A).outcome());
        assertEquals(DnsNames.Outcome.FORWARD, engine.lookup(id('b'), "example.com", DnsMessage.TYPE_A).outcome());
        assertEquals(DnsNames.Outcome.FORWARD, engine.lookup(id('d'), "web", DnsMessage.TYPE_A).outcome(),
                "the default bridge has no service discovery");
        assertEquals("10.9.8.7", engine.upstreams(id('b')).get(0).getAddress().getHostAddress());
        engine.detach(id('a'), Map.of());
        assertEquals(DnsNames.Outcome.NXDOMAIN, engine.lookup(id('b'), "web", DnsMessage.TYPE_A).outcome(),
                "names go with their container");
    }

    private List<String> ips(String from, String name) {
        DnsNames.Lookup l = engine.lookup(from, name, DnsMessage.TYPE_A);
        assertEquals(DnsNames.Outcome.ANSWER, l.outcome(), name);
        return l.addresses().stream().map(b -> (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "."
                + (b[3] & 0xff)).toList();
    }
}
