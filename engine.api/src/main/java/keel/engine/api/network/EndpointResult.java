package keel.engine.api.network;

import java.util.List;

import keel.engine.api.network.EndpointSpec.PortMapping;

/**
 * What a container got on joining a network: its interface name inside the sandbox (eth0, eth1...), IPv4
 * address (CIDR), gateway and MAC address (null fields for networks without them, such as none), and the ports
 * published for it with the host ports actually bound (a requested host port 0 replaced by the one the kernel
 * chose); the engine keeps them and passes them back in {@link EndpointSpec#ports()} on restore.
 */
public record EndpointResult(String interfaceName, String ipv4Address, String gateway, String macAddress,
        List<PortMapping> ports) {

    /** A result with no published ports. */
    public EndpointResult(String interfaceName, String ipv4Address, String gateway, String macAddress) {
        this(interfaceName, ipv4Address, gateway, macAddress, List.of());
    }
}
