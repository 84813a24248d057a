package keel.network.bridge.internal.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressTest {

    @Test
    void cidrParsesAndComputesNetworkAndBroadcast() {
        Ipv4Cidr c = Ipv4Cidr.parse("198.18.5.7/24");
        assertEquals("198.18.5.0/24", c.network().toString());
        assertEquals("198.18.5.255", Ipv4Cidr.format(c.broadcast()));
        assertTrue(c.contains(Ipv4Cidr.parse("198.18.5.200/32").address()));
        assertFalse(c.contains(Ipv4Cidr.parse("198.18.6.1/32").address()));
        assertEquals("198.18.5.1/16", Ipv4Cidr.parse("198.18.5.1", 16).toString());
        assertEquals("0.0.0.0/0", Ipv4Cidr.parse("10.1.2.3/0").network().toString());
    }

    @Test
    void cidrRefusesHostNamesAndNonsense() {
        for (String bad : new String[] {"localhost/8", "1.2.3/24", "1.2.3.4.5/1", "256.1.1.1/8", "1.2.3.4/33",
                "1.2.3.4/x", "1.2.3.-4/8"}) {
            assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse("1.2.3.4"), "a prefix is required");
    }

    @Test
    void dockerMacIsDerivedFromTheAddress() {
        assertEquals("02:42:c6:12:05:02", MacAddress.forIpv4(Ipv4Cidr.parse("198.18.5.2/24")).toString());
        assertEquals(MacAddress.parse("02:42:C6:12:05:02"), MacAddress.forIpv4(Ipv4Cidr.parse("198.18.5.2/24")));
        MacAddress r = MacAddress.random();
        assertEquals(0x02, r.bytes()[0] & 0x03, "locally administered unicast");
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:42:c6:12:05"));
    }
}
