package keel.engine.core.internal.network.ipam;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a new network's subnet must not overlap on this host besides other networks (libnetwork's
 * netutils.InferReservedNetworks): the IPv4 routes the host has on a link (a LAN, a VPN, another engine's bridge),
 * read from {@code /proc/net/route}, and the nameservers of its resolv.conf (a container could no longer reach a
 * nameserver its own network shadowed). Routes through a gateway (the default route) and link-local ones do not
 * count. Read at each use: interfaces come and go.
 */
public final class HostRoutes {

    /** RTF_GATEWAY in /proc/net/route's flags: the route goes through a router, not onto a link. */
    private static final int RTF_GATEWAY = 0x2;
    private static final Ipv4Prefix LINK_LOCAL = Ipv4Prefix.parse("169.254.0.0/16");

    private final Path routeTable;
    private final Path resolvConf;

    public HostRoutes(Path routeTable, Path resolvConf) {
        this.routeTable = routeTable;
        this.resolvConf = resolvConf;
    }

    public static HostRoutes ofThisHost() {
        return new HostRoutes(Path.of("/proc/net/route"), Path.of("/etc/resolv.conf"));
    }

    /** The reserved prefixes; an unreadable file counts as none (best effort, as Docker's). */
    public List<Ipv4Prefix> reserved() {
        List<Ipv4Prefix> out = new ArrayList<>();
        try {
            out.addAll(parseRoutes(Files.readString(routeTable, StandardCharsets.US_ASCII)));
        } catch (NoSuchFileException e) {
            // no procfs: nothing known
        } catch (IOException e) {
            // unreadable: nothing known
        }
        try {
            for (String line : Files.readAllLines(resolvConf, StandardCharsets.UTF_8)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && f[0].equals("nameserver")) {
                    Integer a = Ipv4.tryParse(f[1]);
                    if (a != null) {
                        out.add(new Ipv4Prefix(a, 32));
                    }
                }
            }
        } catch (IOException e) {
            // no resolv.conf: no nameservers to keep reachable
        }
        return out;
    }

    /**
     * Parses /proc/net/route: a header line, then per route the interface, destination, gateway, flags, ..., mask,
     * addresses in hexadecimal in the kernel's (little-endian) byte order.
     */
    static List<Ipv4Prefix> parseRoutes(String table) {
        List<Ipv4Prefix> out = new ArrayList<>();
        String[] lines = table.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            try {
                int dest = Integer.reverseBytes(Integer.parseUnsignedInt(f[1], 16));
                int flags = Integer.parseInt(f[3], 16);
                int mask = Integer.reverseBytes(Integer.parseUnsignedInt(f[7], 16));
                if ((flags & RTF_GATEWAY) != 0 || mask == 0) {
                    continue;
                }
                int bits = Integer.bitCount(mask);
                Ipv4Prefix p = new Ipv4Prefix(dest, bits).masked();
                if (!LINK_LOCAL.contains(p)) {
                    out.add(p);
                }
            } catch (NumberFormatException e) {
                // not a route line
            }
        }
        return out;
    }
}
