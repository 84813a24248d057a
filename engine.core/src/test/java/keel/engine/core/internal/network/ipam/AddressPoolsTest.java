package keel.engine.core.internal.network.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subnets for new networks: the default pools in order, skipping networks and what the host routes. */
class AddressPoolsTest {

    @TempDir
    Path dir;

    private static Ipv4Prefix p(String s) {
        return Ipv4Prefix.parse(s);
    }

    @Test
    void dockersDefaultsStartAt172_17AndGoOnTo192_168In20s() {
        AddressPools pools = new AddressPools(List.of());
        assertEquals("172.17.0.0/16", pools.next(List.of(), List.of()).toString());
        assertEquals("172.18.0.0/16", pools.next(List.of(p("172.17.0.0/16")), List.of()).toString());
        assertEquals("172.21.0.0/16", pools.next(List.of(p("172.17.0.0/16"), p("172.18.0.0/15")),
                List.of(p("172.20.5.0/24"))).toString(), "a host route inside 172.20/16 skips it");
        assertEquals("192.168.16.0/20", pools.next(List.of(p("172.16.0.0/12"), p("192.168.0.0/20")), List.of())
                .toString());
    }

    @Test
    void configuredPoolsAreCutIntoSubnetsOfTheirSizeUntilNoneIsLeft() {
        AddressPools pools = new AddressPools(List.of(AddressPools.parse("base=198.18.0.0/22,size=24"),
                AddressPools.parse("base=198.19.0.0/23,size=24")));
        assertEquals("198.18.1.0/24", pools.next(List.of(p("198.18.0.0/24")), List.of()).toString());
        assertEquals("198.18.3.0/24", pools.next(List.of(p("198.18.0.0/23")), List.of(p("198.18.2.7/32")))
                .toString(), "a nameserver of the host stays reachable");
        assertEquals("198.19.1.0/24", pools.next(List.of(p("198.18.0.0/22"), p("198.19.0.0/24")), List.of())
                .toString());
        assertNull(pools.next(List.of(p("198.18.0.0/15")), List.of()));
        assertThrows(IllegalArgumentException.class, () -> AddressPools.parse("base=198.18.0.1/22,size=24"));
        assertThrows(IllegalArgumentException.class, () -> AddressPools.parse("base=198.18.0.0/22,size=16"));
        assertThrows(IllegalArgumentException.class, () -> AddressPools.parse("base=198.18.0.0/22"));
    }

    @Test
    void onLinkRoutesAndNameserversOfTheHostAreReserved() throws Exception {
        // /proc/net/route: destinations, gateways and masks in the kernel's byte order (little-endian here)
        Files.writeString(dir.resolve("route"), """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                eth0\t00000000\t0102000A\t0003\t0\t0\t100\t00000000\t0\t0\t0
                eth0\t0002000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
                docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
                eth0\t0000FEA9\t00000000\t0001\t0\t0\t1000\t0000FFFF\t0\t0\t0
                eth0\t0000A8C0\t0102000A\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0
                """);
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 10.9.8.7\nnameserver ::1\nsearch x\n");
        List<Ipv4Prefix> reserved = new HostRoutes(dir.resolve("route"), dir.resolve("resolv.conf")).reserved();
        assertEquals(List.of(p("10.0.2.0/24"), p("172.17.0.0/16"), p("10.9.8.7/32")), reserved,
                "no default route, no route via a gateway, no link-local route");
        assertEquals("172.18.0.0/16", new AddressPools(List.of()).next(List.of(), reserved).toString());
    }
}
