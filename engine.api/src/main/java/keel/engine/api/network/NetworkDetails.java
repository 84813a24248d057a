package keel.engine.api.network;

import java.util.Map;

/**
 * {@code GET /networks/{id}}: Docker's {@code Network} object; {@code containers} maps container IDs to their
 * endpoint on this network.
 */
public record NetworkDetails(String name, String id, String created, String scope, String driver,
        boolean enableIPv6, Ipam ipam, boolean internal, boolean attachable, boolean ingress,
        Map<String, NetworkContainer> containers, Map<String, String> options, Map<String, String> labels) {

    /** A container on the network; addresses in CIDR notation. */
    public record NetworkContainer(String name, String endpointID, String macAddress, String ipv4Address,
            String ipv6Address) {}
}
