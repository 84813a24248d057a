package keel.engine.core.internal.network;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import keel.engine.api.errors.EngineException;
import keel.engine.api.network.Ipam;
import keel.engine.api.network.Sandbox;
import keel.engine.core.internal.network.ipam.AddressSet;
import keel.engine.core.internal.network.ipam.Ipv4;
import keel.engine.core.internal.network.ipam.Ipv4Prefix;

/**
 * The engine's networks and the endpoints of running containers, in memory: what IPAM has handed out, which
 * container is on which network, and the names the embedded DNS server answers. Every method holds the table's
 * monitor briefly and does no I/O, so the DNS thread can ask at any time.
 */
final class NetworkTable {

    /** A network, the addresses taken in its pool, its endpoints by ID. */
    static final class NetworkState {
        NetworkRecord record;
        AddressSet addresses;
        final Map<String, EndpointRecord> endpoints = new LinkedHashMap<>();
        boolean removing;

        NetworkState(NetworkRecord record) {
            this.record = record;
            this.addresses = addressesOf(record);
        }
    }

    /** A running container's side of the networks: its sandbox and endpoints in order. */
    static final class Attachment {
        final String containerId;
        final Path netns;
        Sandbox sandbox;
        final List<String> endpoints = new ArrayList<>();
        /** The embedded DNS server listens in its namespace (once started, Docker keeps it for the run). */
        boolean dns;
        List<java.net.InetSocketAddress> upstreams = List.of();

        Attachment(String containerId, Path netns, Sandbox sandbox) {
            this.containerId = containerId;
            this.netns = netns;
            this.sandbox = sandbox;
        }
    }

    private final Map<String, NetworkState> networks = new LinkedHashMap<>();
    private final Map<String, Attachment> attachments = new HashMap<>();
    private final Map<String, EndpointRecord> endpoints = new HashMap<>();

