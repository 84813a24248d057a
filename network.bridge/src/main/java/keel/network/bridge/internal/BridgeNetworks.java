package keel.network.bridge.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import keel.engine.api.errors.EngineException;
import keel.engine.api.network.EndpointResult;
import keel.engine.api.network.EndpointSpec;
import keel.engine.api.network.EndpointSpec.PortMapping;
import keel.engine.api.network.NetworkSpec;
import keel.engine.api.network.Sandbox;
import keel.network.bridge.internal.address.Ipv4Cidr;
import keel.network.bridge.internal.address.MacAddress;
import keel.network.bridge.internal.firewall.FirewallRules;
import keel.network.bridge.internal.firewall.Iptables;
import keel.network.bridge.internal.firewall.KeelFirewall;
import keel.network.bridge.internal.firewall.Rule;
import keel.network.bridge.internal.firewall.RuleTags;
import keel.network.bridge.internal.netlink.ErrnoException;
import keel.network.bridge.internal.netlink.Link;
import keel.network.bridge.internal.netlink.NetlinkKernel;
import keel.network.bridge.internal.netlink.Rtnetlink;
import keel.network.bridge.internal.ports.HostPort;
import keel.network.bridge.internal.ports.HostPorts;
import keel.network.bridge.internal.ports.PortAllocatedException;
import keel.network.bridge.internal.proxy.ProxyLoop;

/**
 * Docker's bridge driver over the kernel: a Linux bridge per network with the gateway's address, a veth pair per
 * endpoint (host end on the bridge, the other end the container's ethN), NAT and filtering in Keel's iptables
 * chains, published ports held by the userland proxy or a placeholder socket.
 *
 * <p>The engine owns the records (networks, addresses, which container is where) and passes the whole network
 * with every call; the only state kept here is what the kernel cannot hold: the sockets of published ports.
 * After a restart {@link #restore} rebuilds that from the engine's records and repairs the kernel's side.
 */
public final class BridgeNetworks implements Closeable {

    /** Every network namespace's loopback device has index 1 (the kernel's LOOPBACK_IFINDEX). */
    private static final int LOOPBACK_INDEX = 1;

    private final BridgeSettings settings;
    private final NetlinkKernel kernel;
    private final KeelFirewall firewall;
    private final RuleTags tags;
    private final ProcSysctl sysctl;
    private final ProxyLoop proxy;
    private final HostPorts hostPorts;
    private final Map<String, PublishedPorts> published = new ConcurrentHashMap<>();
    /** Serializes network creation, deletion and restore; joins and leaves run in parallel. */
    private final Object networkLock = new Object();

    /**
     * @param iptables the iptables commands, or null when {@code settings.iptables()} is off
     */
    public BridgeNetworks(BridgeSettings settings, NetlinkKernel kernel, Iptables iptables, ProcSysctl sysctl) {
        this.settings = settings;
        this.kernel = kernel;
        this.firewall = settings.iptables() && iptables != null ? new KeelFirewall(iptables) : null;
        this.tags = new RuleTags(settings.owner());
        this.sysctl = sysctl;
        this.proxy = new ProxyLoop(settings.udpTimeout());
        this.hostPorts = new HostPorts(proxy, settings.userlandProxy());
    }

    public BridgeSettings settings() {
        return settings;
    }

    // ---- networks

    public void createNetwork(NetworkSpec spec) throws IOException {
        BridgeNetwork n = BridgeNetwork.of(spec, settings);
        synchronized (networkLock) {
            enableForwarding();
            try (Rtnetlink nl = Rtnetlink.open(kernel)) {
                ensureBridge(nl, n);
            }
            bridgeSysctls(n);
            if (firewall != null) {
                firewall.ensureChains(settings.userlandProxy());
                firewall.reconcile(tags.networkOnly(n.id()), networkRules(n));
            }
        }
    }

