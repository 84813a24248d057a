package keel.cli.internal.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * docker/go-units, whose strings docker prints everywhere: decimal sizes with Go's {@code %.*g} ("4.26MB",
 * "1e+03kB" for 999.5 kB, as docker really prints it), binary sizes ("23.49GiB"), and durations
 * ("About a minute", "3 weeks").
 */
public final class HumanUnits {

    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

    private HumanUnits() {
    }

    /** go-units HumanSizeWithPrecision: what {@code docker images} prints with precision 3. */
    public static String humanSizeWithPrecision(double size, int precision) {
        int i = 0;
        while (size >= 1000.0 && i < DECIMAL.length - 1) {
            size /= 1000.0;
            i++;
        }
        return formatG(size, precision) + DECIMAL[i];
    }

    /** go-units HumanSize (precision 4), used for prune totals and progress counters. */
    public static String humanSize(double size) {
        return humanSizeWithPrecision(size, 4);
    }

    /** go-units BytesSize: binary units, {@code %.4g}, as "Total Memory" in {@code docker info}. */
    public static String bytesSize(double size) {
        int i = 0;
        while (size >= 1024.0 && i < BINARY.length - 1) {
            size /= 1024.0;
            i++;
        }
        return formatG(size, 4) + BINARY[i];
    }

    /** go-units HumanDuration. */
    public static String humanDuration(Duration d) {
        double nanos = d.toNanos();
        long seconds = (long) (nanos / 1e9);
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = (long) (nanos / 6e10);
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = (long) (nanos / 3.6e12 + 0.5);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return (long) (nanos / 3.6e12) / 24 / 365 + " years";
    }

    /**
     * Go's {@code fmt.Sprintf("%.*g", precision, v)}: round the exact binary value to {@code precision}
     * significant digits (ties to even, as strconv does on exact halves), then pick %e when the exponent is
     * below -4 or not below the precision, and drop trailing zeros.
     */
    public static String formatG(double v, int precision) {
        if (v == 0) {
            return "0";
        }
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (precision <= 0) {
            precision = 1;
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        boolean negative = rounded.signum() < 0;
        String digits = rounded.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - rounded.scale();
        digits = stripZeros(digits);
        StringBuilder sb = new StringBuilder();
        if (negative) {
            sb.append('-');
        }
        if (exp < -4 || exp >= precision) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int e = Math.abs(exp);
            if (e < 10) {
                sb.append('0');
            }
            sb.append(e);
            return sb.toString();
        }
        if (exp >= 0) {
            if (digits.length() <= exp + 1) {
                sb.append(digits);
                for (int i = digits.length(); i <= exp; i++) {
                    sb.append('0');
                }
            } else {
                sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
            }
        } else {
            sb.append("0.");
            for (int i = -1; i > exp; i--) {
                sb.append('0');
            }
            sb.append(digits);
        }
        return sb.toString();
    }

    private static String stripZeros(String digits) {
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return digits.substring(0, end);
    }
}
