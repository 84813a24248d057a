package keel.engine.core.internal.network.ipam;

/**
 * IPv4 addresses as unsigned 32-bit values in an {@code int}, parsed strictly (four decimal octets, no leading
 * zeros, as Go's netip does: "010.1.1.1" is not an address, it is not octal either). Hand-written instead of
 * InetAddress, which would resolve a host name slipped into {@code --ip}.
 */
public final class Ipv4 {

    private Ipv4() {}

    /**
     * @return the address, or throws
     * @throws IllegalArgumentException when {@code s} is not a dotted-quad IPv4 literal
     */
    public static int parse(String s) {
        Integer a = tryParse(s);
        if (a == null) {
            throw new IllegalArgumentException("ParseAddr(\"" + s + "\"): unable to parse IP");
        }
        return a;
    }

    /** The address, or null when {@code s} is not a dotted-quad literal. */
    public static Integer tryParse(String s) {
        if (s == null || s.isEmpty() || s.length() > 15) {
            return null;
        }
        int value = 0;
        int octets = 0;
        int i = 0;
        while (i <= s.length()) {
            int start = i;
            int octet = 0;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                octet = octet * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || octet > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return null;
            }
            value = (value << 8) | octet;
            octets++;
            if (i == s.length()) {
                break;
            }
            if (s.charAt(i) != '.' || octets == 4) {
                return null;
            }
            i++;
        }
        return octets == 4 ? value : null;
    }

    public static String format(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    /** {@code a < b} as unsigned addresses. */
    public static boolean lessThan(int a, int b) {
        return Integer.compareUnsigned(a, b) < 0;
    }
}