    public void deleteNetwork(NetworkSpec spec) throws IOException {
        BridgeNetwork n;
        try {
            n = BridgeNetwork.of(spec, settings);
        } catch (EngineException e) {
            n = null; // options that never made a network: only what carries its ID can exist
        }
        synchronized (networkLock) {
            for (PublishedPorts p : List.copyOf(published.values())) {
                if (p.networkId().equals(spec.id()) && published.remove(p.endpointId(), p)) {
                    p.release();
                }
            }
            if (firewall != null) {
                firewall.removeTagged(tags.ofNetwork(spec.id()));
            }
            String alias = settings.owner() + "-network:" + spec.id();
            try (Rtnetlink nl = Rtnetlink.open(kernel)) {
                Optional<Link> b = n == null ? Optional.empty() : nl.link(n.bridge());
                if (b.isPresent() && ownBridge(b.get(), n)) {
                    nl.deleteLink(b.get().name());
                } else {
                    // Not under the name the options give now: Keel's bridge is the one with the network's alias.
                    for (Link l : nl.links()) {
                        if ("bridge".equals(l.kind()) && l.alias().equals(alias)) {
                            nl.deleteLink(l.name());
                        }
                    }
                }
            }
        }
    }

    private Link ensureBridge(Rtnetlink nl, BridgeNetwork n) throws IOException {
        Optional<Link> found = nl.link(n.bridge());
        boolean created = false;
        if (found.isEmpty()) {
            try {
                nl.createBridge(n.bridge(), n.mtu(), MacAddress.random());
                created = true;
            } catch (ErrnoException e) {
                if (e.errno() != ErrnoException.EEXIST) {
                    throw e;
                }
            }
            found = nl.link(n.bridge());
        }
        Link b = found.orElseThrow(() -> new IOException("bridge " + n.bridge() + " vanished while being created"));
        if (!"bridge".equals(b.kind())) {
            throw EngineException.conflict("cannot create network " + n.name() + ": interface " + n.bridge()
                    + " exists and is not a bridge");
        }
        String alias = n.alias(settings.owner());
        if (!b.alias().equals(alias)) {
            if (n.defaultBridge() && b.alias().startsWith(settings.owner() + "-network:")) {
                // The default bridge of an earlier daemon of ours (another data root, or one whose state was
                // lost): taken over, as dockerd takes over an existing docker0, rather than refused, after which
                // the sweep below would delete it as another network's and leave no default bridge at all. Its
                // old gateway goes (dockerd re-addresses docker0 too): the subnet may differ.
                nl.setAlias(b.index(), alias);
                for (Ipv4Cidr old : nl.addresses(b.index())) {
                    if (!old.equals(n.gateway())) {
                        nl.deleteAddress(b.index(), old);
                    }
                }
            } else if (b.alias().contains("-network:")) {
                throw EngineException.conflict("cannot create network " + n.name() + ": bridge " + n.bridge()
                        + " belongs to another network (" + b.alias() + ")");
            }
            // A bridge named by the user that existed before is the user's: used, never deleted (as dockerd
            // does); one under Keel's own naming is Keel's even if a crash came before the alias.
            if (created || !n.bridgeNamed()) {
                nl.setAlias(b.index(), alias);
            }
        }
        if (b.mtu() != n.mtu()) {
            nl.setMtu(b.index(), n.mtu());
        }
        if (!b.isUp()) {
            nl.setUp(b.index(), true);
        }
        nl.addAddress(b.index(), n.gateway());
        return b;
    }

    private boolean ownBridge(Link b, BridgeNetwork n) {
        return b.alias().equals(n.alias(settings.owner())) || (b.alias().isEmpty() && !n.bridgeNamed());
    }

    private void enableForwarding() throws IOException {
        if (settings.ipForward()) {
            // Host-wide, as dockerd does at start: containers' traffic is routed through the host.
            sysctl.set("net.ipv4.ip_forward", "1");
        }
    }

