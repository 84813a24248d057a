package keel.engine.core.internal.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import keel.engine.api.errors.EngineException;
import keel.engine.api.network.Ipam;
import keel.engine.api.network.NetworkCreateRequest;
import keel.engine.core.internal.network.ipam.AddressPools;
import keel.engine.core.internal.network.ipam.Ipv4;
import keel.engine.core.internal.network.ipam.Ipv4Prefix;

/**
 * Turns {@code docker network create} into a {@link NetworkRecord} with Docker's checks and messages
 * (daemon/network.go createNetwork and validateIpamConfig, libnetwork's NewNetwork and default IPAM): the name,
 * the driver, each IPv4 pool (canonical subnet, range and gateway inside it, no overlap with another network), and
 * a subnet from the default pools when none is given.
 */
final class NetworkCreation {

    private final NetworkTable table;
    private final NetworkDrivers drivers;
    private final AddressPools pools;
    private final java.util.function.Supplier<List<Ipv4Prefix>> reserved;

    NetworkCreation(NetworkTable table, NetworkDrivers drivers, AddressPools pools,
            java.util.function.Supplier<List<Ipv4Prefix>> reserved) {
        this.table = table;
        this.drivers = drivers;
        this.pools = pools;
        this.reserved = reserved;
    }

    /**
     * Checks a request against the networks there are (the caller serializes creations).
     *
     * @throws EngineException with Docker's kind and message
     */
    NetworkRecord build(NetworkCreateRequest req, String id, String created) {
        if (req == null || req.name() == null || req.name().isBlank()) {
            throw EngineException.invalid("invalid name: name is empty");
        }
        String name = req.name();
        if (NetworkRecord.isPredefinedName(name)) {
            // sic: Docker's message ends with a space
            throw new EngineException(EngineException.Kind.FORBIDDEN,
                    "operation is not permitted on predefined " + name + " network ");
        }
        if (table.byName(name) != null) {
            throw EngineException.conflict("network with name " + name + " already exists");
        }
        String driver = req.driver() == null || req.driver().isBlank() ? NetworkRecord.BRIDGE : req.driver();
        if (driver.equals(NetworkRecord.HOST) || driver.equals(NetworkRecord.NONE) || driver.equals("null")) {
            throw new EngineException(EngineException.Kind.FORBIDDEN,
                    "only one instance of \"" + driver + "\" network is allowed");
        }
        if (drivers.get(driver) == null) {
            throw EngineException.notFound("could not find plugin " + driver + " in v1 plugin registry: plugin not "
                    + "found");
        }
        if (Boolean.TRUE.equals(req.enableIPv6())) {
            throw new EngineException(EngineException.Kind.NOT_IMPLEMENTED,
                    "IPv6 networks are not supported by Keel yet");
        }
        Ipam requested = req.ipam();
        String ipamDriver = requested == null || requested.driver() == null || requested.driver().isBlank()
                ? "default" : requested.driver();
        if (!ipamDriver.equals("default")) {
            throw EngineException.notFound("could not find plugin " + ipamDriver
                    + " in v1 plugin registry: plugin not found");
        }
        List<Ipam.Config> v4 = new ArrayList<>();
        if (requested != null && requested.config() != null) {
            for (Ipam.Config c : requested.config()) {
                if (c == null || (c.subnet() != null && c.subnet().indexOf(':') >= 0)) {
                    continue; // an IPv6 pool of a network without IPv6: Docker ignores it too
                }
                v4.add(c);
            }
        }
        List<String> errors = new ArrayList<>();
        for (Ipam.Config c : v4) {
            validate(c, errors);
        }
        if (!errors.isEmpty()) {
            throw EngineException.invalid("invalid network config:\n" + joined(errors));
        }
        if (v4.size() > 1) {
            throw new EngineException(EngineException.Kind.NOT_IMPLEMENTED,
                    "more than one IPv4 pool per network is not supported");
        }
        Ipam.Config pool = v4.isEmpty() ? null : v4.get(0);
        Ipv4Prefix subnet;
        if (pool == null || pool.subnet() == null || pool.subnet().isBlank()) {
            if (pool != null && (!blank(pool.ipRange()) || !blank(pool.gateway()))) {
                throw EngineException.invalid("invalid network config:\nan ip-range or gateway needs a subnet");
            }
            subnet = pools.next(table.subnets(null), reserved.get());
            if (subnet == null) {
                throw EngineException.invalid("all predefined address pools have been fully subnetted");
            }
        } else {
            subnet = Ipv4Prefix.parse(pool.subnet());
            for (Ipv4Prefix other : table.subnets(null)) {
                if (other.overlaps(subnet)) {
                    throw new EngineException(EngineException.Kind.FORBIDDEN,
                            "invalid pool request: Pool overlaps with other one on this address space");
                }
            }
        }
        String gateway = pool == null || blank(pool.gateway()) ? firstHost(subnet) : pool.gateway();
        Map<String, String> aux = pool == null || pool.auxiliaryAddresses() == null ? Map.of()
                : new LinkedHashMap<>(pool.auxiliaryAddresses());
        Ipam.Config filled = new Ipam.Config(subnet.toString(), pool == null || blank(pool.ipRange()) ? null
                : pool.ipRange(), gateway, aux.isEmpty() ? null : aux);
        Map<String, String> ipamOptions = requested == null || requested.options() == null ? Map.of()
                : requested.options();
        return new NetworkRecord(id, name, driver, "local", created, Boolean.TRUE.equals(req.internal()),
                Boolean.TRUE.equals(req.attachable()), false, false,
                new Ipam("default", List.of(filled), ipamOptions), req.options(), req.labels());
    }

