package keel.network.bridge.internal.address;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 address with a prefix length, as Docker writes them ({@code 172.17.0.2/16}); {@code address} is the
 * 32-bit value. Parsing accepts only dotted quads (never a host name, so nothing is ever resolved).
 */
public record Ipv4Cidr(int address, int prefixLength) {

    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("invalid prefix length " + prefixLength);
        }
    }

    /** {@code a.b.c.d/n}; without {@code /n}, {@code defaultPrefix}. */
    public static Ipv4Cidr parse(String text, int defaultPrefix) {
        String s = text.trim();
        int slash = s.indexOf('/');
        int prefix = defaultPrefix;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid CIDR address: " + text);
            }
            s = s.substring(0, slash);
        }
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("invalid CIDR address: " + text);
        }
        return new Ipv4Cidr(parseAddress(s, text), prefix);
    }

    public static Ipv4Cidr parse(String text) {
        if (text.indexOf('/') < 0) {
            throw new IllegalArgumentException("invalid CIDR address: " + text);
        }
        return parse(text, 32);
    }

    /** Whether {@code text} is an IPv4 dotted quad. */
    public static boolean isIpv4(String text) {
        try {
            parseAddress(text, text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static int parseAddress(String s, String whole) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("invalid IPv4 address: " + whole);
        }
        int v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("invalid IPv4 address: " + whole);
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                throw new IllegalArgumentException("invalid IPv4 address: " + whole);
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    public int mask() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** The network itself: {@code 172.17.0.0/16}. */
    public Ipv4Cidr network() {
        return new Ipv4Cidr(address & mask(), prefixLength);
    }

    public int broadcast() {
        return address | ~mask();
    }

    public boolean contains(int other) {
        return (other & mask()) == (address & mask());
    }

    /** The same address with another prefix length. */
    public Ipv4Cidr withPrefix(int prefix) {
        return new Ipv4Cidr(address, prefix);
    }

    public byte[] bytes() {
        return bytes(address);
    }

    public static byte[] bytes(int a) {
        return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    }

    public Inet4Address inetAddress() {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** The address alone: {@code 172.17.0.2}. */
    public String ip() {
        return format(address);
    }

    public static String format(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    @Override
    public String toString() {
        return ip() + "/" + prefixLength;
    }
}
