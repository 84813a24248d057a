package keel.engine.core.internal.network;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import keel.engine.api.container.EndpointSettings;
import keel.engine.api.errors.EngineException;
import keel.engine.api.network.Ipam;
import keel.engine.core.internal.network.ipam.Ipv4;
import keel.engine.core.internal.network.ipam.Ipv4Prefix;

/**
 * A container's endpoint settings on one network as Docker reads them (daemon/container_operations.go): checked
 * at create and connect (validateEndpointSettings), their DNS names (buildEndpointDNSNames), and what is left of
 * them after a run (cleanOperationalData).
 */
final class EndpointConfigs {

    static final String UNSUPPORTED_IP = "user specified IP address is supported on user defined networks only";
    static final String UNSUPPORTED_ALIAS = "network-scoped alias is supported only for containers in user defined "
            + "networks";
    static final String SHARED_NETWORK = "container sharing network namespace with another container or host "
            + "cannot be connected to any other network";
    static final String NO_NETWORK = "container cannot be connected to multiple networks with one of the networks "
            + "in private (none) mode";
    static final String CONNECT_HOST = "cannot connect container to host network - container must be created in "
            + "host network mode";
    static final String DISCONNECT_HOST = "cannot disconnect container from host network - container was created "
            + "in host network mode";

    private EndpointConfigs() {}

    /** Docker's NetworkMode.IsUserDefined, by name: anything but default, bridge, host, none and container:x. */
    static boolean userDefined(String networkName) {
        return !NetworkRecord.isPredefinedName(networkName) && !networkName.startsWith("container:");
    }

    /**
     * @param network the network when it exists (its pool bounds a static address), else null
     * @throws EngineException INVALID_PARAMETER "invalid endpoint settings:\n..." as Docker words it
     */
    static void validate(NetworkRecord network, String networkName, EndpointSettings es) {
        if (es == null) {
            return;
        }
        List<String> errors = new ArrayList<>();
        String v4 = es.ipamConfig() == null ? null : blankToNull(es.ipamConfig().ipv4Address());
        String v6 = es.ipamConfig() == null ? null : blankToNull(es.ipamConfig().ipv6Address());
        if (!userDefined(networkName)) {
            if (v4 != null || v6 != null) {
                errors.add(UNSUPPORTED_IP);
            }
            if (es.aliases() != null && !es.aliases().isEmpty()) {
                errors.add(UNSUPPORTED_ALIAS);
            }
        }
        Integer address = null;
        if (v4 != null) {
            address = Ipv4.tryParse(v4);
            if (address == null || address == 0) {
                errors.add("invalid IPv4 address: " + v4);
            }
        }
        if (v6 != null) {
            errors.add("invalid IPv6 address: " + v6 + " (IPv6 is not supported by Keel yet)");
        }
        if (network != null && address != null && address != 0) {
            Ipam.Config pool = network.ipv4Pool();
            boolean in = false;
            if (pool != null) {
                Ipv4Prefix subnet = Ipv4Prefix.parse(pool.subnet()).masked();
                in = subnet.contains(address) && (pool.ipRange() == null || pool.ipRange().isBlank()
                        || Ipv4Prefix.parse(pool.ipRange()).masked().contains(address));
            }
            if (!in) {
                errors.add("no configured subnet or ip-range contain the IP address " + v4);
            }
        }
        if (es.macAddress() != null && !es.macAddress().isBlank() && !isMac(es.macAddress())) {
            throw EngineException.invalid("invalid MAC address " + es.macAddress());
        }
        if (!errors.isEmpty()) {
            throw EngineException.invalid("invalid endpoint settings:\n" + NetworkCreation.joined(errors));
        }
    }

    /** The static IPv4 address asked for, or null. */
    static String requestedAddress(EndpointSettings es) {
        return es == null || es.ipamConfig() == null ? null : blankToNull(es.ipamConfig().ipv4Address());
    }

    /**
     * Docker's buildEndpointDNSNames: the container's name, its aliases, its short ID and its hostname, each once,
     * in that order (the first names the container in PTR answers).
     */
    static List<String> dnsNames(String containerName, List<String> aliases, String containerId, String hostname) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        if (containerName != null && !containerName.isEmpty()) {
            names.add(containerName.startsWith("/") ? containerName.substring(1) : containerName);
        }
        if (aliases != null) {
            aliases.stream().filter(a -> a != null && !a.isBlank()).forEach(names::add);
        }
        if (containerId != null && !containerId.isEmpty()) {
            names.add(containerId.substring(0, Math.min(12, containerId.length())));
        }
        if (hostname != null && !hostname.isEmpty()) {
            names.add(hostname);
        }
        return List.copyOf(names);
    }

    /** What a request carries (as recorded at create or connect), without any run's data. */
    static EndpointSettings requested(EndpointSettings es, String networkId, List<String> dnsNames) {
        if (es == null) {
            return new EndpointSettings(null, null, "", null, null, networkId == null ? "" : networkId, "", "", "", 0,
                    "", "", 0, dnsNames);
        }
        return new EndpointSettings(es.ipamConfig(), es.links(), es.macAddress() == null ? "" : es.macAddress(),
                es.aliases(), es.driverOpts(), networkId == null ? nz(es.networkID()) : networkId, "", "", "", 0, "",
                "", 0, dnsNames != null ? dnsNames : es.dnsNames());
    }

    /** Docker's cleanOperationalData: the endpoint, addresses, gateway and MAC go; network and names stay. */
    static EndpointSettings cleaned(EndpointSettings es) {
        if (es == null) {
            return null;
        }
        return new EndpointSettings(es.ipamConfig(), es.links(), "", es.aliases(), es.driverOpts(), nz(es.networkID()),
                "", "", "", 0, "", "", 0, es.dnsNames());
    }

    /** The endpoint as inspect shows it while the container runs. */
    static EndpointSettings live(EndpointSettings requested, NetworkRecord n, EndpointRecord e) {
        String ip = e.ip();
        return new EndpointSettings(requested == null ? null : requested.ipamConfig(),
                requested == null ? null : requested.links(), nz(e.macAddress()), requested == null ? null
                        : requested.aliases(), requested == null ? null : requested.driverOpts(), n.id(), e.id(),
                nz(e.gateway()), ip == null ? "" : ip, ip == null ? 0 : e.prefixLength(), "", "", 0,
                n.serviceDiscovery() ? e.dnsNames() : null);
    }

    private static boolean isMac(String s) {
        String[] parts = s.split("[:-]");
        if (parts.length != 6) {
            return false;
        }
        for (String p : parts) {
            if (p.length() != 2 || Character.digit(p.charAt(0), 16) < 0 || Character.digit(p.charAt(1), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
