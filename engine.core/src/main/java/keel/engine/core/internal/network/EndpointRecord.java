package keel.engine.core.internal.network;

import java.util.List;

import keel.engine.api.network.EndpointSpec;
import keel.engine.api.network.EndpointSpec.PortMapping;

/**
 * A container's endpoint on a network while the container runs, as {@code <exec-root>/network/endpoints/<id>.json}
 * keeps it: the address IPAM gave it, what the driver reported, the names it answers to, and its published ports as
 * requested and as bound. exec-root is on tmpfs: an endpoint lives no longer than the run it belongs to, and a run
 * does not outlive a reboot; a daemon crash leaves the file (the page cache survives a killed process), so the next
 * start knows every address in use and every host port to publish again.
 *
 * @param ipv4Address   CIDR, null on networks without addresses (none, host)
 * @param staticAddress whether the address was asked for ({@code --ip})
 * @param order         the endpoint's place among the container's (its first network is 0): hosts lines and the
 *                      primary endpoint, which publishes the ports, follow it
 */
public record EndpointRecord(String id, String networkId, String containerId, String containerName,
        String ipv4Address, String gateway, String macAddress, String interfaceName, List<String> aliases,
        List<String> dnsNames, boolean staticAddress, List<PortMapping> ports, List<PortMapping> boundPorts,
        int order) {

    public EndpointRecord {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
        ports = ports == null ? List.of() : List.copyOf(ports);
        boundPorts = boundPorts == null ? List.of() : List.copyOf(boundPorts);
    }

    /** The address without its prefix length, or null. */
    public String ip() {
        if (ipv4Address == null) {
            return null;
        }
        int slash = ipv4Address.indexOf('/');
        return slash < 0 ? ipv4Address : ipv4Address.substring(0, slash);
    }

    public int prefixLength() {
        if (ipv4Address == null) {
            return 0;
        }
        int slash = ipv4Address.indexOf('/');
        return slash < 0 ? 32 : Integer.parseInt(ipv4Address.substring(slash + 1));
    }

    /** What the driver is told at join (the requested ports) or restore (the bound ones). */
    EndpointSpec spec(boolean bound) {
        return new EndpointSpec(id, containerId, containerName, ipv4Address, macAddress, aliases,
                bound ? boundPorts : ports);
    }

    EndpointRecord joined(String newGateway, String newMac, String newInterface, List<PortMapping> bound) {
        return new EndpointRecord(id, networkId, containerId, containerName, ipv4Address, newGateway, newMac,
                newInterface, aliases, dnsNames, staticAddress, ports, bound, order);
    }

    EndpointRecord renamed(String newName, List<String> newDnsNames) {
        return new EndpointRecord(id, networkId, containerId, newName, ipv4Address, gateway, macAddress,
                interfaceName, aliases, newDnsNames, staticAddress, ports, boundPorts, order);
    }
}
