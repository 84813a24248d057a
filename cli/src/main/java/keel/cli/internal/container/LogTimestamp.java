package keel.cli.internal.container;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import keel.cli.internal.format.GoDuration;

/**
 * moby's GetTimestamp for --since and --until: a Go duration counts back from now ("10m" → Unix seconds); an RFC
 * 3339 date, with or without seconds, fraction or zone (a missing zone is the local one), becomes
 * "seconds.nanoseconds"; a Unix timestamp passes as it is.
 */
final class LogTimestamp {

    private static final Pattern UNIX = Pattern.compile("\\d+(\\.\\d+)?");

    private LogTimestamp() {
    }

    static String of(String value, Instant now, ZoneId zone) {
        if (!value.equals("0")) {
            try {
                long nanos = GoDuration.parseNanos(value);
                return Long.toString(now.minusNanos(nanos).getEpochSecond());
            } catch (IllegalArgumentException notADuration) {
                // a date, or a Unix time
            }
        }
        boolean local = !(value.indexOf('z') >= 0 || value.indexOf('Z') >= 0 || value.indexOf('+') >= 0)
                && value.chars().filter(c -> c == '-').count() != 3;
        try {
            Instant t;
            if (value.contains("T")) {
                String v = value;
                if (local) {
                    LocalDateTime ldt = LocalDateTime.parse(padTime(v), DateTimeFormatter.ISO_LOCAL_DATE_TIME);
                    t = ldt.atZone(zone).toInstant();
                } else {
                    t = OffsetDateTime.parse(padZoned(v), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
                }
            } else if (local) {
                t = LocalDate.parse(value).atStartOfDay(zone).toInstant();
            } else {
                // "2006-01-02Z07:00"
                int split = value.length() - 6;
                ZonedDateTime z = LocalDate.parse(value.substring(0, split)).atStartOfDay(
                        java.time.ZoneOffset.of(value.substring(split)));
                t = z.toInstant();
            }
            return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            if (value.contains("-")) {
                throw new IllegalArgumentException("parsing time " + keel.cli.internal.format.GoQuote.quote(value)
                        + ": cannot parse");
            }
            if (!UNIX.matcher(value).matches()) {
                throw new IllegalArgumentException("failed to parse value as time or duration: "
                        + keel.cli.internal.format.GoQuote.quote(value));
            }
            return value;
        }
    }

    /** "2006-01-02T15" and "2006-01-02T15:04" as ISO local times. */
    private static String padTime(String v) {
        int t = v.indexOf('T');
        String time = v.substring(t + 1);
        long colons = time.chars().filter(c -> c == ':').count();
        return colons == 0 ? v + ":00:00" : colons == 1 ? v + ":00" : v;
    }

    private static String padZoned(String v) {
        String z = v.endsWith("Z") || v.endsWith("z") ? "Z" : v.substring(v.length() - 6);
        String base = v.substring(0, v.length() - z.length());
        return padTime(base) + (z.equals("z") ? "Z" : z);
    }
}
