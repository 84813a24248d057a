package keel.cli.internal.format;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Go's time layouts that docker output uses. */
public final class GoTime {

    private static final DateTimeFormatter STRING =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx z", Locale.ROOT);
    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);
    private static final DateTimeFormatter ANSIC = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    private GoTime() {
    }

    /** {@code time.Unix(sec, 0).String()}: "2023-05-19 20:19:24 +0000 UTC". */
    public static String string(long epochSeconds, ZoneId zone) {
        ZonedDateTime t = ZonedDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), zone);
        String s = STRING.format(t);
        // Go names UTC "UTC" where Java's fixed offset prints "Z".
        return s.endsWith(" Z") ? s.substring(0, s.length() - 1) + "UTC" : s;
    }

    /**
     * {@code String()} of a time Go decoded from RFC 3339 text (a network's Created): "2024-06-01 11:58:00.123456789
     * +0000 UTC", fraction without trailing zeros. Go's parser gives "Z" the UTC location; an offset that the local
     * zone ({@code local}) has at that instant takes the local zone and its abbreviation; any other offset gets a
     * nameless fixed zone, which prints as the offset again ("+0530 +0530"). Unparsable text comes back unchanged.
     */
    public static String parsedString(String text, ZoneId local) {
        OffsetDateTime t;
        try {
            t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (RuntimeException e) {
            return text;
        }
        StringBuilder sb = new StringBuilder(DATE_TIME.format(t));
        int nanos = t.getNano();
        if (nanos != 0) {
            String fraction = String.format(Locale.ROOT, "%09d", nanos).replaceFirst("0+$", "");
            sb.append('.').append(fraction);
        }
        String offset = OFFSET.format(t);
        String name;
        if (text.endsWith("Z") || text.endsWith("z")) {
            name = "UTC";
        } else if (local.getRules().getOffset(t.toInstant()).equals(t.getOffset())) {
            name = ZONE_NAME.format(t.atZoneSameInstant(local));
            if (name.equals("Z")) {
                name = "UTC";
            }
        } else {
            name = offset;
        }
        return sb.append(' ').append(offset).append(' ').append(name).toString();
    }

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xx", Locale.ROOT);
    private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("z", Locale.ROOT);

    /** {@code time.Unix(sec, 0).Format(time.RFC3339)}: "2023-05-19T20:19:24Z". */
    public static String rfc3339(long epochSeconds, ZoneId zone) {
        return RFC3339.format(ZonedDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), zone));
    }

    /** {@code Format(time.ANSIC)}: "Fri May 30 12:07:26 2025". */
    public static String ansic(ZonedDateTime t) {
        return ANSIC.format(t);
    }

    /** RFC 3339 (nano) text to ANSIC, as docker's reformatDate; unparsable text comes back unchanged. */
    public static String reformatDate(String text, ZoneId zone) {
        try {
            return ansic(ZonedDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } catch (RuntimeException e) {
            return text;
        }
    }

    /** Go's Duration.String() for whole seconds ("0s", "45s", "1m30s", "2h0m5s"). */
    public static String duration(Duration d) {
        long s = d.getSeconds();
        if (s == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (s < 0) {
            sb.append('-');
            s = -s;
        }
        long h = s / 3600;
        long m = s % 3600 / 60;
        long sec = s % 60;
        if (h > 0) {
            sb.append(h).append('h').append(m).append('m');
        } else if (m > 0) {
            sb.append(m).append('m');
        }
        sb.append(sec).append('s');
        return sb.toString();
    }
}
