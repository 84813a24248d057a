package keel.logging.json.internal;

/**
 * Timestamps as Go's {@code time.RFC3339Nano} writes them for a UTC time ({@code 2026-11-23T15:00:00.123456789Z},
 * fraction trimmed of trailing zeros and left out when zero), and the RFC 3339 forms Go's time.Time.UnmarshalJSON
 * reads back (any fraction length, {@code Z} or a {@code +hh:mm} offset). Plain arithmetic on epoch nanoseconds:
 * java.time would allocate per log line.
 */
public final class Rfc3339NanoTime {

    /** Returned by {@link #parse} for text that is not an RFC 3339 time. */
    public static final long INVALID = Long.MIN_VALUE + 1;

    /** The most bytes {@link #format} writes. */
    public static final int MAX_LENGTH = 30;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Rfc3339NanoTime() {}

    /** Writes {@code epochNanos} (UTC) at {@code dst[pos]}; returns the new position. */
    public static int format(long epochNanos, byte[] dst, int pos) {
        long seconds = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
        int nanos = (int) Math.floorMod(epochNanos, NANOS_PER_SECOND);
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);

        // Civil date from days since 1970-01-01 (proleptic Gregorian, eras of 400 years).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        // A long of nanoseconds spans 1677..2262, always the 4 digits RFC 3339 (and Docker) require.
        pos = digits((int) year, 4, dst, pos);
        dst[pos++] = '-';
        pos = digits(month, 2, dst, pos);
        dst[pos++] = '-';
        pos = digits(day, 2, dst, pos);
        dst[pos++] = 'T';
        pos = digits(secondOfDay / 3600, 2, dst, pos);
        dst[pos++] = ':';
        pos = digits(secondOfDay / 60 % 60, 2, dst, pos);
        dst[pos++] = ':';
        pos = digits(secondOfDay % 60, 2, dst, pos);
        if (nanos != 0) {
            dst[pos++] = '.';
            int width = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                width--;
            }
            pos = digits(nanos, width, dst, pos);
        }
        dst[pos++] = 'Z';
        return pos;
    }

    /** {@link #format} as a String. */
    public static String format(long epochNanos) {
        byte[] b = new byte[MAX_LENGTH];
        int n = format(epochNanos, b, 0);
        return new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static int digits(int value, int width, byte[] dst, int pos) {
        for (int i = pos + width - 1; i >= pos; i--) {
            dst[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return pos + width;
    }

    /**
     * Parses {@code b[from, to)}; returns epoch nanoseconds, saturated at the range of a long (Go's zero time
     * 0001-01-01 becomes {@link Long#MIN_VALUE}), or {@link #INVALID}.
     */
    public static long parse(byte[] b, int from, int to) {
        if (to - from < 20 || b[from + 4] != '-' || b[from + 7] != '-' || (b[from + 10] | 0x20) != 't'
                || b[from + 13] != ':' || b[from + 16] != ':') {
            return INVALID;
        }
        int year = number(b, from, 4);
        int month = number(b, from + 5, 2);
        int day = number(b, from + 8, 2);
        int hour = number(b, from + 11, 2);
        int minute = number(b, from + 14, 2);
        int second = number(b, from + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0
                || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return INVALID;
        }
        int i = from + 19;
        long nanos = 0;
        if (b[i] == '.') {
            i++;
            int start = i;
            int scale = 100_000_000;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                nanos += (b[i] - '0') * scale; // digits past the ninth are dropped, as Go does
                scale /= 10;
                i++;
            }
            if (i == start) {
                return INVALID;
            }
        }
        long offsetSeconds;
        if (i + 1 == to && (b[i] | 0x20) == 'z') {
            offsetSeconds = 0;
        } else if (i + 6 == to && (b[i] == '+' || b[i] == '-') && b[i + 3] == ':') {
            int oh = number(b, i + 1, 2);
            int om = number(b, i + 4, 2);
            if (oh < 0 || oh > 23 || om < 0 || om > 59) {
                return INVALID;
            }
            offsetSeconds = (oh * 3600L + om * 60L) * (b[i] == '-' ? -1 : 1);
        } else {
            return INVALID;
        }
        long seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600L + minute * 60L + second
                - offsetSeconds;
        if (seconds > Long.MAX_VALUE / NANOS_PER_SECOND || seconds < Long.MIN_VALUE / NANOS_PER_SECOND - 1) {
            return seconds < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        try {
            return Math.addExact(Math.multiplyExact(seconds, NANOS_PER_SECOND), nanos);
        } catch (ArithmeticException e) {
            return seconds < 0 ? Long.MIN_VALUE : Long.MAX_VALUE; // within a second of the ends of a long
        }
    }

    private static int number(byte[] b, int from, int width) {
        int v = 0;
        for (int i = from; i < from + width; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int daysInMonth(int year, int month) {
        if (month == 2) {
            return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    private static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }
}
