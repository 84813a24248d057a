package keel.cli.internal.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import keel.cli.internal.command.CliException;
import keel.cli.internal.container.options.BadValue;

/**
 * docker's createIPAMConfig: --subnet, --ip-range, --gateway and --aux-address gathered into one IPAMConfig per
 * subnet. Each range, gateway and auxiliary address goes to the subnet that contains it; subnets may not overlap,
 * and a subnet takes at most one range and one gateway. Errors are docker's sentences (exit 1).
 */
final class IpamPools {

    private IpamPools() {
    }

    /** The IPAM object of the create body: Driver, Options, Config (keys as Go marshals them). */
    static Map<String, Object> build(String driver, Map<String, String> driverOpts, List<String> subnets,
            List<String> ranges, List<String> gateways, Map<String, String> auxAddresses) throws CliException {
        if (subnets.size() < ranges.size() || subnets.size() < gateways.size()) {
            throw new CliException(1, "every ip-range or gateway must have a corresponding subnet");
        }
        try {
            Map<String, Pool> pools = new LinkedHashMap<>();
            for (String s : subnets) {
                for (String k : pools.keySet()) {
                    if (matches(s, k) || matches(k, s)) {
                        throw new CliException(1, "multiple overlapping subnet configuration is not supported");
                    }
                }
                pools.put(s, new Pool(s));
            }
            for (String r : ranges) {
                boolean match = false;
                for (String s : subnets) {
                    Cidr.parse(r);
                    if (!matches(s, r)) {
                        continue;
                    }
                    Pool p = pools.get(s);
                    if (!p.ipRange.isEmpty()) {
                        throw new CliException(1, "cannot configure multiple ranges (" + r + ", " + p.ipRange
                                + ") on the same subnet (" + s + ")");
                    }
                    p.ipRange = r;
                    match = true;
                }
                if (!match) {
                    throw new CliException(1, "no matching subnet for range " + r);
                }
            }
            for (String g : gateways) {
                boolean match = false;
                for (String s : subnets) {
                    if (!matches(s, g)) {
                        continue;
                    }
                    Pool p = pools.get(s);
                    if (!p.gateway.isEmpty()) {
                        throw new CliException(1, "cannot configure multiple gateways (" + g + ", " + p.gateway
                                + ") for the same subnet (" + s + ")");
                    }
                    p.gateway = g;
                    match = true;
                }
                if (!match) {
                    throw new CliException(1, "no matching subnet for gateway " + g);
                }
            }
            for (Map.Entry<String, String> aux : auxAddresses.entrySet()) {
                boolean match = false;
                for (String s : subnets) {
                    if (!matches(s, aux.getValue())) {
                        continue;
                    }
                    pools.get(s).aux.put(aux.getKey(), aux.getValue());
                    match = true;
                }
                if (!match) {
                    throw new CliException(1, "no matching subnet for aux-address " + aux.getValue());
                }
            }
            List<Object> config = new ArrayList<>();
            for (Pool p : pools.values()) {
                config.add(p.json());
            }
            Map<String, Object> ipam = new LinkedHashMap<>();
            ipam.put("Driver", driver);
            ipam.put("Options", new TreeMap<>(driverOpts));
            ipam.put("Config", config);
            return ipam;
        } catch (BadValue e) {
            throw new CliException(1, e.getMessage());
        }
    }

    /** subnetMatches: whether the address of {@code data} (an address or ADDR/N) lies in {@code subnet}. */
    private static boolean matches(String subnet, String data) throws BadValue {
        Cidr s;
        try {
            s = Cidr.parse(subnet);
        } catch (BadValue e) {
            throw new BadValue("invalid subnet: " + e.getMessage());
        }
        return s.contains(Cidr.address(data));
    }

    /** network.IPAMConfig; every field omitempty. */
    private static final class Pool {
        final String subnet;
        String ipRange = "";
        String gateway = "";
        final Map<String, String> aux = new TreeMap<>();

        Pool(String subnet) {
            this.subnet = subnet;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            if (!subnet.isEmpty()) {
                m.put("Subnet", subnet);
            }
            if (!ipRange.isEmpty()) {
                m.put("IPRange", ipRange);
            }
            if (!gateway.isEmpty()) {
                m.put("Gateway", gateway);
            }
            if (!aux.isEmpty()) {
                m.put("AuxiliaryAddresses", aux);
            }
            return m;
        }
    }
}
