package keel.logging.json.internal;

import keel.engine.api.errors.EngineException;

/** Go's strconv.Atoi and strconv.ParseBool, with their error messages, which Docker passes through verbatim. */
final class GoStrconv {

    private GoStrconv() {}

    static int atoi(String s) {
        String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw EngineException.invalid("strconv.Atoi: parsing " + quote(s) + ": invalid syntax");
        }
        try {
            long v = Long.parseLong(s.startsWith("+") ? digits : s);
            // Docker runs 64-bit: Go's int holds a long; Java's int is smaller, so cap at what a file count needs.
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        } catch (NumberFormatException e) {
            throw EngineException.invalid("strconv.Atoi: parsing " + quote(s) + ": value out of range");
        }
    }

    static boolean parseBool(String s) {
        switch (s) {
            case "1", "t", "T", "TRUE", "true", "True":
                return true;
            case "0", "f", "F", "FALSE", "false", "False":
                return false;
            default:
                throw EngineException.invalid("strconv.ParseBool: parsing " + quote(s) + ": invalid syntax");
        }
    }

    /** Go's %q for the simple strings option values are. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