    private void bridgeSysctls(BridgeNetwork n) throws IOException {
        // 127.0.0.1:PORT published through NAT (no proxy) sends packets from 127.0.0.1 onto the bridge; the
        // kernel drops those as martians unless route_localnet is set, on this bridge only (never "all").
        boolean natLoopback = firewall != null && !settings.userlandProxy();
        sysctl.setInterface(n.bridge(), "route_localnet", natLoopback ? "1" : "0");
        if (!n.icc() && firewall != null) {
            // icc=false is a FORWARD rule between two ports of one bridge: only br_netfilter shows bridged
            // traffic to iptables (host-wide, as dockerd sets it; absent when the module is not loaded).
            sysctl.set("net.bridge.bridge-nf-call-iptables", "1");
        }
    }

    private List<Rule> networkRules(BridgeNetwork n) {
        return FirewallRules.network(n.ruleInput(tags, settings.userlandProxy()));
    }

    // ---- endpoints

    public Joined join(NetworkSpec spec, EndpointSpec endpoint, Sandbox sandbox) throws IOException {
        BridgeNetwork n = BridgeNetwork.of(spec, settings);
        Ipv4Cidr ip = endpointAddress(n, endpoint);
        MacAddress mac = endpoint.macAddress() == null || endpoint.macAddress().isBlank() ? MacAddress.forIpv4(ip)
                : parseMac(endpoint.macAddress());
        List<PortMapping> ports = checkPorts(endpoint.ports());
        String hostEnd = vethName(endpoint.id());
        String ifName;
        try (Rtnetlink host = Rtnetlink.open(kernel)) {
            Link bridge = host.link(n.bridge()).orElseThrow(() -> new IOException("bridge " + n.bridge()
                    + " of network " + n.name() + " does not exist"));
            // A socket opened in the sandbox's namespace stays there: one thread hop, then plain calls.
            Rtnetlink inside = openIn(sandbox);
            try {
                ifName = nextInterfaceName(inside.links());
                createVeth(host, hostEnd, bridge.index(), n.mtu(), ifName, mac, sandbox);
                try {
                    Link eth = inside.link(ifName).orElseThrow(() -> new IOException(ifName
                            + " did not appear in sandbox " + sandbox.id()));
                    inside.setUp(LOOPBACK_INDEX, true);
                    inside.setUp(eth.index(), true);
                    inside.addAddress(eth.index(), ip);
                    if (!n.internal()) {
                        inside.addDefaultRouteIfAbsent(n.gateway().address(), eth.index());
                    }
                } catch (IOException | RuntimeException e) {
                    host.deleteLink(hostEnd);
                    throw e;
                }
            } finally {
                inside.close();
            }
            PublishedPorts old = published.remove(endpoint.id());
            if (old != null) {
                unpublish(old); // joined again without a leave: its ports are this join's to take
            }
            List<PortMapping> bound = List.of();
            if (!ports.isEmpty()) {
                try {
                    PublishedPorts p = publish(n, endpoint.id(), ports, ip, Map.of(), true);
                    published.put(endpoint.id(), p);
                    bound = p.bound();
                } catch (IOException | RuntimeException e) {
                    host.deleteLink(hostEnd);
                    throw e;
                }
            }
            EndpointResult r = new EndpointResult(ifName, ip.toString(), n.internal() ? null : n.gateway().ip(),
                    mac.toString());
            return new Joined(r, bound);
        }
    }

    public void leave(NetworkSpec spec, EndpointSpec endpoint, Sandbox sandbox) throws IOException {
        PublishedPorts p = published.remove(endpoint.id());
        if (p != null) {
            unpublish(p);
        } else if (firewall != null && endpoint.ports() != null && !endpoint.ports().isEmpty()) {
            // Joined before a restart that was never restored: the tags still say which rules are its.
            firewall.removeTagged(tags.ofEndpoint(endpoint.id()));
        }
        try (Rtnetlink host = Rtnetlink.open(kernel)) {
            // Deleting the host end deletes the container's end too, if its namespace still exists.
            host.deleteLink(vethName(endpoint.id()));
        }
    }

    /** The ports an endpoint has published, as bound (host port 0 replaced by the kernel's choice). */
    public List<PortMapping> publishedPorts(String endpointId) {
        PublishedPorts p = published.get(endpointId);
        return p == null ? List.of() : p.bound();
    }

