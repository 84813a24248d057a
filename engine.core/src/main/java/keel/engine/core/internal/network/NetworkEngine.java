package keel.engine.core.internal.network;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.NetworkingConfig;
import keel.engine.api.errors.EngineException;
import keel.engine.api.network.EndpointResult;
import keel.engine.api.network.EndpointSpec;
import keel.engine.api.network.EndpointSpec.PortMapping;
import keel.engine.api.network.Ipam;
import keel.engine.api.network.NetworkCreateRequest;
import keel.engine.api.network.NetworkCreateResult;
import keel.engine.api.network.NetworkDetails;
import keel.engine.api.network.NetworkDriver;
import keel.engine.api.network.NetworkService;
import keel.engine.api.network.NetworkSpec;
import keel.engine.api.network.Sandbox;
import keel.engine.api.network.SandboxFactory;
import keel.engine.core.internal.image.DockerTime;
import keel.engine.core.internal.image.disk.AtomicFiles;
import keel.engine.core.internal.network.NetworkTable.Attachment;
import keel.engine.core.internal.network.dns.ContainerDns;
import keel.engine.core.internal.network.dns.DnsNames;
import keel.engine.core.internal.network.dns.EmbeddedDns;
import keel.engine.core.internal.network.ipam.HostRoutes;
import keel.engine.core.internal.network.ipam.Ipv4;
import keel.engine.core.internal.network.ipam.Ipv4Prefix;

/**
 * The engine's networks with Docker's semantics (libnetwork's controller, network and endpoint, daemon/network.go
 * and container_operations.go): the records, IPAM, endpoints of running containers through the drivers, published
 * ports, and the names the embedded DNS server answers.
 *
 * <p>Locks: {@code createLock} serializes network creation and removal; {@code driverLock} lets joins, leaves and
 * network creations run together but never during a driver's restore (which sweeps what no record owns); the
 * {@link NetworkTable} is held only briefly. Calls for one container come serialized by the container side.
 */
public final class NetworkEngine implements NetworkService, ContainerNetworks, DnsNames, Closeable {

    private static final System.Logger LOG = System.getLogger(NetworkEngine.class.getName());
    static final String SETUP_FAILED = "failed to set up container networking";
    static final String BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";

