package keel.engine.api.network;

import java.util.List;
import java.util.Map;

/**
 * A network as the engine records it. {@code options} are the driver options ({@code --opt}, e.g.
 * {@code com.docker.network.bridge.name}); {@code pools} its address pools (IPAM) after the engine filled in
 * defaults.
 */
public record NetworkSpec(String id, String name, String driver, Map<String, String> options, List<IpamPool> pools,
        boolean internal, Map<String, String> labels) {

    /** An IPv4 pool: subnet in CIDR notation, the range addresses are handed out from, and the gateway. */
    public record IpamPool(String subnet, String ipRange, String gateway) {}
}