    static AddressSet addressesOf(NetworkRecord r) {
        Ipam.Config pool = r.ipv4Pool();
        if (pool == null) {
            return null;
        }
        Ipv4Prefix subnet = Ipv4Prefix.parse(pool.subnet()).masked();
        Ipv4Prefix range = pool.ipRange() == null || pool.ipRange().isBlank() ? null
                : Ipv4Prefix.parse(pool.ipRange()).masked();
        AddressSet set = new AddressSet(subnet, range);
        if (pool.gateway() != null && !pool.gateway().isBlank()) {
            set.take(Ipv4.parse(pool.gateway()));
        }
        if (pool.auxiliaryAddresses() != null) {
            for (String aux : pool.auxiliaryAddresses().values()) {
                Integer a = Ipv4.tryParse(aux);
                if (a != null && subnet.contains(a)) {
                    set.take(a);
                }
            }
        }
        return set;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Networks

    synchronized void putNetwork(NetworkRecord r) {
        NetworkState s = networks.get(r.id());
        if (s == null) {
            networks.put(r.id(), new NetworkState(r));
        } else {
            s.record = r;
        }
    }

    synchronized NetworkState removeNetwork(String id) {
        return networks.remove(id);
    }

    synchronized List<NetworkRecord> records() {
        return networks.values().stream().map(s -> s.record).toList();
    }

    synchronized NetworkRecord byId(String id) {
        NetworkState s = networks.get(id);
        return s == null ? null : s.record;
    }

    synchronized NetworkRecord byName(String name) {
        for (NetworkState s : networks.values()) {
            if (s.record.name().equals(name)) {
                return s.record;
            }
        }
        return null;
    }

    /**
     * Docker's FindNetwork: a full ID, then a full name, then a unique ID prefix.
     *
     * @throws EngineException NOT_FOUND "network X not found", INVALID_PARAMETER when ambiguous
     */
    synchronized NetworkRecord find(String term) {
        NetworkRecord r = findOrNull(term);
        if (r == null) {
            throw EngineException.notFound("network " + term + " not found");
        }
        return r;
    }

    synchronized NetworkRecord findOrNull(String term) {
        if (term == null || term.isEmpty()) {
            return null;
        }
        List<NetworkRecord> byName = new ArrayList<>();
        List<NetworkRecord> byPrefix = new ArrayList<>();
        for (NetworkState s : networks.values()) {
            if (s.removing) {
                continue;
            }
            if (s.record.id().equals(term)) {
                return s.record;
            }
            if (s.record.name().equals(term)) {
                byName.add(s.record);
            }
            if (s.record.id().startsWith(term)) {
                byPrefix.add(s.record);
            }
        }
        if (byName.size() == 1) {
            return byName.get(0);
        }
        if (byName.size() > 1) {
            throw EngineException.invalid("network " + term + " is ambiguous (" + byName.size()
                    + " matches found on name)");
        }
        if (byPrefix.size() == 1) {
            return byPrefix.get(0);
        }
        if (byPrefix.size() > 1) {
            throw EngineException.invalid("network " + term + " is ambiguous (" + byPrefix.size()
                    + " matches found based on ID prefix)");
        }
        return null;
    }

    /** The IPv4 subnets of every network but {@code exceptId}, for overlap checks. */
    synchronized List<Ipv4Prefix> subnets(String exceptId) {
        List<Ipv4Prefix> out = new ArrayList<>();
        for (NetworkState s : networks.values()) {
            if (s.addresses != null && !s.record.id().equals(exceptId)) {
                out.add(s.addresses.subnet());
            }
        }
        return out;
    }

    /** Marks a network as going away if it has no endpoints; returns its endpoints' container names otherwise. */
    synchronized List<String> markRemoving(String id) {
        NetworkState s = networks.get(id);
        if (s == null) {
            return List.of();
        }
        if (!s.endpoints.isEmpty()) {
            return s.endpoints.values().stream().map(EndpointRecord::containerName).toList();
        }
        s.removing = true;
        return List.of();
    }

    synchronized void unmarkRemoving(String id) {
        NetworkState s = networks.get(id);
        if (s != null) {
            s.removing = false;
        }
    }

    synchronized int endpointCount(String networkId) {
        NetworkState s = networks.get(networkId);
        return s == null ? 0 : s.endpoints.size();
    }

    synchronized List<EndpointRecord> endpointsOf(String networkId) {
        NetworkState s = networks.get(networkId);
        return s == null ? List.of() : List.copyOf(s.endpoints.values());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Endpoints

    /**
     * Takes an address on a network for a new endpoint: {@code requested} (--ip) or the next free one.
     *
     * @return the address in CIDR notation, or null on a network without a pool
     * @throws EngineException FORBIDDEN "Address already in use", SYSTEM when the pool is exhausted, NOT_FOUND
     *         when the network is being removed
     */
    synchronized String takeAddress(String networkId, String requested) {
        NetworkState s = networks.get(networkId);
        if (s == null || s.removing) {
            throw EngineException.notFound("network " + networkId + " not found");
        }
        if (s.addresses == null) {
            return null;
        }
        int bits = s.addresses.subnet().bits();
        if (requested != null && !requested.isBlank()) {
            int a = Ipv4.parse(requested);
            if (!s.addresses.subnet().contains(a)) {
                throw EngineException.invalid("invalid address " + requested
                        + ": It does not belong to any of this network's subnets");
            }
            if (!s.addresses.take(a)) {
                throw new EngineException(EngineException.Kind.FORBIDDEN, "Address already in use");
            }
            return Ipv4.format(a) + "/" + bits;
        }
        Integer a = s.addresses.takeAny();
        if (a == null) {
            throw EngineException.system("no available IPv4 addresses on this network's address pools: "
                    + s.record.name() + " (" + s.record.id() + ")", null);
        }
        return Ipv4.format(a) + "/" + bits;
    }

    synchronized void releaseAddress(String networkId, String cidr) {
        NetworkState s = networks.get(networkId);
        if (s == null || s.addresses == null || cidr == null) {
            return;
        }
        int slash = cidr.indexOf('/');
        Integer a = Ipv4.tryParse(slash < 0 ? cidr : cidr.substring(0, slash));
        if (a != null) {
            s.addresses.release(a);
        }
    }

    /**
     * Records an endpoint (a restored one takes its address again).
     *
     * @return false when its network is gone or, for a restored one, its address is taken
     */
    synchronized boolean putEndpoint(EndpointRecord e, boolean takeAddress) {
        NetworkState s = networks.get(e.networkId());
        if (s == null) {
            return false;
        }
        if (takeAddress && e.ipv4Address() != null && s.addresses != null) {
            Integer a = Ipv4.tryParse(e.ip());
            if (a == null || !s.addresses.subnet().contains(a) || !s.addresses.take(a)) {
                return false;
            }
        }
        s.endpoints.put(e.id(), e);
        endpoints.put(e.id(), e);
        Attachment att = attachments.get(e.containerId());
        if (att != null && !att.endpoints.contains(e.id())) {
            att.endpoints.add(e.id());
        }
        return true;
    }

    /** Replaces an endpoint's record (after the driver's join); its address stays taken. */
    synchronized void updateEndpoint(EndpointRecord e) {
        NetworkState s = networks.get(e.networkId());
        if (s != null && s.endpoints.containsKey(e.id())) {
            s.endpoints.put(e.id(), e);
            endpoints.put(e.id(), e);
        }
    }

    /** Forgets an endpoint and frees its address. */
    synchronized void removeEndpoint(EndpointRecord e) {
        NetworkState s = networks.get(e.networkId());
        if (s != null && s.endpoints.remove(e.id()) != null) {
            releaseAddress(e.networkId(), e.ipv4Address());
        }
        endpoints.remove(e.id());
        Attachment att = attachments.get(e.containerId());
        if (att != null) {
            att.endpoints.remove(e.id());
        }
    }

    synchronized EndpointRecord endpoint(String id) {
        return endpoints.get(id);
    }

    synchronized Collection<EndpointRecord> allEndpoints() {
        return List.copyOf(endpoints.values());
    }

    /** A container's endpoints in the order it joined. */
    synchronized List<EndpointRecord> endpointsOfContainer(String containerId) {
        List<EndpointRecord> out = new ArrayList<>();
        for (EndpointRecord e : endpoints.values()) {
            if (e.containerId().equals(containerId)) {
                out.add(e);
            }
        }
        out.sort(java.util.Comparator.comparingInt(EndpointRecord::order));
        return out;
    }

    synchronized EndpointRecord endpointOn(String containerId, String networkId) {
        for (EndpointRecord e : endpoints.values()) {
            if (e.containerId().equals(containerId) && e.networkId().equals(networkId)) {
                return e;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Attachments

    synchronized Attachment attach(String containerId, Path netns, Sandbox sandbox) {
        Attachment a = new Attachment(containerId, netns, sandbox);
        attachments.put(containerId, a);
        for (EndpointRecord e : endpointsOfContainer(containerId)) {
            a.endpoints.add(e.id());
        }
        return a;
    }

    synchronized Attachment attachment(String containerId) {
        return attachments.get(containerId);
    }

    synchronized Attachment detach(String containerId) {
        return attachments.remove(containerId);
    }

    synchronized List<String> attachedContainers() {
        return List.copyOf(attachments.keySet());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Names (the embedded DNS server)

    /**
     * Resolves a name as a container sees it (libnetwork's Sandbox.ResolveName): a name (container name, alias,
     * short ID, hostname) of an endpoint on one of its service-discovery networks, or NAME.NETWORK on that
     * network. Case does not matter in DNS.
     */
    synchronized LookupResult lookup(String containerId, String name) {
        List<NetworkState> nets = new ArrayList<>();
        for (EndpointRecord e : endpointsOfContainer(containerId)) {
            NetworkState s = networks.get(e.networkId());
            if (s != null && s.record.serviceDiscovery() && !nets.contains(s)) {
                nets.add(s);
            }
        }
        if (nets.isEmpty()) {
            return new LookupResult(false, false, List.of());
        }
        String n = name.toLowerCase(Locale.ROOT);
        List<String> found = matches(nets, n);
        if (!found.isEmpty()) {
            return new LookupResult(true, true, found);
        }
        boolean ours = n.indexOf('.') < 0;
        for (int dot = n.lastIndexOf('.'); dot > 0; dot = n.lastIndexOf('.', dot - 1)) {
            String label = n.substring(0, dot);
            String network = n.substring(dot + 1);
            for (NetworkState s : nets) {
                if (s.record.name().toLowerCase(Locale.ROOT).equals(network)) {
                    ours = true;
                    List<String> hit = matches(List.of(s), label);
                    if (!hit.isEmpty()) {
                        return new LookupResult(true, true, hit);
                    }
                }
            }
        }
        return new LookupResult(ours, false, List.of());
    }

    private static List<String> matches(List<NetworkState> nets, String name) {
        List<String> out = new ArrayList<>();
        for (NetworkState s : nets) {
            for (EndpointRecord e : s.endpoints.values()) {
                if (e.ip() == null || out.contains(e.ip())) {
                    continue;
                }
                for (String dns : e.dnsNames()) {
                    if (dns.equalsIgnoreCase(name)) {
                        out.add(e.ip());
                        break;
                    }
                }
            }
        }
        return out;
    }

    /**
     * @param ours    whether the name is in the engine's namespace (answered here, NXDOMAIN when not found)
     * @param found   whether a container has it
     */
    record LookupResult(boolean ours, boolean found, List<String> addresses) {}
}