    private final NetworkDefaults defaults;
    private final NetworkDrivers drivers;
    private final Supplier<SandboxFactory> sandboxes;
    private final NetworkStore store;
    private final HostRoutes routes;
    private final Path hostResolvConf;
    private final Clock clock;
    private final NetworkTable table = new NetworkTable();
    private final NetworkCreation creation;
    private final ContainerDns dns;
    private final Object createLock = new Object();
    private final ReentrantReadWriteLock driverLock = new ReentrantReadWriteLock();
    /** Per driver name, the instance whose restore ran; per driver instance, the networks it has made. */
    private final Map<String, NetworkDriver> restoredWith = new HashMap<>();
    private final Map<NetworkDriver, Set<String>> created = new ConcurrentHashMap<>();
    /** Networks as they were before the daemon's options changed them, for their driver to delete. */
    private final List<NetworkSpec> stale = new ArrayList<>();
    private final Consumer<String> arrivals = this::driverArrived;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "keel-network-restore");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean containersReported;
    private volatile NetworkedContainers containers;
    private volatile boolean closed;

    public NetworkEngine(NetworkDefaults defaults, NetworkDrivers drivers, Supplier<SandboxFactory> sandboxes,
            HostRoutes routes, Path hostResolvConf, Clock clock) {
        this(defaults, drivers, sandboxes, routes, hostResolvConf, clock,
                names -> new EmbeddedDns(names, defaults.dnsTimeout()));
    }

    NetworkEngine(NetworkDefaults defaults, NetworkDrivers drivers, Supplier<SandboxFactory> sandboxes,
            HostRoutes routes, Path hostResolvConf, Clock clock,
            java.util.function.Function<DnsNames, ContainerDns> dnsServer) {
        this.defaults = defaults;
        this.drivers = drivers;
        this.sandboxes = sandboxes;
        this.store = new NetworkStore(defaults.dataRoot(), defaults.execRoot());
        this.routes = routes;
        this.hostResolvConf = hostResolvConf;
        this.clock = clock;
        this.creation = new NetworkCreation(table, drivers, defaults.pools(), routes::reserved);
        this.dns = dnsServer.apply(this);
    }

    /** The engine on this host's files. */
    public static NetworkEngine onThisHost(NetworkDefaults defaults, NetworkDrivers drivers,
            Supplier<SandboxFactory> sandboxes) {
        return new NetworkEngine(defaults, drivers, sandboxes, HostRoutes.ofThisHost(), Path.of("/etc/resolv.conf"),
                Clock.systemUTC());
    }

    // ============================================================================================================
    // Opening and closing

    /**
     * Loads the records, makes the predefined networks missing (bridge, host, none) and takes the addresses of the
     * endpoints left by the previous daemon; which of those still count is settled by {@link #restore}.
     */
    public void open() throws IOException {
        for (NetworkRecord r : store.loadNetworks()) {
            try {
                table.putNetwork(r);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "network " + r.name() + " has an unusable address pool; it is ignored", e);
            }
        }
        List<EndpointRecord> left = store.loadEndpoints();
        ensurePredefined(left);
        for (EndpointRecord e : left) {
            if (!table.putEndpoint(e, true)) {
                LOG.log(Level.WARNING, "endpoint {0} of container {1} has no network or a taken address; dropped",
                        e.id(), e.containerId());
                store.delete(e);
            }
        }
        drivers.onArrival(arrivals);
    }

    @Override
    public void close() {
        closed = true;
        drivers.removeArrival(arrivals);
        background.shutdownNow();
        dns.close();
    }

    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (NetworkRecord r : table.records()) {
            if (!r.driver().equals(NetworkRecord.HOST) && drivers.get(r.driver()) == null) {
                out.add("WARNING: network driver " + r.driver() + " of network " + r.name() + " is not available");
            }
        }
        return out;
    }

    private void ensurePredefined(List<EndpointRecord> left) throws IOException {
        NetworkRecord bridge = table.byName(NetworkRecord.BRIDGE);
        if (defaults.bridgeDisabled()) {
            dropDefaultBridge(bridge, left);
        } else {
            ensureDefaultBridge(bridge, left);
        }
        for (String name : List.of(NetworkRecord.HOST, NetworkRecord.NONE)) {
            if (table.byName(name) == null) {
                NetworkRecord r = new NetworkRecord(AtomicFiles.randomHex(), name, name, "local", now(), false, false,
                        false, false, new Ipam("default", List.of(), Map.of()), Map.of(), Map.of());
                store.save(r);
                table.putNetwork(r);
            }
        }
    }

    /** {@code -b none}: a default bridge network of an earlier run goes, unless containers still use it. */
    private void dropDefaultBridge(NetworkRecord bridge, List<EndpointRecord> left) throws IOException {
        if (bridge == null) {
            return;
        }
        if (left.stream().anyMatch(e -> e.networkId().equals(bridge.id()))) {
            LOG.log(Level.WARNING, "the default bridge network is kept while containers use it, although the "
                    + "daemon runs with --bridge=none");
            return;
        }
        synchronized (stale) {
            stale.add(bridge.spec());
        }
        store.delete(bridge);
        table.removeNetwork(bridge.id());
    }

    private void ensureDefaultBridge(NetworkRecord bridge, List<EndpointRecord> left) throws IOException {
        NetworkRecord desired = defaultBridge(bridge);
        if (bridge == null) {
            store.save(desired);
            table.putNetwork(desired);
        } else if (!bridge.ipam().equals(desired.ipam()) || !bridge.options().equals(desired.options())) {
            boolean used = left.stream().anyMatch(e -> e.networkId().equals(bridge.id()));
            if (used) {
                LOG.log(Level.WARNING, "the default bridge network keeps its old settings while containers use it");
            } else {
                if (!bridge.options().getOrDefault(BRIDGE_NAME_OPTION, "").equals(
                        desired.options().get(BRIDGE_NAME_OPTION))) {
                    synchronized (stale) {
                        stale.add(bridge.spec());
                    }
                }
                store.save(desired);
                table.putNetwork(desired);
            }
        }
    }

    /** The default bridge network as the daemon's options describe it (dockerd's initBridgeDriver). */
    private NetworkRecord defaultBridge(NetworkRecord existing) throws IOException {
        Ipv4Prefix subnet;
        int gateway;
        Ipam.Config old = existing == null ? null : existing.ipv4Pool();
        if (defaults.bip() != null) {
            subnet = defaults.bip().masked();
            gateway = defaults.bip().address() == subnet.first() ? subnet.first() + 1 : defaults.bip().address();
        } else if (old != null) {
            subnet = Ipv4Prefix.parse(old.subnet()).masked();
            gateway = Ipv4.parse(old.gateway());
        } else {
            subnet = defaults.pools().next(table.subnets(null), routes.reserved());
            if (subnet == null) {
                throw new IOException("no address pool is free for the default bridge network: set --bip");
            }
            gateway = subnet.first() + 1;
        }
        for (Ipv4Prefix other : table.subnets(existing == null ? null : existing.id())) {
            if (other.overlaps(subnet)) {
                throw new IOException("the default bridge network's subnet " + subnet
                        + " overlaps another network's (" + other + ")");
            }
        }
        String range = null;
        if (defaults.fixedCidr() != null) {
            if (!subnet.contains(defaults.fixedCidr())) {
                throw new IOException("fixed-cidr " + defaults.fixedCidr() + " is not inside " + subnet);
            }
            range = defaults.fixedCidr().toString();
        }
        Map<String, String> options = new LinkedHashMap<>();
        options.put("com.docker.network.bridge.default_bridge", "true");
        options.put("com.docker.network.bridge.enable_icc", "true");
        options.put("com.docker.network.bridge.enable_ip_masquerade", Boolean.toString(defaults.ipMasquerade()));
        options.put("com.docker.network.bridge.host_binding_ipv4", "0.0.0.0");
        options.put(BRIDGE_NAME_OPTION, defaults.bridgeName());
        options.put("com.docker.network.driver.mtu", Integer.toString(defaults.mtu()));
        Ipam ipam = new Ipam("default", List.of(new Ipam.Config(subnet.toString(), range, Ipv4.format(gateway),
                null)), Map.of());
        return new NetworkRecord(existing == null ? AtomicFiles.randomHex() : existing.id(), NetworkRecord.BRIDGE,
                NetworkRecord.BRIDGE, "local", existing == null ? now() : existing.created(), false, false, false,
                false, ipam, options, Map.of());
    }

    private String now() {
        return DockerTime.format(clock.instant());
    }

    // ============================================================================================================
    // Restore

    @Override
    public void restore(Map<String, HostConfig> running) {
        for (EndpointRecord e : table.allEndpoints()) {
            if (!running.containsKey(e.containerId())) {
                leave(null, e); // its container stopped while the daemon was away
            }
        }
        SandboxFactory f = sandboxes.get();
        for (Map.Entry<String, HostConfig> c : running.entrySet()) {
            String id = c.getKey();
            List<EndpointRecord> eps = table.endpointsOfContainer(id);
            if (eps.isEmpty()) {
                continue;
            }
            Path netns = sandboxPath(id);
            Attachment a = table.attach(id, Files.exists(netns) ? netns : null, null);
            a.upstreams = upstreams(c.getValue(), eps);
            a.dns = eps.stream().anyMatch(e -> serviceDiscovery(e.networkId()));
            if (f != null) {
                reopen(f, a);
            }
        }
        containersReported = true;
        for (String name : drivers.names()) {
            restoreDriver(name);
        }
    }

    /** Opens a restored container's sandbox and its DNS server again. */
    private void reopen(SandboxFactory f, Attachment a) {
        if (a.sandbox != null || a.netns == null) {
            return;
        }
        try {
            a.sandbox = f.open(a.containerId, a.netns).orElse(null);
            if (a.sandbox != null && a.dns) {
                dns.open(a.containerId, a.sandbox);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot serve DNS in the namespace of container " + a.containerId + " again", e);
        }
    }

    /** A sandbox factory arrived: restored containers get their DNS server back. */
    public void sandboxFactoryArrived() {
        SandboxFactory f = sandboxes.get();
        if (f == null || !containersReported) {
            return;
        }
        for (String id : table.attachedContainers()) {
            Attachment a = table.attachment(id);
            if (a != null) {
                reopen(f, a);
            }
        }
    }

    private void driverArrived(String name) {
        if (containersReported && !closed) {
            try {
                background.execute(() -> restoreDriver(name));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // closed meanwhile
            }
        }
    }

    /**
     * Hands a driver (once per instance) every network it has and every live endpoint on them, so that it repairs
     * the kernel's side: bridges and rules made again, published ports taken again, strays removed.
     */
    private void restoreDriver(String name) {
        NetworkDriver d = drivers.get(name);
        if (d == null) {
            return;
        }
        driverLock.writeLock().lock();
        try {
            synchronized (restoredWith) {
                if (restoredWith.get(name) == d) {
                    return;
                }
            }
            synchronized (stale) {
                for (NetworkSpec s : List.copyOf(stale)) {
                    if (s.driver().equals(name)) {
                        try {
                            d.deleteNetwork(s);
                        } catch (IOException | RuntimeException e) {
                            LOG.log(Level.WARNING, "cannot delete the old form of network " + s.name(), e);
                        }
                        stale.remove(s);
                    }
                }
            }
            List<NetworkSpec> specs = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (NetworkRecord r : table.records()) {
                if (r.driver().equals(name)) {
                    specs.add(r.spec());
                    ids.add(r.id());
                }
            }
            List<EndpointSpec> eps = new ArrayList<>();
            for (EndpointRecord e : table.allEndpoints()) {
                if (ids.contains(e.networkId())) {
                    eps.add(e.spec(true));
                }
            }
            try {
                d.restore(specs, eps);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.ERROR, "network driver " + name + " could not restore its networks fully", e);
            }
            Set<String> made = ConcurrentHashMap.newKeySet();
            made.addAll(ids); // restore made what was missing
            created.put(d, made);
            synchronized (restoredWith) {
                restoredWith.put(name, d);
            }
        } finally {
            driverLock.writeLock().unlock();
        }
    }

    /** Makes the network's kernel side once per driver instance (its restore did, or the first join does). */
    private void ensureCreated(NetworkRecord n, NetworkDriver d) throws IOException {
        Set<String> done = created.computeIfAbsent(d, k -> ConcurrentHashMap.newKeySet());
        if (!done.contains(n.id())) {
            d.createNetwork(n.spec());
            done.add(n.id());
        }
    }

    // ============================================================================================================
    // NetworkService

    @Override
    public NetworkCreateResult create(NetworkCreateRequest request) {
        synchronized (createLock) {
            NetworkRecord r = creation.build(request, newNetworkId(), now());
            NetworkDriver d = drivers.get(r.driver());
            try {
                store.save(r);
            } catch (IOException e) {
                throw EngineException.system("cannot record network " + r.name() + ": " + e.getMessage(), e);
            }
            table.putNetwork(r);
            driverLock.readLock().lock();
            try {
                d.createNetwork(r.spec());
                created.computeIfAbsent(d, k -> ConcurrentHashMap.newKeySet()).add(r.id());
            } catch (IOException | RuntimeException e) {
                table.removeNetwork(r.id());
                try {
                    store.delete(r);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                if (e instanceof EngineException ee) {
                    throw ee;
                }
                throw EngineException.system("failed to create network " + r.name() + ": " + e.getMessage(), e);
            } finally {
                driverLock.readLock().unlock();
            }
            return new NetworkCreateResult(r.id(), "");
        }
    }

    /** 64 hex digits whose short form is not a number and not another network's prefix. */
    private String newNetworkId() {
        while (true) {
            String id = AtomicFiles.randomHex();
            if (id.substring(0, 12).chars().allMatch(Character::isDigit) || table.findOrNull(id.substring(0, 12))
                    != null) {
                continue;
            }
            return id;
        }
    }

    @Override
    public List<NetworkDetails> list(Map<String, List<String>> filters) {
        NetworkFilters f = new NetworkFilters(filters, NetworkFilters.LIST);
        List<NetworkDetails> out = new ArrayList<>();
        for (NetworkRecord r : table.records()) {
            if (f.accepts(r, table.endpointCount(r.id()))) {
                out.add(details(r, Map.of()));
            }
        }
        return out;
    }

    @Override
    public NetworkDetails inspect(String network) {
        NetworkRecord r = table.find(network);
        Map<String, NetworkDetails.NetworkContainer> cs = new LinkedHashMap<>();
        for (EndpointRecord e : table.endpointsOf(r.id())) {
            cs.put(e.containerId(), new NetworkDetails.NetworkContainer(e.containerName(), e.id(),
                    e.macAddress() == null ? "" : e.macAddress(), e.ipv4Address() == null ? "" : e.ipv4Address(),
                    ""));
        }
        return details(r, cs);
    }

    private static NetworkDetails details(NetworkRecord r, Map<String, NetworkDetails.NetworkContainer> cs) {
        return new NetworkDetails(r.name(), r.id(), r.created(), r.scope(), r.driver(), r.enableIPv6(), r.ipam(),
                r.internal(), r.attachable(), r.ingress(), cs, r.options(), r.labels());
    }

    @Override
    public void remove(String network) {
        synchronized (createLock) {
            NetworkRecord r = table.find(network);
            if (r.predefined()) {
                throw new EngineException(EngineException.Kind.FORBIDDEN,
                        r.name() + " is a pre-defined network and cannot be removed");
            }
            if (!table.markRemoving(r.id()).isEmpty()) {
                throw new EngineException(EngineException.Kind.FORBIDDEN, "error while removing network: network "
                        + r.name() + " id " + r.id() + " has active endpoints");
            }
            try {
                NetworkDriver d = drivers.get(r.driver());
                if (d != null) {
                    driverLock.readLock().lock();
                    try {
                        d.deleteNetwork(r.spec());
                    } finally {
                        driverLock.readLock().unlock();
                    }
                } else {
                    LOG.log(Level.WARNING, "network driver {0} is gone: what it made for network {1} stays",
                            r.driver(), r.name());
                }
                store.delete(r);
            } catch (IOException | RuntimeException e) {
                table.unmarkRemoving(r.id());
                throw EngineException.system("error while removing network: " + e.getMessage(), e);
            }
            table.removeNetwork(r.id());
            created.values().forEach(made -> made.remove(r.id()));
        }
    }

    @Override
    public List<String> prune(Map<String, List<String>> filters) {
        NetworkFilters f = new NetworkFilters(filters, NetworkFilters.PRUNE);
        if (f.get("until").size() > 1) {
            throw EngineException.invalid("more than one until filter specified");
        }
        Instant until = f.contains("until") ? DockerTime.parseTimestamp(f.get("until").get(0), clock.instant())
                : null;
        List<String> deleted = new ArrayList<>();
        for (NetworkRecord r : table.records()) {
            if (r.predefined() || table.endpointCount(r.id()) > 0) {
                continue;
            }
            if (until != null && !Instant.parse(r.created()).isBefore(until)) {
                continue;
            }
            if (!f.matchLabels("label", r.labels())
                    || (f.contains("label!") && f.matchLabels("label!", r.labels()))) {
                continue;
            }
            try {
                remove(r.id());
                deleted.add(r.name());
            } catch (EngineException e) {
                LOG.log(Level.DEBUG, "prune keeps network {0}: {1}", r.name(), e.getMessage());
            }
        }
        return deleted;
    }

    @Override
    public void connect(String network, String container, EndpointSettings endpoint) {
        NetworkRecord n = table.find(network);
        side().update(container, view -> connect(n, view, endpoint));
    }

    /** Docker's ConnectToNetwork under the container's lock: recorded when stopped, joined when running. */
    private Map<String, EndpointSettings> connect(NetworkRecord n, NetworkedContainers.View c, EndpointSettings es) {
        if (c.removing()) {
            throw EngineException.system("Container " + c.id() + " is marked for removal and cannot be connected or "
                    + "disconnected to the network", null);
        }
        String mode = normalize(c.hostConfig().networkMode());
        if (mode.startsWith("container:")) {
            throw EngineException.invalid(EndpointConfigs.SHARED_NETWORK);
        }
        if (n.name().equals(NetworkRecord.HOST) && !mode.equals(NetworkRecord.HOST)) {
            throw EngineException.invalid(EndpointConfigs.CONNECT_HOST);
        }
        Map<String, EndpointSettings> nets = new LinkedHashMap<>(c.networks());
        for (Map.Entry<String, EndpointSettings> e : c.networks().entrySet()) {
            NetworkRecord sn = recorded(e.getKey(), e.getValue());
            if (sn == null) {
                continue;
            }
            if (sn.id().equals(n.id())) {
                if (!c.running()) {
                    return null; // already recorded: Docker avoids the duplicate and says nothing
                }
                if (table.endpointOn(c.id(), n.id()) != null) {
                    throw new EngineException(EngineException.Kind.FORBIDDEN, "endpoint with name "
                            + bare(c.name()) + " already exists in network " + n.name());
                }
                continue;
            }
            if (!isPrivate(sn) || !isPrivate(n)) {
                throw EngineException.invalid(EndpointConfigs.SHARED_NETWORK);
            }
            if (sn.name().equals(NetworkRecord.NONE) || n.name().equals(NetworkRecord.NONE)) {
                throw EngineException.invalid(EndpointConfigs.NO_NETWORK);
            }
        }
        EndpointConfigs.validate(n, n.name(), es);
        List<String> names = n.serviceDiscovery() ? EndpointConfigs.dnsNames(c.name(), es == null ? null
                : es.aliases(), c.id(), c.config().hostname()) : null;
        EndpointSettings requested = EndpointConfigs.requested(es, n.id(), names);
        if (!c.running()) {
            nets.put(n.name(), requested);
            return nets;
        }
        Attachment a = table.attachment(c.id());
        if (a == null || a.sandbox == null) {
            throw EngineException.conflict("container " + c.id() + " has no network namespace to connect yet");
        }
        int order = table.endpointsOfContainer(c.id()).stream().mapToInt(EndpointRecord::order).max().orElse(-1) + 1;
        EndpointRecord ep;
        try {
            ep = join(a, c.id(), bare(c.name()), c.config().hostname(), new Target(n, requested), order, List.of());
        } catch (IOException e) {
            throw EngineException.system(e.getMessage(), e);
        }
        if (n.serviceDiscovery() && !a.dns) {
            try {
                dns.open(c.id(), a.sandbox);
                a.dns = true;
            } catch (IOException e) {
                leave(a, ep);
                throw EngineException.system(e.getMessage(), e);
            }
        }
        a.upstreams = upstreams(c.hostConfig(), table.endpointsOfContainer(c.id())); // external access may change
        nets.put(n.name(), EndpointConfigs.live(requested, n, ep));
        return nets;
    }

    @Override
    public void disconnect(String network, String container, boolean force) {
        NetworkRecord n = force ? table.findOrNull(network) : table.find(network);
        side().update(container, view -> disconnect(n, network, view, force));
    }

    private Map<String, EndpointSettings> disconnect(NetworkRecord n, String term, NetworkedContainers.View c,
            boolean force) {
        Map<String, EndpointSettings> nets = new LinkedHashMap<>(c.networks());
        if (!c.running() || (n == null && force)) {
            if (c.removing()) {
                throw EngineException.system("Container " + c.id() + " is marked for removal and cannot be "
                        + "connected or disconnected to the network", null);
            }
            String name = n == null ? term : n.name();
            if (!nets.containsKey(name)) {
                throw EngineException.system("container " + c.id() + " is not connected to the network " + name,
                        null);
            }
            nets.remove(name);
            return nets;
        }
        if (normalize(c.hostConfig().networkMode()).equals(NetworkRecord.HOST)
                && n.name().equals(NetworkRecord.HOST)) {
            throw EngineException.invalid(EndpointConfigs.DISCONNECT_HOST);
        }
        EndpointRecord ep = table.endpointOn(c.id(), n.id());
        if (ep == null) {
            throw EngineException.system("container " + c.id() + " is not connected to network " + n.name(), null);
        }
        Attachment a = table.attachment(c.id());
        leave(a, ep);
        if (a != null) {
            a.upstreams = upstreams(c.hostConfig(), table.endpointsOfContainer(c.id()));
        }
        nets.remove(n.name());
        return nets;
    }

    private NetworkedContainers side() {
        NetworkedContainers c = containers;
        if (c == null) {
            throw EngineException.unavailable("the container service is not available");
        }
        return c;
    }

    /** The network a recorded entry stands for: by its ID when it has one, else by its name. */
    private NetworkRecord recorded(String name, EndpointSettings es) {
        if (es != null && es.networkID() != null && !es.networkID().isEmpty()) {
            NetworkRecord r = table.byId(es.networkID());
            if (r != null) {
                return r;
            }
        }
        try {
            return table.findOrNull(effectiveMode(name));
        } catch (EngineException ambiguous) {
            return null;
        }
    }

    /** Docker's NetworkMode.IsPrivate of a network's type: not the host's. */
    private static boolean isPrivate(NetworkRecord r) {
        return !r.driver().equals(NetworkRecord.HOST);
    }

    // ============================================================================================================
    // ContainerNetworks

    @Override
    public void bind(NetworkedContainers c) {
        containers = c;
    }

    @Override
    public void unbind(NetworkedContainers c) {
        if (containers == c) {
            containers = null;
        }
    }

    /** The mode as stored: empty and {@code default} are Docker's default network, {@code bridge}. */
    public static String normalize(String mode) {
        return mode == null || mode.isEmpty() || mode.equals("default") ? NetworkRecord.BRIDGE : mode;
    }

    /**
     * The network a mode joins: {@link #normalize}'s, except that with {@code -b none} and no default bridge
     * network the default mode and {@code bridge} have loopback only (dockerd does the same).
     */
    private String effectiveMode(String mode) {
        String m = normalize(mode);
        if (m.equals(NetworkRecord.BRIDGE) && defaults.bridgeDisabled() && table.byName(NetworkRecord.BRIDGE) == null) {
            return NetworkRecord.NONE;
        }
        return m;
    }

    @Override
    public Map<String, EndpointSettings> plan(String containerName, ContainerConfig config, HostConfig hc,
            NetworkingConfig networking) {
        String mode = effectiveMode(hc.networkMode());
        if (mode.startsWith("container:") || Boolean.TRUE.equals(config.networkDisabled())) {
            return new LinkedHashMap<>();
        }
        NetworkRecord modeNetwork = table.find(mode);
        if (!mode.equals(NetworkRecord.HOST)) {
            PublishedPorts.requested(config, hc); // a bad -p is the create's error, not the start's
        }
        Map<String, EndpointSettings> out = new LinkedHashMap<>();
        Map<String, EndpointSettings> asked = networking == null || networking.endpointsConfig() == null ? Map.of()
                : networking.endpointsConfig();
        for (Map.Entry<String, EndpointSettings> e : asked.entrySet()) {
            // the docker CLI sends its endpoint settings under "default" when no --network was given
            String key = effectiveMode(e.getKey());
            NetworkRecord n = table.findOrNull(key);
            String name = n == null ? key : n.name();
            EndpointConfigs.validate(n, name, e.getValue());
            out.put(name, EndpointConfigs.requested(e.getValue(), null, null));
        }
        if (!out.containsKey(modeNetwork.name())) {
            Map<String, EndpointSettings> first = new LinkedHashMap<>();
            first.put(modeNetwork.name(), EndpointConfigs.requested(null, null, null));
            first.putAll(out);
            out = first;
        }
        if (out.size() > 1) {
            if (mode.equals(NetworkRecord.HOST)) {
                throw EngineException.invalid(EndpointConfigs.SHARED_NETWORK);
            }
            if (mode.equals(NetworkRecord.NONE) || out.containsKey(NetworkRecord.NONE)) {
                throw EngineException.invalid(EndpointConfigs.NO_NETWORK);
            }
        }
        return out;
    }

    /** A network a start joins, and what was asked for on it. */
    private record Target(NetworkRecord record, EndpointSettings requested) {}

    @Override
    public Attached attach(Start s) throws IOException {
        try {
            return doAttach(s);
        } catch (EngineException e) {
            throw new EngineException(e.kind(), SETUP_FAILED + ": " + e.getMessage(), e);
        }
    }

    private Attached doAttach(Start s) throws IOException {
        HostConfig hc = s.hostConfig();
        // NetworkDisabled: a namespace with loopback only, as --network none
        String mode = Boolean.TRUE.equals(s.config().networkDisabled()) ? NetworkRecord.NONE
                : effectiveMode(hc.networkMode());
        String id = s.containerId();
        String name = bare(s.containerName());
        if (mode.startsWith("container:")) {
            return joinContainer(s, mode.substring("container:".length()));
        }
        if (mode.equals(NetworkRecord.HOST)) {
            NetworkRecord host = table.find(NetworkRecord.HOST);
            EndpointRecord ep = new EndpointRecord(AtomicFiles.randomHex(), host.id(), id, name, null, null, null,
                    null, List.of(), List.of(), false, List.of(), List.of(), 0);
            table.attach(id, null, null);
            table.putEndpoint(ep, false);
            store.save(ep);
            Map<String, EndpointSettings> nets = new LinkedHashMap<>();
            nets.put(host.name(), EndpointConfigs.live(s.networks().get(host.name()), host, ep));
            return new Attached(null, null, AtomicFiles.randomHex(), nets, null, etcView(id, hc));
        }
        List<Target> targets = targets(mode, s.networks());
        SandboxFactory f = sandboxes.get();
        if (f == null) {
            throw EngineException.unavailable("cannot create the network namespace of the container: no sandbox "
                    + "factory is registered (it comes with the native runtime bundle)");
        }
        for (Target t : targets) {
            driverOf(t.record());
        }
        Path netns = sandboxPath(id);
        Sandbox sb;
        if (s.ahead() != null && s.ahead().sandbox() != null) {
            sb = s.ahead().sandbox();
        } else {
            sb = newSandbox(f, id, netns);
        }
        Attachment a = table.attach(id, netns, sb);
        Map<String, EndpointSettings> nets = new LinkedHashMap<>();
        List<EndpointRecord> joined = new ArrayList<>();
        try {
            List<PortMapping> ports = PublishedPorts.requested(s.config(), hc);
            int primary = -1;
            for (int i = 0; i < targets.size() && primary < 0; i++) {
                if (!targets.get(i).record().internal() && targets.get(i).record().ipv4Pool() != null) {
                    primary = i;
                }
            }
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                EndpointRecord ep = join(a, id, name, s.config().hostname(), t, i, i == primary ? ports : List.of());
                joined.add(ep);
                nets.put(t.record().name(), EndpointConfigs.live(t.requested(), t.record(), ep));
            }
            a.upstreams = upstreams(hc, joined);
            if (targets.stream().anyMatch(t -> t.record().serviceDiscovery())) {
                dns.open(id, sb);
                a.dns = true;
            }
        } catch (IOException | RuntimeException e) {
            dns.close(id);
            for (int i = joined.size() - 1; i >= 0; i--) {
                leave(a, joined.get(i));
            }
            table.detach(id);
            try {
                f.delete(netns);
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new Attached(netns, sb, AtomicFiles.randomHex(), nets, null, etcView(id, hc));
    }

    @Override
    public Ahead prepare(String containerId, ContainerConfig config, HostConfig hostConfig) throws IOException {
        String mode = Boolean.TRUE.equals(config.networkDisabled()) ? NetworkRecord.NONE
                : effectiveMode(hostConfig.networkMode());
        if (mode.startsWith("container:")) {
            return null;
        }
        if (mode.equals(NetworkRecord.HOST)) {
            return new Ahead(null, null);
        }
        SandboxFactory f = sandboxes.get();
        if (f == null) {
            return null; // the start says why
        }
        Path netns = sandboxPath(containerId);
        return new Ahead(netns, newSandbox(f, containerId, netns));
    }

    /**
     * The container's own namespace, made anew. One already at its path is a leftover of the container's own
     * earlier run (a daemon that stopped without a sandbox factory to remove it, or died): a start, under the
     * container's lifecycle lock, is the only thing that makes one there, so it is removed first.
     */
    private static Sandbox newSandbox(SandboxFactory f, String id, Path netns) throws IOException {
        AtomicFiles.ensureDirectory(netns.getParent());
        if (netns.toFile().exists()) {
            LOG.log(Level.INFO, "removing the network namespace an earlier run of container {0} left", id);
            f.delete(netns);
        }
        return f.create(id, netns);
    }

    /** The networks of a start, the mode's first, each once. */
    private List<Target> targets(String mode, Map<String, EndpointSettings> recorded) {
        List<Target> out = new ArrayList<>();
        NetworkRecord first = table.find(mode);
        EndpointSettings firstSettings = null;
        for (Map.Entry<String, EndpointSettings> e : recorded.entrySet()) {
            NetworkRecord n = recorded(e.getKey(), e.getValue());
            if (n != null && n.id().equals(first.id())) {
                firstSettings = e.getValue();
            }
        }
        out.add(new Target(first, firstSettings));
        for (Map.Entry<String, EndpointSettings> e : recorded.entrySet()) {
            NetworkRecord n = recorded(e.getKey(), e.getValue());
            if (n == null) {
                throw EngineException.notFound("network " + e.getKey() + " not found");
            }
            if (out.stream().noneMatch(t -> t.record().id().equals(n.id()))) {
                EndpointConfigs.validate(n, n.name(), e.getValue());
                out.add(new Target(n, e.getValue()));
            }
        }
        if (out.size() > 1 && out.stream().anyMatch(t -> t.record().name().equals(NetworkRecord.NONE))) {
            throw EngineException.invalid(EndpointConfigs.NO_NETWORK);
        }
        return out;
    }

    private NetworkDriver driverOf(NetworkRecord n) {
        NetworkDriver d = drivers.get(n.driver());
        if (d == null) {
            throw EngineException.unavailable("network driver " + n.driver() + " of network " + n.name()
                    + " is not available: no network driver of that name is registered");
        }
        return d;
    }

    /** {@code --network container:<x>}: x's namespace and /etc files, if x runs (getNetworkedContainer). */
    private Attached joinContainer(Start s, String ref) {
        NetworkedContainers.View other = side().find(ref);
        if (other.id().equals(s.containerId())) {
            throw EngineException.system("cannot join own network namespace", null);
        }
        if (!other.running()) {
            throw EngineException.conflict("cannot join network namespace of a non running container: container "
                    + bare(other.name()) + " is " + other.state());
        }
        if (other.restarting()) {
            throw EngineException.conflict("cannot join network namespace of container: Container " + other.id()
                    + " is restarting, wait until the container is running");
        }
        if (other.netns() == null) {
            throw EngineException.conflict("cannot join network namespace of container " + bare(other.name())
                    + ": it uses the host's network");
        }
        return new Attached(other.netns(), null, "", new LinkedHashMap<>(), other.containerDir(), null);
    }

    /** Joins one network: an address, the record, the driver's join; undone when the join fails. */
    private EndpointRecord join(Attachment a, String containerId, String name, String hostname, Target t, int order,
            List<PortMapping> ports) throws IOException {
        NetworkRecord n = t.record();
        NetworkDriver d = driverOf(n);
        EndpointSettings req = t.requested();
        String requestedIp = EndpointConfigs.requestedAddress(req);
        String cidr = table.takeAddress(n.id(), requestedIp);
        List<String> aliases = req == null || req.aliases() == null ? List.of() : req.aliases();
        List<String> names = n.serviceDiscovery() ? EndpointConfigs.dnsNames(name, aliases, containerId, hostname)
                : List.of();
        String mac = req == null || req.macAddress() == null || req.macAddress().isBlank() ? null : req.macAddress();
        EndpointRecord ep = new EndpointRecord(AtomicFiles.randomHex(), n.id(), containerId, name, cidr, null, mac,
                null, aliases, names, requestedIp != null, ports, List.of(), order);
        if (!table.putEndpoint(ep, false)) {
            table.releaseAddress(n.id(), cidr);
            throw EngineException.notFound("network " + n.name() + " not found");
        }
        boolean joined = false;
        try {
            store.save(ep);
            EndpointResult r;
            driverLock.readLock().lock();
            try {
                ensureCreated(n, d);
                r = d.join(n.spec(), ep.spec(false), a.sandbox);
                joined = true;
            } finally {
                driverLock.readLock().unlock();
            }
            ep = ep.joined(r.gateway(), r.macAddress(), r.interfaceName(), r.ports() == null ? List.of() : r.ports());
            table.updateEndpoint(ep);
            store.save(ep);
            return ep;
        } catch (IOException | RuntimeException e) {
            if (joined) {
                leave(a, ep);
            } else {
                table.removeEndpoint(ep);
                store.delete(ep);
            }
            throw translate(e, n, ep);
        }
    }

    private static EngineException translate(Exception e, NetworkRecord n, EndpointRecord ep) {
        if (e instanceof EngineException ee) {
            return ee;
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (message.contains("port is already allocated") || message.contains("failed to bind host port")) {
            return EngineException.system("driver failed programming external connectivity on endpoint "
                    + ep.containerName() + " (" + ep.id() + "): " + message, e);
        }
        return EngineException.system("failed to create endpoint " + ep.containerName() + " on network " + n.name()
                + ": " + message, e);
    }

    /** Leaves one network (best effort) and forgets the endpoint. */
    private void leave(Attachment a, EndpointRecord ep) {
        NetworkRecord n = table.byId(ep.networkId());
        NetworkDriver d = n == null ? null : drivers.get(n.driver());
        if (d != null) {
            driverLock.readLock().lock();
            try {
                d.leave(n.spec(), ep.spec(true), a == null ? null : a.sandbox);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "leaving network " + n.name() + " for container " + ep.containerId()
                        + " failed", e);
            } finally {
                driverLock.readLock().unlock();
            }
        }
        table.removeEndpoint(ep);
        store.delete(ep);
    }

    @Override
    public Map<String, EndpointSettings> detach(String containerId, Map<String, EndpointSettings> networks) {
        Attachment a = table.attachment(containerId);
        SandboxFactory f = sandboxes.get();
        dns.close(containerId);
        if (a != null && a.sandbox == null && a.netns != null && f != null) {
            try {
                a.sandbox = f.open(containerId, a.netns).orElse(null);
            } catch (IOException | RuntimeException e) {
                // the namespace is gone with the container: drivers cope with no sandbox
            }
        }
        List<EndpointRecord> eps = table.endpointsOfContainer(containerId);
        for (int i = eps.size() - 1; i >= 0; i--) {
            leave(a, eps.get(i));
        }
        table.detach(containerId);
        Path own = sandboxPath(containerId);
        boolean made = a != null && a.netns != null;
        if (made || Files.exists(own)) {
            if (f != null) {
                try {
                    f.delete(own);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "removing the network namespace of container " + containerId + " failed",
                            e);
                }
            } else {
                LOG.log(Level.WARNING, "the network namespace {0} stays: no sandbox factory is registered", own);
            }
        }
        Map<String, EndpointSettings> out = new LinkedHashMap<>();
        if (networks != null) {
            networks.forEach((k, v) -> out.put(k, EndpointConfigs.cleaned(v)));
        }
        return out;
    }

    @Override
    public Map<String, List<HostConfig.PortBinding>> ports(String containerId, ContainerConfig config) {
        if (table.attachment(containerId) == null || onHostNetwork(containerId)) {
            return new LinkedHashMap<>(); // the host's network publishes nothing: Docker shows {}
        }
        return PublishedPorts.inspect(config, boundPorts(containerId));
    }

    @Override
    public List<ContainerSummary.Port> summaryPorts(String containerId, ContainerConfig config) {
        if (table.attachment(containerId) == null || onHostNetwork(containerId)) {
            return List.of();
        }
        return PublishedPorts.summary(config, boundPorts(containerId));
    }

    private boolean onHostNetwork(String containerId) {
        for (EndpointRecord e : table.endpointsOfContainer(containerId)) {
            NetworkRecord n = table.byId(e.networkId());
            if (n != null && n.driver().equals(NetworkRecord.HOST)) {
                return true;
            }
        }
        return false;
    }

    private List<PortMapping> boundPorts(String containerId) {
        List<PortMapping> out = new ArrayList<>();
        for (EndpointRecord e : table.endpointsOfContainer(containerId)) {
            out.addAll(e.boundPorts());
        }
        return out;
    }

    @Override
    public EtcView etcView(String containerId, HostConfig hc) {
        List<String> addresses = new ArrayList<>();
        for (EndpointRecord e : table.endpointsOfContainer(containerId)) {
            if (e.ip() != null) {
                addresses.add(e.ip());
            }
        }
        Attachment a = table.attachment(containerId);
        boolean internal = a != null && a.dns;
        List<String> gateway = new ArrayList<>();
        NetworkRecord bridge = table.byName(NetworkRecord.BRIDGE);
        if (bridge != null && bridge.ipv4Pool() != null && bridge.ipv4Pool().gateway() != null) {
            gateway.add(bridge.ipv4Pool().gateway());
        }
        return new EtcView(addresses, internal, nonEmpty(hc.dns()) ? hc.dns() : defaults.dns(),
                nonEmpty(hc.dnsSearch()) ? hc.dnsSearch() : defaults.dnsSearch(),
                nonEmpty(hc.dnsOptions()) ? hc.dnsOptions() : defaults.dnsOptions(), gateway);
    }

    @Override
    public Map<String, EndpointSettings> renamed(String containerId, String oldName, String newName,
            Map<String, EndpointSettings> networks) {
        String from = bare(oldName);
        String to = bare(newName);
        for (EndpointRecord e : table.endpointsOfContainer(containerId)) {
            EndpointRecord r = e.renamed(to, e.dnsNames().stream().map(x -> x.equals(from) ? to : x).toList());
            table.updateEndpoint(r);
            try {
                store.save(r);
            } catch (IOException ex) {
                LOG.log(Level.WARNING, "cannot record the new name of endpoint " + e.id(), ex);
            }
        }
        Map<String, EndpointSettings> out = new LinkedHashMap<>();
        if (networks != null) {
            networks.forEach((k, v) -> out.put(k, v == null || v.dnsNames() == null ? v : new EndpointSettings(
                    v.ipamConfig(), v.links(), v.macAddress(), v.aliases(), v.driverOpts(), v.networkID(),
                    v.endpointID(), v.gateway(), v.ipAddress(), v.ipPrefixLen(), v.ipv6Gateway(),
                    v.globalIPv6Address(), v.globalIPv6PrefixLen(),
                    v.dnsNames().stream().map(x -> x.equals(from) ? to : x).toList())));
        }
        return out;
    }

    // ============================================================================================================
    // DnsNames

    @Override
    public Lookup lookup(String containerId, String name, int type) {
        NetworkTable.LookupResult r = table.lookup(containerId, name);
        if (r.found()) {
            List<byte[]> out = new ArrayList<>();
            for (String ip : r.addresses()) {
                int a = Ipv4.parse(ip);
                out.add(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
            }
            return Lookup.answer(out);
        }
        return r.ours() ? Lookup.NXDOMAIN : Lookup.FORWARD;
    }

    @Override
    public List<InetSocketAddress> upstreams(String containerId) {
        Attachment a = table.attachment(containerId);
        return a == null ? List.of() : a.upstreams;
    }

    /**
     * Where a container's other queries go: its {@code --dns} servers, else the daemon's, else the host's
     * nameservers (loopback ones included: they are asked from the host's namespace). None when all its
     * networks are internal: Docker's resolver does not proxy for a container without external access.
     */
    private List<InetSocketAddress> upstreams(HostConfig hc, List<EndpointRecord> endpoints) {
        boolean external = false;
        for (EndpointRecord e : endpoints) {
            NetworkRecord n = table.byId(e.networkId());
            external |= n != null && !n.internal() && n.ipv4Pool() != null;
        }
        if (!external) {
            return List.of();
        }
        List<String> servers = nonEmpty(hc.dns()) ? hc.dns() : defaults.dns();
        if (servers.isEmpty()) {
            servers = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(hostResolvConf, StandardCharsets.UTF_8)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length >= 2 && f[0].equals("nameserver")) {
                        servers.add(f[1]);
                    }
                }
            } catch (IOException e) {
                // no resolv.conf: no upstream, queries that are not the engine's get SERVFAIL
            }
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String s : servers) {
            if (s.equals(EmbeddedDns.ADDRESS)) {
                continue; // itself (Docker's filterExtServers)
            }
            Integer v4 = Ipv4.tryParse(s);
            try {
                if (v4 != null) {
                    out.add(new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) (v4 >>> 24),
                            (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) (int) v4}), 53));
                } else if (s.indexOf(':') >= 0 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':'
                        || c == '.' || c == '%')) {
                    out.add(new InetSocketAddress(InetAddress.getByName(s), 53)); // a literal: nothing resolved
                }
            } catch (IOException e) {
                // not an address: skipped
            }
        }
        return List.copyOf(out);
    }

    private boolean serviceDiscovery(String networkId) {
        NetworkRecord n = table.byId(networkId);
        return n != null && n.serviceDiscovery();
    }

    // ============================================================================================================

    Path sandboxPath(String containerId) {
        return defaults.execRoot().resolve("netns").resolve(containerId);
    }

    /** For tests: whether the DNS server serves a container. */
    boolean servesDns(String containerId) {
        return dns.isOpen(containerId);
    }

    NetworkTable table() {
        return table;
    }

    static String bare(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    private static boolean nonEmpty(List<String> l) {
        return l != null && !l.isEmpty();
    }
}
