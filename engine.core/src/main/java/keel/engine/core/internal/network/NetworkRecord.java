package keel.engine.core.internal.network;

import java.util.List;
import java.util.Map;

import keel.engine.api.network.Ipam;
import keel.engine.api.network.NetworkSpec;

/**
 * A network as {@code <data-root>/network/<id>.json} keeps it: what {@code docker network create} asked, with the
 * IPAM pool filled in (a subnet from the default pools, the gateway), so that inspect shows it and a restart gives
 * the network the same addresses.
 *
 * @param scope   always {@code local} (no swarm)
 * @param created RFC 3339 with nanoseconds, as Docker prints it
 */
public record NetworkRecord(String id, String name, String driver, String scope, String created, boolean internal,
        boolean attachable, boolean ingress, boolean enableIPv6, Ipam ipam, Map<String, String> options,
        Map<String, String> labels) {

    public static final String BRIDGE = "bridge";
    public static final String HOST = "host";
    public static final String NONE = "none";

    public NetworkRecord {
        options = options == null ? Map.of() : Map.copyOf(options);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        ipam = ipam == null ? new Ipam("default", List.of(), Map.of()) : ipam;
    }

    /** Docker's predefined networks (daemon/network.IsPredefined): bridge, host, none; never removed. */
    public boolean predefined() {
        return isPredefinedName(name);
    }

    static boolean isPredefinedName(String name) {
        return BRIDGE.equals(name) || HOST.equals(name) || NONE.equals(name) || "default".equals(name);
    }

    /**
     * Whether containers on it get the embedded DNS server and find each other by name: every network but the
     * predefined ones (Docker's default bridge keeps the legacy behaviour: no service discovery).
     */
    public boolean serviceDiscovery() {
        return !predefined();
    }

    /** The first IPv4 pool, or null (host, none). */
    public Ipam.Config ipv4Pool() {
        for (Ipam.Config c : ipam.config()) {
            if (c.subnet() != null && c.subnet().indexOf(':') < 0) {
                return c;
            }
        }
        return null;
    }

    /** What a driver is told. */
    public NetworkSpec spec() {
        List<NetworkSpec.IpamPool> pools = ipam.config().stream()
                .map(c -> new NetworkSpec.IpamPool(c.subnet(), c.ipRange(), c.gateway())).toList();
        return new NetworkSpec(id, name, driver, options, pools, internal, labels);
    }

    NetworkRecord withIpam(Ipam newIpam, Map<String, String> newOptions) {
        return new NetworkRecord(id, name, driver, scope, created, internal, attachable, ingress, enableIPv6, newIpam,
                newOptions, labels);
    }
}
