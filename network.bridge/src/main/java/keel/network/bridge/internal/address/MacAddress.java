package keel.network.bridge.internal.address;

import java.security.SecureRandom;
import java.util.HexFormat;

/** An Ethernet address, written as Docker writes it: lower-case hex pairs separated by colons. */
public record MacAddress(byte[] bytes) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public MacAddress {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public static MacAddress parse(String text) {
        String[] parts = text.trim().split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("invalid MAC address: " + text);
        }
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            if (parts[i].length() != 2) {
                throw new IllegalArgumentException("invalid MAC address: " + text);
            }
            try {
                b[i] = (byte) Integer.parseInt(parts[i], 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid MAC address: " + text);
            }
        }
        return new MacAddress(b);
    }

    /**
     * Docker's address for a container: 02:42 (locally administered, unicast) then the four bytes of its IPv4
     * address, so one address always gets the same MAC and neighbours' ARP caches stay right across restarts.
     */
    public static MacAddress forIpv4(Ipv4Cidr ip) {
        byte[] a = ip.bytes();
        return new MacAddress(new byte[] {0x02, 0x42, a[0], a[1], a[2], a[3]});
    }

    /**
     * A random locally administered unicast address. Bridges get one of their own: a bridge without one takes
     * the lowest address of its ports, so it would change whenever a container comes or goes.
     */
    public static MacAddress random() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        b[0] = (byte) ((b[0] & 0xfe) | 0x02);
        return new MacAddress(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress m && java.util.Arrays.equals(bytes, m.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes);
    }
}
