package keel.engine.api.network;

/**
 * What a container got on joining a network: its interface name inside the sandbox (eth0, eth1...), IPv4
 * address (CIDR), gateway and MAC address. Null fields for networks without them (none).
 */
public record EndpointResult(String interfaceName, String ipv4Address, String gateway, String macAddress) {}
