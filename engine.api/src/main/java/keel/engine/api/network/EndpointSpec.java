package keel.engine.api.network;

import java.util.List;

/**
 * A container's endpoint on a network: its ID, the container, the IPv4 address the engine allocated (CIDR, e.g.
 * 172.17.0.2/16; null on networks without addresses), the MAC address, DNS aliases, and the ports to publish on
 * the host.
 */
public record EndpointSpec(String id, String containerId, String containerName, String ipv4Address,
        String macAddress, List<String> aliases, List<PortMapping> ports) {

    /**
     * A published port: container port and protocol (tcp, udp) to a host IP (empty for all) and port.
     */
    public record PortMapping(String protocol, int containerPort, String hostIp, int hostPort) {}
}
