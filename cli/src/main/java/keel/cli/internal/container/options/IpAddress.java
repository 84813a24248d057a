package keel.cli.internal.container.options;

/**
 * Go's net.ParseIP and IP.String(): dotted-decimal IPv4 (no leading zeros) or IPv6 with at most one "::" and an
 * optional trailing IPv4 part; printed back in canonical form (IPv4-mapped addresses as IPv4, IPv6 per RFC 5952).
 * docker normalizes --dns values this way. No name lookups: the JDK's InetAddress would resolve host names.
 */
public final class IpAddress {

    private IpAddress() {
    }

    /** The canonical text, or null when {@code s} is not an IP address. */
    public static String normalize(String s) {
        byte[] b = parse(s);
        return b == null ? null : format(b);
    }

    /** The address in 16 bytes (IPv4 as IPv4-mapped IPv6, as Go's net.IP holds it), or null. */
    public static byte[] bytes(String s) {
        return parse(s);
    }

    static byte[] parse(String s) {
        if (s.indexOf(':') < 0) {
            byte[] v4 = parseV4(s);
            if (v4 == null) {
                return null;
            }
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(v4, 0, mapped, 12, 4);
            return mapped;
        }
        return parseV6(s);
    }

    private static byte[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                char c = p.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] parseV6(String s) {
        byte[] ip = new byte[16];
        int ellipsis = -1;
        int i = 0;
        if (s.startsWith("::")) {
            ellipsis = 0;
            s = s.substring(2);
            if (s.isEmpty()) {
                return ip;
            }
        }
        while (i < 16) {
            int end = 0;
            int n = 0;
            while (end < s.length() && Character.digit(s.charAt(end), 16) >= 0 && s.charAt(end) < 128 && end < 5) {
                n = n * 16 + Character.digit(s.charAt(end), 16);
                end++;
            }
            if (end == 0 || end > 4) {
                return null;
            }
            if (end < s.length() && s.charAt(end) == '.') {
                if (ellipsis < 0 && i != 12) {
                    return null;
                }
                if (i + 4 > 16) {
                    return null;
                }
                byte[] v4 = parseV4(s);
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, ip, i, 4);
                i += 4;
                s = "";
                break;
            }
            ip[i] = (byte) (n >> 8);
            ip[i + 1] = (byte) n;
            i += 2;
            s = s.substring(end);
            if (s.isEmpty()) {
                break;
            }
            if (s.charAt(0) != ':' || s.length() == 1) {
                return null;
            }
            s = s.substring(1);
            if (s.charAt(0) == ':') {
                if (ellipsis >= 0) {
                    return null;
                }
                ellipsis = i;
                s = s.substring(1);
                if (s.isEmpty()) {
                    break;
                }
            }
        }
        if (!s.isEmpty()) {
            return null;
        }
        if (i < 16) {
            if (ellipsis < 0) {
                return null;
            }
            int n = 16 - i;
            for (int j = i - 1; j >= ellipsis; j--) {
                ip[j + n] = ip[j];
            }
            for (int j = ellipsis + n - 1; j >= ellipsis; j--) {
                ip[j] = 0;
            }
        } else if (ellipsis >= 0) {
            return null;
        }
        return ip;
    }

    static String format(byte[] ip) {
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= ip[i] == 0;
        }
        if (mapped && (ip[10] & 0xff) == 0xff && (ip[11] & 0xff) == 0xff) {
            return (ip[12] & 0xff) + "." + (ip[13] & 0xff) + "." + (ip[14] & 0xff) + "." + (ip[15] & 0xff);
        }
        // The longest run of two or more zero groups becomes "::" (the first one on a tie).
        int bestStart = -1;
        int bestLen = 0;
        for (int g = 0; g < 8;) {
            if (group(ip, g) != 0) {
                g++;
                continue;
            }
            int start = g;
            while (g < 8 && group(ip, g) == 0) {
                g++;
            }
            if (g - start > bestLen && g - start >= 2) {
                bestStart = start;
                bestLen = g - start;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                sb.append("::");
                g += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(group(ip, g)));
        }
        return sb.toString();
    }

    private static int group(byte[] ip, int g) {
        return ((ip[2 * g] & 0xff) << 8) | (ip[2 * g + 1] & 0xff);
    }
}
