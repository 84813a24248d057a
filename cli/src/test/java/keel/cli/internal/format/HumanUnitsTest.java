package keel.cli.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** go-units strings exactly as docker prints them (expected values checked against docker 28.2 output). */
class HumanUnitsTest {

    @Test
    void decimalSizesWithThreeSignificantDigits() {
        assertEquals("4.26MB", HumanUnits.humanSizeWithPrecision(4261574, 3));
        assertEquals("7.38MB", HumanUnits.humanSizeWithPrecision(7380000, 3));
        assertEquals("1.23GB", HumanUnits.humanSizeWithPrecision(1234567890, 3));
        assertEquals("0B", HumanUnits.humanSizeWithPrecision(0, 3));
        assertEquals("999B", HumanUnits.humanSizeWithPrecision(999, 3));
        assertEquals("1kB", HumanUnits.humanSizeWithPrecision(1000, 3));
        assertEquals("100MB", HumanUnits.humanSizeWithPrecision(100_000_000, 3));
        assertEquals("72.8MB", HumanUnits.humanSizeWithPrecision(72_800_000, 3));
    }

    @Test
    void roundingUpToTheNextPowerUsesGoExponentForm() {
        // docker really prints "1e+03kB" for 999.5 kB: %.3g rounds to 1.00e+03 and keeps the unit.
        assertEquals("1e+03kB", HumanUnits.humanSizeWithPrecision(999500, 3));
    }

    @Test
    void humanSizeHasFourDigits() {
        assertEquals("12.35MB", HumanUnits.humanSize(12345678));
        assertEquals("4.262MB", HumanUnits.humanSize(4261574));
        assertEquals("999.5kB", HumanUnits.humanSize(999500));
        assertEquals("5kB", HumanUnits.humanSize(5000));
    }

    @Test
    void binarySizes() {
        assertEquals("23.49GiB", HumanUnits.bytesSize(25219547136.0));
        assertEquals("1KiB", HumanUnits.bytesSize(1024));
        assertEquals("512B", HumanUnits.bytesSize(512));
    }

    @Test
    void goPercentG() {
        assertEquals("0.000123", HumanUnits.formatG(0.0001234, 3));
        assertEquals("1.23e-05", HumanUnits.formatG(0.00001234, 3));
        assertEquals("4.26", HumanUnits.formatG(4.261574, 3));
        assertEquals("1e+21", HumanUnits.formatG(1e21, 3));
    }

    @Test
    void durations() {
        assertEquals("Less than a second", d(0));
        assertEquals("1 second", d(1));
        assertEquals("59 seconds", d(59));
        assertEquals("About a minute", d(60));
        assertEquals("About a minute", d(119));
        assertEquals("2 minutes", d(120));
        assertEquals("59 minutes", d(3599));
        assertEquals("About an hour", d(3600));
        assertEquals("About an hour", d(89 * 60));
        assertEquals("2 hours", d(90 * 60));
        assertEquals("3 hours", d(3 * 3600));
        assertEquals("47 hours", d(47 * 3600));
        assertEquals("2 days", d(47 * 3600 + 1800));
        assertEquals("13 days", d(13 * 86400));
        assertEquals("2 weeks", d(14 * 86400));
        assertEquals("3 weeks", d(21 * 86400));
        assertEquals("8 weeks", d(59 * 86400));
        assertEquals("2 months", d(60 * 86400));
        assertEquals("24 months", d(729 * 86400));
        assertEquals("2 years", d(730 * 86400));
        assertEquals("Less than a second", d(-5));
    }

    private static String d(long seconds) {
        return HumanUnits.humanDuration(Duration.ofSeconds(seconds));
    }
}
