package keel.engine.api.network;

import java.util.List;
import java.util.Map;

/** Docker's {@code IPAM}: the address pools of a network ({@code --subnet}, {@code --ip-range}, {@code --gateway}). */
public record Ipam(String driver, List<Config> config, Map<String, String> options) {

    public record Config(String subnet, String ipRange, String gateway, Map<String, String> auxiliaryAddresses) {}
}
