package keel.engine.rest.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void humanSizesAreDecimalWithFourSignificantDigits() {
        assertEquals("0B", ProgressBar.humanSize(0));
        assertEquals("999B", ProgressBar.humanSize(999));
        assertEquals("1kB", ProgressBar.humanSize(1000));
        assertEquals("1.235MB", ProgressBar.humanSize(1_234_567));
        assertEquals("3.4MB", ProgressBar.humanSize(3_400_000));
        assertEquals("4.295GB", ProgressBar.humanSize(4_294_967_296L));
    }

    @Test
    void barIsFiftyColumnsWide() {
        assertEquals("[" + "=".repeat(17) + ">" + " ".repeat(33) + "]    1.2MB/3.4MB",
                ProgressBar.render(1_200_000, 3_400_000));
        assertEquals("[" + "=".repeat(50) + ">]    3.4MB/3.4MB", ProgressBar.render(3_400_000, 3_400_000));
        assertEquals("[>" + " ".repeat(50) + "]       0B/10kB", ProgressBar.render(0, 10_000));
    }

    @Test
    void unknownTotalShowsOnlyTheCount() {
        assertEquals("   1.5kB", ProgressBar.render(1500, 0));
        assertEquals("", ProgressBar.render(0, 0));
        // A total the producer underestimated.
        assertEquals("[" + "=".repeat(50) + ">]      2kB", ProgressBar.render(2000, 1000));
    }
}
