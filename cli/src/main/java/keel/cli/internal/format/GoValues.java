package keel.cli.internal.format;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** How Go's fmt prints values ({@code %v}), what text/template counts as true, and Go type names for errors. */
public final class GoValues {

    private GoValues() {
    }

    /**
     * {@code fmt.Sprint(v)}; {@code topLevel} is true for a template action, where an invalid value prints
     * "&lt;no value&gt;" while a nil inside a list prints "&lt;nil&gt;".
     */
    public static String print(Object v, boolean topLevel) {
        StringBuilder sb = new StringBuilder();
        print(sb, v, topLevel);
        return sb.toString();
    }

    private static void print(StringBuilder sb, Object v, boolean topLevel) {
        if (v == null) {
            sb.append(topLevel ? "<no value>" : "<nil>");
        } else if (v instanceof String) {
            sb.append((String) v);
        } else if (v instanceof Double || v instanceof Float) {
            sb.append(formatFloat(((Number) v).doubleValue()));
        } else if (v instanceof GoNil) {
            sb.append(((GoNil) v).printed());
        } else if (v instanceof Map) {
            sb.append("map[");
            boolean first = true;
            for (Map.Entry<?, ?> e : sorted((Map<?, ?>) v).entrySet()) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                print(sb, e.getKey(), false);
                sb.append(':');
                print(sb, e.getValue(), false);
            }
            sb.append(']');
        } else if (v instanceof Collection) {
            sb.append('[');
            boolean first = true;
            for (Object o : (Collection<?>) v) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                print(sb, o, false);
            }
            sb.append(']');
        } else {
            sb.append(v);
        }
    }

    /** Go prints map keys sorted. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Map<?, ?> sorted(Map<?, ?> m) {
        if (m instanceof TreeMap) {
            return m;
        }
        try {
            return new TreeMap(m);
        } catch (ClassCastException | NullPointerException e) {
            return m;
        }
    }

    /** {@code %v} of a float64 (strconv 'g', shortest): exponent form below 1e-4 and from 1e6 up. */
    public static String formatFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return "0";
        }
        java.math.BigDecimal bd = new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale();
        if (exp < -4 || exp >= 6) {
            return HumanUnits.formatG(d, digits.length());
        }
        return bd.toPlainString();
    }

    /** text/template's truth: empty strings, zero numbers, empty collections, nil and false are false. */
    public static boolean isTrue(Object v) {
        if (v == null || v instanceof GoNil) {
            return false;
        }
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        if (v instanceof String) {
            return !((String) v).isEmpty();
        }
        if (v instanceof Number) {
            return ((Number) v).doubleValue() != 0;
        }
        if (v instanceof Collection) {
            return !((Collection<?>) v).isEmpty();
        }
        if (v instanceof Map) {
            return !((Map<?, ?>) v).isEmpty();
        }
        return true;
    }

    /** The Go type docker's error messages would name. */
    public static String typeName(Object v) {
        if (v == null) {
            return "interface {}";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Long || v instanceof Integer) {
            return "int64";
        }
        if (v instanceof Double) {
            return "float64";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof GoStruct) {
            return ((GoStruct) v).typeName();
        }
        if (v instanceof GoNil) {
            return v == GoNil.MAP ? "map[string]interface {}" : v == GoNil.SLICE ? "[]string" : "*struct {}";
        }
        if (v instanceof Map) {
            return "map[string]interface {}";
        }
        if (v instanceof Collection) {
            return "[]interface {}";
        }
        return v.getClass().getSimpleName();
    }

    /** The elements of a list-like value (a typed nil slice is empty). */
    public static List<Object> asList(Object v) {
        if (v instanceof List) {
            @SuppressWarnings("unchecked")
            List<Object> l = (List<Object>) v;
            return l;
        }
        if (v instanceof Collection) {
            return new ArrayList<>((Collection<?>) v);
        }
        if (v == GoNil.SLICE) {
            return List.of();
        }
        return null;
    }
}
