package keel.engine.core.internal.container.spec;

import java.util.Locale;

/**
 * An IP address literal parsed and printed as Go's net/netip does (Docker writes resolv.conf and hosts with
 * netip.Addr.String()): IPv4 without leading zeros, IPv6 in RFC 5952 form (lower case, the longest run of zero
 * groups compressed), IPv4-mapped IPv6 as {@code ::ffff:1.2.3.4}, an optional {@code %zone}.
 *
 * <p>Hand-written instead of InetAddress because InetAddress resolves names: a host name slipped into
 * {@code --dns} must be an error, never a DNS lookup by the daemon.
 */
final class IpAddress {

    private final int[] groups; // 4 octets (v4) or 8 16-bit groups (v6)
    private final String zone;

    private IpAddress(int[] groups, String zone) {
        this.groups = groups;
        this.zone = zone;
    }

    /** @return null when {@code s} is not an address literal */
    static IpAddress parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.indexOf(':') < 0) {
            int[] v4 = parseV4(s);
            return v4 == null ? null : new IpAddress(v4, null);
        }
        String zone = null;
        int pct = s.indexOf('%');
        if (pct >= 0) {
            zone = s.substring(pct + 1);
            s = s.substring(0, pct);
            if (zone.isEmpty()) {
                return null;
            }
        }
        int[] v6 = parseV6(s);
        return v6 == null ? null : new IpAddress(v6, zone);
    }

    boolean is6() {
        return groups.length == 8;
    }

    private boolean isV4Mapped() {
        return is6() && groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff;
    }

    /** netip's IsLoopback: 127.0.0.0/8 or ::1, an IPv4-mapped address judged as its IPv4 form. */
    boolean isLoopback() {
        if (!is6()) {
            return groups[0] == 127;
        }
        if (isV4Mapped()) {
            return (groups[6] >> 8) == 127;
        }
        for (int i = 0; i < 7; i++) {
            if (groups[i] != 0) {
                return false;
            }
        }
        return groups[7] == 1;
    }

    @Override
    public String toString() {
        if (!is6()) {
            return groups[0] + "." + groups[1] + "." + groups[2] + "." + groups[3];
        }
        StringBuilder b = new StringBuilder();
        if (isV4Mapped()) {
            b.append("::ffff:").append(groups[6] >> 8).append('.').append(groups[6] & 0xff).append('.')
                    .append(groups[7] >> 8).append('.').append(groups[7] & 0xff);
        } else {
            int bestStart = -1;
            int bestLen = 0;
            for (int i = 0; i < 8;) {
                if (groups[i] != 0) {
                    i++;
                    continue;
                }
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            }
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    b.append("::");
                    i += bestLen - 1;
                    continue;
                }
                if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                    b.append(':');
                }
                b.append(Integer.toHexString(groups[i]));
            }
        }
        if (zone != null) {
            b.append('%').append(zone);
        }
        return b.toString();
    }

    private static int[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            out[i] = Integer.parseInt(p);
            if (out[i] > 255) {
                return null;
            }
        }
        return out;
    }

    private static int[] parseV6(String s) {
        int[] out = new int[8];
        String lower = s.toLowerCase(Locale.ROOT);
        int dbl = lower.indexOf("::");
        if (dbl >= 0 && lower.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl >= 0 ? lower.substring(0, dbl) : lower;
        String tail = dbl >= 0 ? lower.substring(dbl + 2) : "";
        int[] h = groupsOf(head, dbl < 0);
        int[] t = dbl >= 0 ? groupsOf(tail, true) : new int[0];
        if (h == null || t == null) {
            return null;
        }
        if (dbl < 0) {
            return h.length == 8 ? h : null;
        }
        if (h.length + t.length > 7) {
            return null;
        }
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(t, 0, out, 8 - t.length, t.length);
        return out;
    }

    /** Groups of one side of "::"; an embedded IPv4 address is allowed last (on the side that ends the address). */
    private static int[] groupsOf(String s, boolean mayEndWithV4) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int[] tmp = new int[10];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && mayEndWithV4 && p.indexOf('.') >= 0) {
                int[] v4 = parseV4(p);
                if (v4 == null || n > 6) {
                    return null;
                }
                tmp[n++] = (v4[0] << 8) | v4[1];
                tmp[n++] = (v4[2] << 8) | v4[3];
                continue;
            }
            if (p.isEmpty() || p.length() > 4 || n >= 8) {
                return null;
            }
            for (int k = 0; k < p.length(); k++) {
                if (Character.digit(p.charAt(k), 16) < 0) {
                    return null;
                }
            }
            tmp[n++] = Integer.parseInt(p, 16);
        }
        if (n > 8) {
            return null;
        }
        int[] out = new int[n];
        System.arraycopy(tmp, 0, out, 0, n);
        return out;
    }
}