    private Rtnetlink openIn(Sandbox sandbox) throws IOException {
        try {
            return sandbox.call(() -> Rtnetlink.open(kernel));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot enter sandbox " + sandbox.id() + ": " + e.getMessage(), e);
        }
    }

    private void createVeth(Rtnetlink host, String hostEnd, int bridge, int mtu, String peer, MacAddress mac,
            Sandbox sandbox) throws IOException {
        int ns = host.openNamespace(sandbox.path().toString());
        try {
            Rtnetlink.VethPair pair = new Rtnetlink.VethPair(hostEnd, bridge, mtu, peer, mac, ns);
            try {
                host.createVeth(pair);
            } catch (ErrnoException e) {
                if (e.errno() != ErrnoException.EEXIST || !host.deleteLink(hostEnd)) {
                    throw e;
                }
                // Left by a join that failed midway or a crash: it is this endpoint's, made again.
                host.createVeth(pair);
            }
        } finally {
            host.closeFd(ns);
        }
    }

    /** eth0, eth1...: the lowest free, as Docker numbers a container's interfaces. */
    static String nextInterfaceName(List<Link> links) {
        Set<String> taken = new HashSet<>();
        links.forEach(l -> taken.add(l.name()));
        for (int i = 0;; i++) {
            if (!taken.contains("eth" + i)) {
                return "eth" + i;
            }
        }
    }

