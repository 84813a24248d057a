package keel.engine.core.internal.network.ipam;

import java.util.ArrayList;
import java.util.List;

/**
 * dockerd's {@code default-address-pools}: where the subnets of networks created without {@code --subnet} come
 * from. Each pool is a base prefix cut into subnets of one size; a subnet is picked from the first pool that has one
 * overlapping no network's subnet and nothing the host already routes (libnetwork's default IPAM, with the reserved
 * prefixes of netutils.InferReservedNetworks).
 */
public final class AddressPools {

    /** A base prefix and the length of the subnets cut from it (Docker's NetworkToSplit). */
    public record Pool(Ipv4Prefix base, int size) {
        public Pool {
            if (!base.isMasked()) {
                throw new IllegalArgumentException("address pool " + base + " is not in canonical form (it should be "
                        + base.masked() + ")");
            }
            if (size < base.bits() || size > 32) {
                throw new IllegalArgumentException("address pool " + base + " has a smaller prefix (/" + base.bits()
                        + ") than the target size of that pool (/" + size + ")");
            }
        }
    }

    /** Docker's local defaults: 172.17-31.0.0/16 (as /16s), then 192.168.0.0/16 in /20s. */
    public static final List<Pool> DOCKER_DEFAULTS = List.of(
            new Pool(Ipv4Prefix.parse("172.17.0.0/16"), 16),
            new Pool(Ipv4Prefix.parse("172.18.0.0/16"), 16),
            new Pool(Ipv4Prefix.parse("172.19.0.0/16"), 16),
            new Pool(Ipv4Prefix.parse("172.20.0.0/14"), 16),
            new Pool(Ipv4Prefix.parse("172.24.0.0/14"), 16),
            new Pool(Ipv4Prefix.parse("172.28.0.0/14"), 16),
            new Pool(Ipv4Prefix.parse("192.168.0.0/16"), 20));

    private final List<Pool> pools;

    public AddressPools(List<Pool> pools) {
        this.pools = pools == null || pools.isEmpty() ? DOCKER_DEFAULTS : List.copyOf(pools);
    }

    public List<Pool> pools() {
        return pools;
    }

    /**
     * Parses dockerd's {@code --default-address-pool base=172.30.0.0/16,size=24} (daemon.json's objects arrive in
     * the same form).
     *
     * @throws IllegalArgumentException with what is wrong
     */
    public static Pool parse(String spec) {
        String base = null;
        Integer size = null;
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("invalid field '" + part + "' must be a key=value pair");
            }
            String k = part.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT);
            String v = part.substring(eq + 1).trim();
            switch (k) {
                case "base" -> base = v;
                case "size" -> {
                    try {
                        size = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("invalid size value: " + v);
                    }
                }
                default -> throw new IllegalArgumentException("unexpected key '" + k + "' in '" + spec + "'");
            }
        }
        if (base == null || size == null) {
            throw new IllegalArgumentException("address pool '" + spec + "' needs both base and size");
        }
        return new Pool(Ipv4Prefix.parse(base), size);
    }

    /**
     * The first subnet of the pools that overlaps none of {@code taken} (other networks' subnets) and none of
     * {@code reserved} (the host's on-link routes and nameservers).
     *
     * @return the subnet, or null when every pool is used up
     */
    public Ipv4Prefix next(List<Ipv4Prefix> taken, List<Ipv4Prefix> reserved) {
        List<Ipv4Prefix> avoid = new ArrayList<>(taken);
        avoid.addAll(reserved);
        for (Pool p : pools) {
            long step = 1L << (32 - p.size());
            long end = Integer.toUnsignedLong(p.base().last());
            long a = Integer.toUnsignedLong(p.base().first());
            while (a <= end) {
                Ipv4Prefix candidate = new Ipv4Prefix((int) a, p.size());
                Ipv4Prefix hit = null;
                for (Ipv4Prefix t : avoid) {
                    if (t.overlaps(candidate)) {
                        hit = t;
                        break;
                    }
                }
                if (hit == null) {
                    return candidate;
                }
                // skip past what it overlaps, to the next aligned subnet
                long after = Math.max(Integer.toUnsignedLong(hit.last()), Integer.toUnsignedLong(candidate.last()))
                        + 1;
                a = (after + step - 1) / step * step;
            }
        }
        return null;
    }
}
