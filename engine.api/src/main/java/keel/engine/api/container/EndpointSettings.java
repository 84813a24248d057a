package keel.engine.api.container;

import java.util.List;
import java.util.Map;

/** Docker's {@code EndpointSettings}: a container's endpoint on one network, as requested and as inspected. */
public record EndpointSettings(
        IpamConfig ipamConfig,
        List<String> links,
        String macAddress,
        List<String> aliases,
        Map<String, String> driverOpts,
        String networkID,
        String endpointID,
        String gateway,
        String ipAddress,
        Integer ipPrefixLen,
        String ipv6Gateway,
        String globalIPv6Address,
        Integer globalIPv6PrefixLen,
        List<String> dnsNames) {

    /** The addresses asked for ({@code --ip}). */
    public record IpamConfig(String ipv4Address, String ipv6Address) {}
}
