package keel.logging.json.internal;

import java.util.Locale;
import java.util.regex.Pattern;

import keel.engine.api.errors.EngineException;

/**
 * Sizes as Docker's go-units FromHumanSize reads them for max-size: a decimal number, an optional space, and an
 * optional case-insensitive SI suffix (b, k, kb, kib, m, ..., p) where k is 1000, not 1024 ({@code 10m} is
 * 10,000,000 bytes). Fractions are allowed ({@code 1.5k}) and truncated after scaling.
 */
final class HumanSize {

    /** What Go's strconv.ParseFloat accepts in decimal (hex floats, inf and nan cannot reach it here). */
    private static final Pattern GO_DECIMAL_FLOAT = Pattern.compile(
            "[+-]?(\\d+(_\\d+)*(\\.(\\d+(_\\d+)*)?)?|\\.\\d+(_\\d+)*)([eE][+-]?\\d+)?");

    private HumanSize() {}

    static long parse(String text) {
        int sep = lastIndexOfAny(text, "01234567890. ");
        if (sep == -1) {
            throw EngineException.invalid("invalid size: '" + text + "'");
        }
        String num;
        String suffix;
        if (text.charAt(sep) != ' ') {
            num = text.substring(0, sep + 1);
            suffix = text.substring(sep + 1);
        } else {
            num = text.substring(0, sep);
            suffix = text.substring(sep + 1);
        }
        double size;
        if (!GO_DECIMAL_FLOAT.matcher(num).matches() || num.contains("_")) {
            // Go allows underscores only in prefixed (hex) literals, never in a plain decimal like these.
            throw EngineException.invalid("strconv.ParseFloat: parsing " + GoStrconv.quote(num) + ": invalid syntax");
        }
        size = Double.parseDouble(num);
        if (size < 0) {
            throw EngineException.invalid("invalid size: '" + text + "'");
        }
        if (suffix.isEmpty()) {
            return (long) size;
        }
        String sfx = suffix.toLowerCase(Locale.ROOT);
        if (sfx.length() > 3) {
            throw badSuffix(sfx);
        }
        if (sfx.charAt(0) == 'b') {
            if (sfx.length() > 1) {
                throw badSuffix(sfx);
            }
            return (long) size;
        }
        long multiplier = switch (sfx.charAt(0)) {
            case 'k' -> 1_000L;
            case 'm' -> 1_000_000L;
            case 'g' -> 1_000_000_000L;
            case 't' -> 1_000_000_000_000L;
            case 'p' -> 1_000_000_000_000_000L;
            default -> throw badSuffix(sfx);
        };
        if (sfx.length() == 2 && sfx.charAt(1) != 'b' || sfx.length() == 3 && !sfx.substring(1).equals("ib")) {
            throw badSuffix(sfx);
        }
        return (long) (size * multiplier);
    }

    private static EngineException badSuffix(String sfx) {
        return EngineException.invalid("invalid suffix: '" + sfx + "'");
    }

    private static int lastIndexOfAny(String s, String chars) {
        for (int i = s.length() - 1; i >= 0; i--) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
