package keel.network.bridge.internal;

import java.util.List;
import java.util.Map;

import keel.engine.api.errors.EngineException;
import keel.engine.api.network.NetworkSpec;
import keel.network.bridge.internal.address.Ipv4Cidr;
import keel.network.bridge.internal.firewall.FirewallRules;
import keel.network.bridge.internal.firewall.RuleTags;

/**
 * A bridge network as the driver reads a {@link NetworkSpec}: Docker's driver options
 * ({@code com.docker.network.bridge.*}, {@code com.docker.network.driver.mtu}) resolved against the driver's
 * defaults, and its first IPv4 pool. Invalid options are the user's mistake: 400, with Docker's wording where
 * Docker has one.
 */
public record BridgeNetwork(String id, String name, String bridge, boolean bridgeNamed, Ipv4Cidr subnet,
        Ipv4Cidr gateway, int mtu, boolean masquerade, boolean icc, boolean internal, String hostBindingIpv4,
        boolean defaultBridge) {

    public static final String BRIDGE_NAME = "com.docker.network.bridge.name";
    public static final String ENABLE_IP_MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade";
    public static final String ENABLE_ICC = "com.docker.network.bridge.enable_icc";
    public static final String HOST_BINDING_IPV4 = "com.docker.network.bridge.host_binding_ipv4";
    public static final String MTU = "com.docker.network.driver.mtu";
    /** Marks the predefined {@code bridge} network (dockerd sets the same option on docker0's network). */
    public static final String DEFAULT_BRIDGE_OPTION = "com.docker.network.bridge.default_bridge";
    /** The predefined network's bridge (dockerd's docker0). */
    public static final String DEFAULT_BRIDGE = "keel0";

    public static BridgeNetwork of(NetworkSpec spec, BridgeSettings settings) {
        Map<String, String> options = spec.options() == null ? Map.of() : spec.options();
        String named = options.get(BRIDGE_NAME);
        String bridge;
        if (named != null && !named.isBlank()) {
            bridge = named.trim();
        } else if ("bridge".equals(spec.name())) {
            bridge = DEFAULT_BRIDGE;
        } else {
            bridge = "br-" + (spec.id().length() > 12 ? spec.id().substring(0, 12) : spec.id());
        }
        checkInterfaceName(bridge);

        NetworkSpec.IpamPool pool = ipv4Pool(spec.pools());
        Ipv4Cidr subnet;
        try {
            subnet = Ipv4Cidr.parse(pool.subnet()).network();
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid("invalid subnet " + pool.subnet() + ": " + e.getMessage());
        }
        Ipv4Cidr gateway;
        try {
            gateway = pool.gateway() == null || pool.gateway().isBlank()
                    ? new Ipv4Cidr(subnet.address() + 1, subnet.prefixLength())
                    : Ipv4Cidr.parse(pool.gateway(), subnet.prefixLength()).withPrefix(subnet.prefixLength());
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid("invalid gateway " + pool.gateway() + ": " + e.getMessage());
        }
        if (!subnet.contains(gateway.address())) {
            throw EngineException.invalid("gateway " + gateway.ip() + " is not in subnet " + subnet);
        }
        int mtu = settings.mtu();
        String mtuOption = options.get(MTU);
        if (mtuOption != null && !mtuOption.isBlank()) {
            try {
                mtu = Integer.parseInt(mtuOption.trim());
            } catch (NumberFormatException e) {
                throw EngineException.invalid("invalid MTU value \"" + mtuOption + "\"");
            }
            if (mtu < 68 || mtu > 65535) {
                throw EngineException.invalid("invalid MTU number: " + mtu);
            }
        }
        String binding = options.getOrDefault(HOST_BINDING_IPV4, "").trim();
        if (binding.equals("0.0.0.0")) {
            binding = "";
        }
        if (!binding.isEmpty() && !Ipv4Cidr.isIpv4(binding)) {
            throw EngineException.invalid("invalid " + HOST_BINDING_IPV4 + ": " + binding);
        }
        return new BridgeNetwork(spec.id(), spec.name(), bridge, named != null && !named.isBlank(), subnet, gateway,
                mtu, bool(options, ENABLE_IP_MASQUERADE, true), bool(options, ENABLE_ICC, true), spec.internal(),
                binding, bool(options, DEFAULT_BRIDGE_OPTION, false));
    }

    /** The interface alias marking a bridge Keel made for this network (so it deletes only its own). */
    public String alias(String owner) {
        return owner + "-network:" + id;
    }

    public FirewallRules.NetworkRuleInput ruleInput(RuleTags tags, boolean userlandProxy) {
        return new FirewallRules.NetworkRuleInput(tags.network(id), bridge, subnet, internal, masquerade, icc,
                userlandProxy);
    }

    private static NetworkSpec.IpamPool ipv4Pool(List<NetworkSpec.IpamPool> pools) {
        if (pools != null) {
            for (NetworkSpec.IpamPool p : pools) {
                if (p != null && p.subnet() != null && p.subnet().indexOf(':') < 0) {
                    return p;
                }
            }
        }
        throw EngineException.invalid("a bridge network needs an IPv4 address pool");
    }

    /** Go's strconv.ParseBool, which Docker uses for these options. */
    static boolean bool(Map<String, String> options, String key, boolean dflt) {
        String v = options.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        switch (v.trim()) {
            case "1", "t", "T", "true", "TRUE", "True":
                return true;
            case "0", "f", "F", "false", "FALSE", "False":
                return false;
            default:
                throw EngineException.invalid("invalid value \"" + v + "\" for " + key + ": expected true or false");
        }
    }

    static void checkInterfaceName(String name) {
        if (name.length() > 15 || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(c -> c == '/' || c == ':' || c <= ' ' || c > 126)) {
            throw EngineException.invalid("invalid bridge name \"" + name
                    + "\": at most 15 characters, no '/', ':' or blanks");
        }
    }
}
