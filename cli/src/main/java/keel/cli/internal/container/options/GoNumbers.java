package keel.cli.internal.container.options;

import java.math.BigInteger;
import java.util.regex.Pattern;

import keel.cli.internal.format.GoQuote;

/**
 * Go's strconv number parsing as pflag uses it, with its error texts ({@code strconv.ParseInt: parsing "x":
 * invalid syntax}), so a bad {@code --pids-limit} reads as docker's. Base 0 takes 0x, 0o, 0b and leading-zero octal
 * prefixes and underscores between digits.
 */
public final class GoNumbers {

    /** Go's float literal grammar for ParseFloat (decimal form, plus inf and nan). */
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?((\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[iI][nN][fF]([iI][nN][iI][tT][yY])?|[nN][aA][nN])");

    private GoNumbers() {
    }

    public static long parseInt(String s, int base, int bitSize) throws BadValue {
        BigInteger v = parseInteger(s, base, "ParseInt", true);
        BigInteger max = BigInteger.ONE.shiftLeft(bitSize - 1).subtract(BigInteger.ONE);
        BigInteger min = BigInteger.ONE.shiftLeft(bitSize - 1).negate();
        if (v.compareTo(max) > 0 || v.compareTo(min) < 0) {
            throw new BadValue("strconv.ParseInt: parsing " + GoQuote.quote(s) + ": value out of range");
        }
        return v.longValue();
    }

    public static long parseUint(String s, int base, int bitSize) throws BadValue {
        BigInteger v = parseInteger(s, base, "ParseUint", false);
        if (v.bitLength() > bitSize) {
            throw new BadValue("strconv.ParseUint: parsing " + GoQuote.quote(s) + ": value out of range");
        }
        return v.longValue();
    }

    private static BigInteger parseInteger(String s, int base, String fn, boolean signed) throws BadValue {
        BadValue syntax = new BadValue("strconv." + fn + ": parsing " + GoQuote.quote(s) + ": invalid syntax");
        String t = s;
        boolean neg = false;
        if (signed && !t.isEmpty() && (t.charAt(0) == '+' || t.charAt(0) == '-')) {
            neg = t.charAt(0) == '-';
            t = t.substring(1);
        }
        if (t.isEmpty()) {
            throw syntax;
        }
        int radix = base;
        boolean underscores = false;
        if (base == 0) {
            radix = 10;
            underscores = true;
            if (t.length() > 1 && t.charAt(0) == '0') {
                char p = Character.toLowerCase(t.charAt(1));
                if (p == 'x') {
                    radix = 16;
                    t = t.substring(2);
                } else if (p == 'o') {
                    radix = 8;
                    t = t.substring(2);
                } else if (p == 'b') {
                    radix = 2;
                    t = t.substring(2);
                } else {
                    radix = 8;
                    t = t.substring(1);
                }
                if (t.isEmpty() && radix != 8) {
                    throw syntax;
                }
            }
        }
        if (underscores) {
            if (t.startsWith("_") && radix == 10 || t.endsWith("_") || t.contains("__")) {
                throw syntax;
            }
            t = t.replace("_", "");
        }
        if (t.isEmpty()) {
            return BigInteger.ZERO; // "0" after the octal prefix
        }
        for (int i = 0; i < t.length(); i++) {
            if (Character.digit(t.charAt(i), radix) < 0 || t.charAt(i) > 'z') {
                throw syntax;
            }
        }
        BigInteger v = new BigInteger(t, radix);
        return neg ? v.negate() : v;
    }

    /** strconv.ParseFloat(s, 64) for decimal literals; Java's parser alone accepts more ("1d", " 1"). */
    public static double parseFloat(String s) throws BadValue {
        if (!FLOAT.matcher(s).matches()) {
            throw new BadValue("strconv.ParseFloat: parsing " + GoQuote.quote(s) + ": invalid syntax");
        }
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("inf")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.contains("nan")) {
            return Double.NaN;
        }
        return Double.parseDouble(s);
    }

    /** strconv.ParseBool. */
    public static boolean parseBool(String s) throws BadValue {
        switch (s) {
            case "1": case "t": case "T": case "TRUE": case "true": case "True":
                return true;
            case "0": case "f": case "F": case "FALSE": case "false": case "False":
                return false;
            default:
                throw new BadValue("strconv.ParseBool: parsing " + GoQuote.quote(s) + ": invalid syntax");
        }
    }
}
