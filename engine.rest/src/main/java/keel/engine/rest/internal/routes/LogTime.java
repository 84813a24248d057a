package keel.engine.rest.internal.routes;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

import keel.engine.api.errors.EngineException;

/**
 * The {@code since} and {@code until} of a log read, in nanoseconds since the epoch (0: no bound). The docker CLI
 * turns whatever the user typed ({@code 10m}, a date) into Unix seconds with a fraction ({@code 1700000000.5}) before
 * sending it, which is the only form dockerd parses; Keel also takes RFC 3339 ({@code 2024-05-01T10:00:00Z}, with
 * an optional fraction and any offset), what a hand-written request naturally sends.
 */
final class LogTime {
    private static final Pattern UNIX = Pattern.compile("-?\\d{1,19}(\\.\\d{1,9})?");
    private static final BigDecimal BILLION = BigDecimal.valueOf(1_000_000_000L);

    private LogTime() {}

    /** An absent, empty or zero value is 0; a time before the epoch is the epoch. */
    static long nanos(String name, String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String v = value.trim();
        try {
            long nanos;
            if (UNIX.matcher(v).matches()) {
                nanos = new BigDecimal(v).multiply(BILLION).longValueExact();
            } else {
                OffsetDateTime t = OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                nanos = Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000_000L), t.getNano());
            }
            return Math.max(0, nanos);
        } catch (ArithmeticException | DateTimeException e) {
            throw EngineException.invalid("invalid value for \"" + name + "\": \"" + value
                    + "\" (expected Unix seconds such as 1700000000.5, or RFC 3339 such as 2024-05-01T10:00:00Z)");
        }
    }

    /** {@code tail}: "all" (or nothing) is every line, -1; a negative count means all too, as in dockerd. */
    static int tail(String value) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("all")) {
            return -1;
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            throw EngineException.invalid("invalid value for \"tail\": \"" + value + "\" (a number of lines or all)");
        }
    }
}
