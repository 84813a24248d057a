package keel.cli.internal.format;

import java.math.BigDecimal;

/**
 * Go's time.ParseDuration ("300ms", "-1.5h", "2h45m"), as docker's --since/--until and --health-* flags take
 * durations; the result is in nanoseconds. Errors carry Go's wording.
 */
public final class GoDuration {

    private GoDuration() {
    }

    public static long parseNanos(String s) {
        String orig = s;
        boolean neg = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw invalid(orig);
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String num = s.substring(start, i);
            if (num.isEmpty() || num.equals(".") || num.indexOf('.') != num.lastIndexOf('.')) {
                throw invalid(orig);
            }
            int ustart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(ustart, i);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("time: missing unit in duration " + GoQuote.quote(orig));
            }
            long scale;
            switch (unit) {
                case "ns": scale = 1L; break;
                case "us": case "\u00b5s": case "\u03bcs": scale = 1_000L; break;
                case "ms": scale = 1_000_000L; break;
                case "s": scale = 1_000_000_000L; break;
                case "m": scale = 60_000_000_000L; break;
                case "h": scale = 3_600_000_000_000L; break;
                default:
                    throw new IllegalArgumentException("time: unknown unit " + GoQuote.quote(unit) + " in duration "
                            + GoQuote.quote(orig));
            }
            total = total.add(new BigDecimal(num.startsWith(".") ? "0" + num : num).multiply(BigDecimal.valueOf(scale)));
        }
        if (total.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw invalid(orig);
        }
        long v = total.longValue();
        return neg ? -v : v;
    }

    private static IllegalArgumentException invalid(String s) {
        return new IllegalArgumentException("time: invalid duration " + GoQuote.quote(s));
    }
}
