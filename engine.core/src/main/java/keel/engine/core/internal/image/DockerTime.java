package keel.engine.core.internal.image;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import keel.engine.api.errors.EngineException;

/** Times as Docker writes and reads them: Go's RFC 3339 with nanoseconds, durations and filter timestamps. */
public final class DockerTime {

    private static final Pattern DURATION_PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");

    private DockerTime() {}

    /**
     * Go's {@code time.RFC3339Nano}: fraction without trailing zeros (none at all when zero), {@code Z} for UTC,
     * otherwise the offset.
     */
    public static String format(OffsetDateTime t) {
        StringBuilder sb = new StringBuilder(35);
        sb.append(String.format("%04d-%02d-%02dT%02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond()));
        int nanos = t.getNano();
        if (nanos != 0) {
            String f = String.format("%09d", nanos);
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(f, 0, end);
        }
        ZoneOffset off = t.getOffset();
        if (off.getTotalSeconds() == 0) {
            sb.append('Z');
        } else {
            int s = off.getTotalSeconds();
            sb.append(s < 0 ? '-' : '+');
            s = Math.abs(s);
            sb.append(String.format("%02d:%02d", s / 3600, (s / 60) % 60));
        }
        return sb.toString();
    }

    /** {@link #format} of an instant in UTC. */
    public static String format(Instant t) {
        return format(t.atOffset(ZoneOffset.UTC));
    }

    /**
     * A Go duration ({@code 300ms}, {@code 1h30m}, {@code -1.5h}) in nanoseconds.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static long parseDuration(String s) {
        String v = s;
        boolean negative = false;
        if (v.startsWith("-") || v.startsWith("+")) {
            negative = v.startsWith("-");
            v = v.substring(1);
        }
        if (v.equals("0")) {
            return 0;
        }
        if (v.isEmpty()) {
            throw new IllegalArgumentException("time: invalid duration \"" + s + "\"");
        }
        Matcher m = DURATION_PART.matcher(v);
        int pos = 0;
        BigDecimal total = BigDecimal.ZERO;
        while (pos < v.length()) {
            if (!m.find(pos) || m.start() != pos || m.group(1).isEmpty() || m.group(1).equals(".")) {
                throw new IllegalArgumentException("time: invalid duration \"" + s + "\"");
            }
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
            pos = m.end();
        }
        long n = total.longValue();
        return negative ? -n : n;
    }

    /**
     * The value of an {@code until}, {@code since} or {@code before} time filter, as Docker's
     * {@code GetTimestamp} reads it: a duration before {@code now} ({@code 24h}), an RFC 3339 time or date (in the
     * daemon's zone when it has none) or Unix seconds ({@code 1700000000.5}).
     */
    public static Instant parseTimestamp(String value, Instant now) {
        if (!value.equals("0")) {
            try {
                long d = parseDuration(value);
                return now.minusNanos(d);
            } catch (IllegalArgumentException notADuration) {
                // try the other forms
            }
        }
        ZoneId local = ZoneId.systemDefault();
        try {
            if (value.contains("T")) {
                boolean zoned = value.endsWith("Z") || value.endsWith("z") || value.matches(".*[+-]\\d\\d:\\d\\d$");
                String v = value.replace('z', 'Z');
                if (zoned) {
                    String base = v.substring(0, v.endsWith("Z") ? v.length() - 1 : v.length() - 6);
                    String zone = v.substring(base.length());
                    return OffsetDateTime.parse(completeTime(base) + zone).toInstant();
                }
                return LocalDateTime.parse(completeTime(v)).atZone(local).toInstant();
            }
            if (value.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(value).atStartOfDay(local).toInstant();
            }
        } catch (DateTimeParseException e) {
            throw EngineException.invalid("parsing time \"" + value + "\": " + e.getMessage());
        }
        if (value.matches("\\d+(\\.\\d{1,9})?")) {
            BigDecimal secs = new BigDecimal(value);
            long s = secs.longValue();
            long nanos = secs.subtract(BigDecimal.valueOf(s)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(s, nanos);
        }
        throw EngineException.invalid("failed to parse value as time or duration: \"" + value + "\"");
    }

    /** {@code 2006-01-02T15} and {@code 2006-01-02T15:04} are accepted by Docker; ISO needs the minutes. */
    private static String completeTime(String v) {
        int t = v.indexOf('T');
        String time = v.substring(t + 1);
        if (!time.contains(":")) {
            return v + ":00";
        }
        return v;
    }
}
