package keel.engine.core.internal.network;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import keel.engine.api.errors.EngineException;
import keel.engine.core.internal.daemon.EngineConfig;
import keel.engine.core.internal.network.ipam.AddressPools;
import keel.engine.core.internal.network.ipam.Ipv4Prefix;

/**
 * The daemon's networking options (dockerd's flags of the same names): the default bridge network's address
 * ({@code --bip}, else the first free default pool), range ({@code --fixed-cidr}), bridge ({@code -b}), MTU and
 * masquerading; the pools of new networks ({@code --default-address-pool}); the DNS settings of containers that set
 * none ({@code --dns}, {@code --dns-search}, {@code --dns-opt}).
 *
 * @param bip        the default bridge's gateway with its subnet's length ({@code 172.17.0.1/16}), or null
 * @param fixedCidr  the default bridge's range for containers, or null
 * @param bridgeName the default bridge's interface (dockerd's docker0)
 * @param dnsTimeout how long the embedded DNS server waits for an upstream nameserver
 */
public record NetworkDefaults(Path dataRoot, Path execRoot, Ipv4Prefix bip, Ipv4Prefix fixedCidr, String bridgeName,
        int mtu, boolean ipMasquerade, AddressPools pools, List<String> dns, List<String> dnsSearch,
        List<String> dnsOptions, Duration dnsTimeout) {

    public static final String DEFAULT_BRIDGE = "keel0";
    /** {@code --bridge=none}: no default bridge network; containers in the default mode get loopback only. */
    public static final String NO_BRIDGE = "none";

    public NetworkDefaults {
        dns = dns == null ? List.of() : List.copyOf(dns);
        dnsSearch = dnsSearch == null ? List.of() : List.copyOf(dnsSearch);
        dnsOptions = dnsOptions == null ? List.of() : List.copyOf(dnsOptions);
        bridgeName = bridgeName == null || bridgeName.isBlank() ? DEFAULT_BRIDGE : bridgeName;
    }

    /** Whether the default bridge network is disabled ({@code -b none}, as dockerd's DisableBridge). */
    public boolean bridgeDisabled() {
        return NO_BRIDGE.equals(bridgeName);
    }

    /**
     * Reads the engine's configuration.
     *
     * @throws EngineException INVALID_PARAMETER for a bad address, pool or MTU
     */
    public static NetworkDefaults of(EngineConfig c) {
        Ipv4Prefix bip = blank(c.bip()) ? null : prefix("bip", c.bip());
        Ipv4Prefix fixed = blank(c.fixed_cidr()) ? null : prefix("fixed-cidr", c.fixed_cidr()).masked();
        if (bip != null && fixed != null && !bip.masked().contains(fixed)) {
            throw EngineException.invalid("fixed-cidr " + fixed + " is not inside bip " + bip);
        }
        List<AddressPools.Pool> pools = new ArrayList<>();
        for (String p : nonNull(c.default_address_pools())) {
            try {
                pools.add(AddressPools.parse(p));
            } catch (IllegalArgumentException e) {
                throw EngineException.invalid("invalid default-address-pool " + p + ": " + e.getMessage());
            }
        }
        if (c.mtu() < 68 || c.mtu() > 65535) {
            throw EngineException.invalid("invalid MTU " + c.mtu() + ": it must be between 68 and 65535");
        }
        return new NetworkDefaults(Path.of(c.data_root()), Path.of(c.exec_root()), bip, fixed, c.bridge(), c.mtu(),
                c.ip_masq(), new AddressPools(pools), List.of(nonNull(c.dns())), List.of(nonNull(c.dns_search())),
                List.of(nonNull(c.dns_opts())), Duration.ofSeconds(4));
    }

    private static Ipv4Prefix prefix(String flag, String value) {
        try {
            return Ipv4Prefix.parse(value.trim());
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid("invalid " + flag + " " + value + ": " + e.getMessage());
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String[] nonNull(String[] a) {
        return a == null ? new String[0] : a;
    }

    NetworkDefaults withDnsTimeout(Duration timeout) {
        return new NetworkDefaults(dataRoot, execRoot, bip, fixedCidr, bridgeName, mtu, ipMasquerade, pools, dns,
                dnsSearch, dnsOptions, timeout);
    }
}