    /**
     * The host end's name: "veth" and 7 hex digits, as Docker's, but derived from the endpoint ID so that
     * leave and restore find it without any record.
     */
    public static String vethName(String endpointId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(endpointId.getBytes(StandardCharsets.UTF_8));
            return "veth" + HexFormat.of().formatHex(h).substring(0, 7);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    private static Ipv4Cidr endpointAddress(BridgeNetwork n, EndpointSpec endpoint) {
        if (endpoint.ipv4Address() == null || endpoint.ipv4Address().isBlank()) {
            throw EngineException.invalid("endpoint " + endpoint.id() + " has no IPv4 address on network "
                    + n.name());
        }
        Ipv4Cidr ip;
        try {
            ip = Ipv4Cidr.parse(endpoint.ipv4Address(), n.subnet().prefixLength());
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid(e.getMessage());
        }
        if (!n.subnet().contains(ip.address())) {
            throw EngineException.invalid("address " + ip.ip() + " is not in subnet " + n.subnet() + " of network "
                    + n.name());
        }
        return ip;
    }

    private static MacAddress parseMac(String text) {
        try {
            return MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid(e.getMessage());
        }
    }

    private static List<PortMapping> checkPorts(List<PortMapping> ports) {
        if (ports == null) {
            return List.of();
        }
        List<PortMapping> out = new ArrayList<>();
        for (PortMapping m : ports) {
            String proto = m.protocol() == null || m.protocol().isBlank() ? "tcp"
                    : m.protocol().toLowerCase(Locale.ROOT);
            if (!proto.equals("tcp") && !proto.equals("udp")) {
                throw EngineException.invalid("unsupported protocol for published port: " + m.protocol());
            }
            if (m.containerPort() < 1 || m.containerPort() > 65535 || m.hostPort() < 0 || m.hostPort() > 65535) {
                throw EngineException.invalid("invalid port mapping " + m.hostPort() + ":" + m.containerPort());
            }
            String hostIp = m.hostIp() == null ? "" : m.hostIp().trim();
            if (!hostIp.isEmpty() && !Ipv4Cidr.isIpv4(hostIp) && !isIpv6Literal(hostIp)) {
                throw EngineException.invalid("invalid host IP for published port: " + m.hostIp());
            }
            out.add(new PortMapping(proto, m.containerPort(), hostIp, m.hostPort()));
        }
        return out;
    }

    private static boolean isIpv6Literal(String s) {
        if (s.indexOf(':') < 0 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return false;
        }
        try {
            InetAddress.getByName(s); // a literal: parsed, never resolved
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Takes the host ports and, with iptables, writes their rules ({@code addRules}; restore reconciles instead).
     * A port asked as 0 gets {@code previous}'s port for it when that is free (after a restart), else any.
     */
    private PublishedPorts publish(BridgeNetwork n, String endpointId, List<PortMapping> ports, Ipv4Cidr ip,
            Map<String, Integer> previous, boolean addRules) throws IOException {
        List<HostPort> held = new ArrayList<>();
        List<PortMapping> bound = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        try {
            for (PortMapping m : ports) {
                String hostIp = m.hostIp().isEmpty() ? n.hostBindingIpv4() : m.hostIp();
                InetSocketAddress target = new InetSocketAddress(ip.inetAddress(), m.containerPort());
                HostPort hp = null;
                Integer before = m.hostPort() == 0
                        ? previous.get(portKey(endpointId, m.protocol(), m.containerPort(), hostIp)) : null;
                if (before != null) {
                    try {
                        hp = hostPorts.take(m.protocol(), hostIp, before, target);
                    } catch (PortAllocatedException e) {
                        hp = null; // taken meanwhile: another ephemeral port will do
                    }
                }
                if (hp == null) {
                    hp = hostPorts.take(m.protocol(), hostIp, m.hostPort(), target);
                }
                held.add(hp);
                bound.add(new PortMapping(m.protocol(), m.containerPort(), m.hostIp(), hp.port()));
                if (firewall != null && hostIp.indexOf(':') < 0) {
                    rules.addAll(FirewallRules.port(new FirewallRules.PortRuleInput(
                            tags.port(n.id(), endpointId, m.protocol(), m.containerPort(), hostIp, hp.port()),
                            n.bridge(), m.protocol(), hostIp, hp.port(), ip, m.containerPort(),
                            settings.userlandProxy())));
                }
            }
            if (addRules && firewall != null) {
                firewall.add(rules);
            }
        } catch (IOException | RuntimeException e) {
            held.forEach(HostPort::close);
            throw e;
        }
        return new PublishedPorts(n.id(), endpointId, List.copyOf(held), List.copyOf(bound), List.copyOf(rules));
    }

    private void unpublish(PublishedPorts p) throws IOException {
        try {
            if (firewall != null) {
                firewall.remove(p.rules());
            }
        } finally {
            p.release();
        }
    }

    private static String portKey(String endpointId, String protocol, int containerPort, String hostIp) {
        return RuleTags.shortId(endpointId) + "|" + protocol + "|" + containerPort + "|" + hostIp;
    }

    // ---- restore

    /**
     * After a daemon restart (or crash): makes missing bridges and rules again, publishes the live endpoints'
     * ports (an ephemeral host port as before, read from its rule's tag), and removes what no record owns:
     * veths on Keel's bridges, rules of gone networks, endpoints or mappings, bridges of gone networks.
     */
    public void restore(List<NetworkSpec> networkSpecs, List<EndpointSpec> endpoints) throws IOException {
        List<String> errors = new ArrayList<>();
        synchronized (networkLock) {
            List<BridgeNetwork> nets = new ArrayList<>();
            for (NetworkSpec s : networkSpecs) {
                try {
                    nets.add(BridgeNetwork.of(s, settings));
                } catch (RuntimeException e) {
                    errors.add("network " + s.name() + ": " + e.getMessage());
                }
            }
            enableForwarding();
            Set<Integer> keelBridges = new HashSet<>();
            Map<String, Integer> bridgeIndex = new HashMap<>();
            Set<String> netIds = new HashSet<>();
            try (Rtnetlink nl = Rtnetlink.open(kernel)) {
                for (BridgeNetwork n : nets) {
                    try {
                        int index = ensureBridge(nl, n).index();
                        keelBridges.add(index);
                        bridgeIndex.put(n.id(), index);
                        netIds.add(n.id());
                        bridgeSysctls(n);
                    } catch (IOException | RuntimeException e) {
                        errors.add("network " + n.name() + ": " + e.getMessage());
                    }
                }
            }
            Map<String, Integer> previous = new HashMap<>();
            if (firewall != null) {
                firewall.ensureChains(settings.userlandProxy());
                for (Rule r : firewall.tagged(tags::isOurs)) {
                    tags.parsePort(r.tag()).ifPresent(t -> previous.put(
                            t.endpoint() + "|" + t.protocol() + "|" + t.containerPort() + "|" + t.hostIp(),
                            t.hostPort()));
                }
            }
            List<Rule> desired = new ArrayList<>();
            nets.stream().filter(n -> netIds.contains(n.id())).forEach(n -> desired.addAll(networkRules(n)));
            Set<String> expectedVeths = new HashSet<>();
            Set<String> liveEndpoints = new HashSet<>();
            for (EndpointSpec ep : endpoints) {
                Optional<BridgeNetwork> on = networkOf(nets, ep);
                if (on.isEmpty()) {
                    continue;
                }
                liveEndpoints.add(ep.id());
                expectedVeths.add(vethName(ep.id()));
                PublishedPorts have = published.get(ep.id());
                if (have != null) {
                    desired.addAll(have.rules());
                    continue;
                }
                try {
                    List<PortMapping> ports = checkPorts(ep.ports());
                    if (!ports.isEmpty()) {
                        Ipv4Cidr ip = endpointAddress(on.get(), ep);
                        PublishedPorts p = publish(on.get(), ep.id(), ports, ip, previous, false);
                        published.put(ep.id(), p);
                        desired.addAll(p.rules());
                    }
                } catch (IOException | RuntimeException e) {
                    errors.add("endpoint " + ep.id() + " (" + ep.containerName() + "): " + e.getMessage());
                }
            }
            for (PublishedPorts p : List.copyOf(published.values())) {
                if (!liveEndpoints.contains(p.endpointId()) && published.remove(p.endpointId(), p)) {
                    p.release(); // its rules are not desired: reconcile removes them
                }
            }
            if (firewall != null) {
                firewall.reconcile(tags::isOurs, desired);
            }
            Map<String, Integer> vethBridge = new HashMap<>();
            for (EndpointSpec ep : endpoints) {
                networkOf(nets, ep).filter(n -> bridgeIndex.containsKey(n.id()))
                        .ifPresent(n -> vethBridge.put(vethName(ep.id()), bridgeIndex.get(n.id())));
            }
            try (Rtnetlink nl = Rtnetlink.open(kernel)) {
                String aliasPrefix = settings.owner() + "-network:";
                for (Link l : nl.links()) {
                    Integer master = vethBridge.get(l.name());
                    if (master != null && "veth".equals(l.kind()) && l.master() != master) {
                        // Its bridge was deleted (and made again above): the kernel had let the veth go.
                        nl.setMaster(l.index(), master);
                    }
                    boolean strayVeth = "veth".equals(l.kind()) && keelBridges.contains(l.master())
                            && !expectedVeths.contains(l.name());
                    boolean goneBridge = "bridge".equals(l.kind()) && l.alias().startsWith(aliasPrefix)
                            && !netIds.contains(l.alias().substring(aliasPrefix.length()));
                    if (strayVeth || goneBridge) {
                        nl.deleteLink(l.name());
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new IOException("restoring bridge networks: " + String.join("; ", errors));
        }
    }

    private static Optional<BridgeNetwork> networkOf(List<BridgeNetwork> nets, EndpointSpec ep) {
        if (ep.ipv4Address() == null || ep.ipv4Address().isBlank()) {
            return Optional.empty();
        }
        int a;
        try {
            a = Ipv4Cidr.parse(ep.ipv4Address(), 32).address();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return nets.stream().filter(n -> n.subnet().contains(a)).findFirst();
    }

    /** Stops the proxy and frees the host ports; bridges, veths and rules stay for the next start. */
    @Override
    public void close() {
        for (PublishedPorts p : List.copyOf(published.values())) {
            published.remove(p.endpointId());
            p.release();
        }
        proxy.close();
    }
}
