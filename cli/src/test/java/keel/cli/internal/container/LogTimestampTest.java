package keel.cli.internal.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import keel.cli.internal.format.GoDuration;

/** --since/--until values as moby's GetTimestamp turns them into API timestamps. */
class LogTimestampTest {

    static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");

    @Test
    void durationsCountBackFromNow() {
        assertEquals(Long.toString(NOW.getEpochSecond() - 600), LogTimestamp.of("10m", NOW, ZoneOffset.UTC));
        assertEquals(Long.toString(NOW.getEpochSecond() - 5400), LogTimestamp.of("1h30m", NOW, ZoneOffset.UTC));
        assertEquals(5_400_000_000_000L, GoDuration.parseNanos("1.5h"));
        assertEquals(300_000_000L, GoDuration.parseNanos("300ms"));
        assertEquals("time: missing unit in duration \"10\"",
                assertThrows(IllegalArgumentException.class, () -> GoDuration.parseNanos("10")).getMessage());
    }

    @Test
    void datesBecomeSecondsDotNanos() {
        assertEquals("1704067200.000000000", LogTimestamp.of("2024-01-01T00:00:00Z", NOW, ZoneOffset.UTC));
        assertEquals("1704067200.500000000", LogTimestamp.of("2024-01-01T00:00:00.5Z", NOW, ZoneOffset.UTC));
        assertEquals("1704063600.000000000", LogTimestamp.of("2024-01-01T00:00:00+01:00", NOW, ZoneOffset.UTC));
        assertEquals("1704103200.000000000", LogTimestamp.of("2024-01-01T10:00", NOW, ZoneOffset.UTC));
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertEquals("1704063600.000000000", LogTimestamp.of("2024-01-01", NOW, paris), "no zone: the local one");
        assertEquals("1704067200", LogTimestamp.of("1704067200", NOW, ZoneOffset.UTC), "Unix time passes through");
        assertEquals("failed to parse value as time or duration: \"xyz\"", assertThrows(IllegalArgumentException.class,
                () -> LogTimestamp.of("xyz", NOW, ZoneOffset.UTC)).getMessage());
    }
}
