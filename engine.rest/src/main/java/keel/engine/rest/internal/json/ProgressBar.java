package keel.engine.rest.internal.json;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The {@code progress} text of a progress message, as dockerd renders it for clients that print it verbatim:
 * {@code [=====>     ]  1.23MB/3.4MB}, a 50-column bar and sizes in decimal units with four significant digits.
 */
public final class ProgressBar {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    private static final int WIDTH = 50;

    private ProgressBar() {}

    public static String render(long current, long total) {
        if (current <= 0 && total <= 0) {
            return "";
        }
        if (total <= 0) {
            return pad(humanSize(current));
        }
        int filled = (int) Math.min(WIDTH, (long) ((double) current / total * 100) / 2);
        StringBuilder s = new StringBuilder(WIDTH + 24).append('[');
        s.append("=".repeat(filled)).append('>').append(" ".repeat(Math.max(0, WIDTH - filled))).append("] ");
        if (current > total) {
            // A total the producer underestimated: show only what we know.
            return s.append(pad(humanSize(current))).toString();
        }
        return s.append(pad(humanSize(current))).append('/').append(humanSize(total)).toString();
    }

    /** Decimal units with four significant digits: 1234567 → {@code 1.235MB}, 999 → {@code 999B}. */
    public static String humanSize(long bytes) {
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < UNITS.length - 1) {
            size /= 1000;
            unit++;
        }
        BigDecimal rounded = new BigDecimal(size).round(new MathContext(4)).stripTrailingZeros();
        return rounded.toPlainString() + UNITS[unit];
    }

    private static String pad(String s) {
        return s.length() >= 8 ? s : " ".repeat(8 - s.length()) + s;
    }
}