    /** Docker's validateIpamConfig and validateIPRange for an IPv4 pool. */
    static void validate(Ipam.Config c, List<String> errors) {
        if (blank(c.subnet())) {
            return;
        }
        Ipv4Prefix subnet;
        try {
            subnet = Ipv4Prefix.parse(c.subnet());
        } catch (IllegalArgumentException e) {
            errors.add("invalid subnet " + c.subnet() + ": " + e.getMessage());
            return;
        }
        if (!subnet.isMasked()) {
            errors.add("invalid subnet " + subnet + ": it should be " + subnet.masked());
        }
        if (!blank(c.ipRange())) {
            try {
                Ipv4Prefix range = Ipv4Prefix.parse(c.ipRange());
                if (range.bits() < subnet.bits()) {
                    errors.add("invalid ip-range " + range + ": CIDR block is bigger than its parent subnet " + subnet);
                }
                if (!range.isMasked()) {
                    errors.add("invalid ip-range " + range + ": it should be " + range.masked());
                }
                if (!subnet.masked().overlaps(range.masked())) {
                    errors.add("invalid ip-range " + range + ": parent subnet " + subnet + " doesn't contain ip-range");
                }
            } catch (IllegalArgumentException e) {
                errors.add("invalid ip-range " + c.ipRange() + ": " + e.getMessage());
            }
        }
        checkAddress("invalid gateway " + c.gateway(), c.gateway(), subnet, errors);
        if (c.auxiliaryAddresses() != null) {
            c.auxiliaryAddresses().forEach((k, v) -> checkAddress("invalid auxiliary address " + k, v, subnet,
                    errors));
        }
    }

    private static void checkAddress(String what, String address, Ipv4Prefix subnet, List<String> errors) {
        if (blank(address)) {
            return;
        }
        Integer a = Ipv4.tryParse(address);
        if (a == null) {
            errors.add(what + ": " + (address.indexOf(':') >= 0 ? "parent subnet is an IPv4 block"
                    : "ParseAddr(\"" + address + "\"): unable to parse IP"));
        } else if (!subnet.masked().contains(a)) {
            errors.add(what + ": parent subnet " + subnet + " doesn't contain this address");
        }
    }

    /** Docker's multierror: one error as it is, several as a bulleted list. */
    static String joined(List<String> errors) {
        if (errors.size() == 1) {
            return errors.get(0).trim();
        }
        List<String> lines = new ArrayList<>();
        for (String e : errors) {
            lines.add(e.replace("\n", "\n\t"));
        }
        return "* " + String.join("\n* ", lines);
    }

    static String firstHost(Ipv4Prefix subnet) {
        Ipv4Prefix m = subnet.masked();
        return Ipv4.format(m.bits() >= 31 ? m.first() : m.first() + 1);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
