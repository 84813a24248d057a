package keel.engine.core.internal.network.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** IPAM within one pool: lowest free first, the range, static addresses, exhaustion, release. */
class AddressSetTest {

    private static String next(AddressSet s) {
        Integer a = s.takeAny();
        return a == null ? null : Ipv4.format(a);
    }

    @Test
    void handsOutTheLowestFreeAddressAfterTheGatewayAndNeverTheNetworkOrBroadcastAddress() {
        AddressSet s = new AddressSet(Ipv4Prefix.parse("198.18.7.0/29"), null);
        assertTrue(s.take(Ipv4.parse("198.18.7.1"))); // the gateway
        List<String> got = new ArrayList<>();
        for (String a = next(s); a != null; a = next(s)) {
            got.add(a);
        }
        assertEquals(List.of("198.18.7.2", "198.18.7.3", "198.18.7.4", "198.18.7.5", "198.18.7.6"), got,
                ".0 is the network, .7 the broadcast");
        s.release(Ipv4.parse("198.18.7.4"));
        assertEquals("198.18.7.4", next(s), "a released address is the lowest free again");
        assertNull(next(s), "exhausted");
    }

    @Test
    void dynamicAddressesComeFromTheRangeStaticOnesFromTheWholeSubnet() {
        AddressSet s = new AddressSet(Ipv4Prefix.parse("198.18.8.0/24"), Ipv4Prefix.parse("198.18.8.128/30"));
        s.take(Ipv4.parse("198.18.8.1"));
        assertEquals("198.18.8.128", next(s), "inside the range, the first address is a host address");
        assertTrue(s.take(Ipv4.parse("198.18.8.50")));
        assertFalse(s.take(Ipv4.parse("198.18.8.50")), "never handed out twice");
        assertEquals("198.18.8.129", next(s));
        assertEquals("198.18.8.130", next(s));
        assertEquals("198.18.8.131", next(s));
        assertNull(next(s));
        assertThrows(IllegalArgumentException.class, () -> s.take(Ipv4.parse("198.18.9.1")));
        assertEquals(6, s.taken());
    }

    @Test
    void parsesStrictly() {
        assertNull(Ipv4.tryParse("010.1.1.1"), "no leading zeros (not octal either)");
        assertNull(Ipv4.tryParse("1.2.3"));
        assertNull(Ipv4.tryParse("1.2.3.256"));
        assertNull(Ipv4.tryParse("a.b.c.d"));
        assertEquals("255.255.255.255", Ipv4.format(Ipv4.parse("255.255.255.255")));
        Ipv4Prefix p = Ipv4Prefix.parse("172.17.0.1/16");
        assertFalse(p.isMasked());
        assertEquals("172.17.0.0/16", p.masked().toString());
        assertThrows(IllegalArgumentException.class, () -> Ipv4Prefix.parse("172.17.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Prefix.parse("172.17.0.0"));
        assertTrue(Ipv4Prefix.parse("10.0.0.0/8").overlaps(Ipv4Prefix.parse("10.1.0.0/16")));
        assertFalse(Ipv4Prefix.parse("10.0.0.0/16").overlaps(Ipv4Prefix.parse("10.1.0.0/16")));
    }
}
