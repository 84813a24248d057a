package keel.cli.internal.json;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

/**
 * Writes values the way Go's encoding/json does, so {@code {{json .}}} prints what docker prints: compact, no
 * trailing newline, U+2028/U+2029 escaped, and {@code <>&} escaped only when asked (docker's template function
 * turns HTML escaping off, but values that docker marshals itself, like a table row, keep it).
 */
public final class JsonWriter {

    /** A value that knows its own JSON form (a table row, a Go-typed nil). */
    public interface JsonValue {
        void writeJson(StringBuilder out, boolean escapeHtml);
    }

    private JsonWriter() {
    }

    public static String write(Object value, boolean escapeHtml) {
        StringBuilder sb = new StringBuilder(64);
        write(sb, value, escapeHtml);
        return sb.toString();
    }

    public static void write(StringBuilder out, Object value, boolean escapeHtml) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String) {
            writeString(out, (String) value, escapeHtml);
        } else if (value instanceof Boolean) {
            out.append(((Boolean) value).booleanValue() ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            out.append(formatFloat(((Number) value).doubleValue()));
        } else if (value instanceof Number) {
            out.append(value.toString());
        } else if (value instanceof JsonValue) {
            ((JsonValue) value).writeJson(out, escapeHtml);
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, String.valueOf(e.getKey()), escapeHtml);
                out.append(':');
                write(out, e.getValue(), escapeHtml);
            }
            out.append('}');
        } else if (value instanceof Collection) {
            out.append('[');
            boolean first = true;
            for (Object o : (Collection<?>) value) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(out, o, escapeHtml);
            }
            out.append(']');
        } else if (value instanceof Object[]) {
            write(out, java.util.Arrays.asList((Object[]) value), escapeHtml);
        } else {
            writeString(out, value.toString(), escapeHtml);
        }
    }

    /** Go's float encoding: plain notation between 1e-6 and 1e21, exponent notation outside. */
    static String formatFloat(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e21) {
            return new BigDecimal(d).toPlainString();
        }
        double abs = Math.abs(d);
        String shortest = Double.toString(d);
        if (abs >= 1e-6 && abs < 1e21) {
            return new BigDecimal(shortest).toPlainString();
        }
        // Go writes 1e-07 as "1e-07": mantissa without trailing zeros, two-digit exponent at least.
        BigDecimal bd = new BigDecimal(shortest);
        String mant = bd.unscaledValue().abs().toString();
        int exp = mant.length() - 1 - bd.scale();
        String digits = mant.replaceAll("0+$", "");
        if (digits.isEmpty()) {
            digits = "0";
        }
        StringBuilder sb = new StringBuilder();
        if (d < 0) {
            sb.append('-');
        }
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

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    public static void writeString(StringBuilder out, String s, boolean escapeHtml) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029'
                            || (escapeHtml && (c == '<' || c == '>' || c == '&'))) {
                        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
