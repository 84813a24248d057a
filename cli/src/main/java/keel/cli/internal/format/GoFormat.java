package keel.cli.internal.format;

import java.util.List;

/** The subset of Go's fmt printing that templates reach through print, println and printf. */
final class GoFormat {

    private GoFormat() {
    }

    /** fmt.Sprint: a space between operands when neither side is a string. */
    static String sprint(List<Object> args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (i > 0 && !(a instanceof String) && !(args.get(i - 1) instanceof String)) {
                sb.append(' ');
            }
            sb.append(GoValues.print(a, false));
        }
        return sb.toString();
    }

    static String sprintln(List<Object> args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(GoValues.print(args.get(i), false));
        }
        return sb.append('\n').toString();
    }

    /** fmt.Sprintf for the verbs people put in templates: %v %s %d %q %t %f %g %e %x %X %c %%. */
    static String sprintf(String format, List<Object> args) {
        StringBuilder sb = new StringBuilder();
        int argi = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            if (++i >= format.length()) {
                sb.append("%!(NOVERB)");
                break;
            }
            boolean minus = false;
            boolean zero = false;
            boolean plus = false;
            for (; i < format.length(); i++) {
                char f = format.charAt(i);
                if (f == '-') {
                    minus = true;
                } else if (f == '0') {
                    zero = true;
                } else if (f == '+') {
                    plus = true;
                } else if (f != ' ' && f != '#') {
                    break;
                }
            }
            int width = -1;
            int start = i;
            while (i < format.length() && Character.isDigit(format.charAt(i))) {
                i++;
            }
            if (i > start) {
                width = Integer.parseInt(format.substring(start, i));
            }
            int prec = -1;
            if (i < format.length() && format.charAt(i) == '.') {
                i++;
                start = i;
                while (i < format.length() && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                prec = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
            }
            if (i >= format.length()) {
                sb.append("%!(NOVERB)");
                break;
            }
            char verb = format.charAt(i);
            if (verb == '%') {
                sb.append('%');
                continue;
            }
            if (argi >= args.size()) {
                sb.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            Object a = args.get(argi++);
            String s;
            switch (verb) {
                case 'd':
                    s = a instanceof Number ? (plus && ((Number) a).longValue() >= 0 ? "+" : "")
                            + ((Number) a).longValue() : "%!d(" + GoValues.typeName(a) + "=" + GoValues.print(a, false) + ")";
                    break;
                case 'q': {
                    StringBuilder q = new StringBuilder();
                    keel.cli.internal.json.JsonWriter.writeString(q, GoValues.print(a, false), false);
                    s = q.toString();
                    break;
                }
                case 'f':
                case 'F':
                    s = a instanceof Number ? String.format(java.util.Locale.ROOT, "%." + (prec < 0 ? 6 : prec) + "f",
                            ((Number) a).doubleValue()) : GoValues.print(a, false);
                    break;
                case 'g':
                    s = a instanceof Number ? (prec < 0 ? GoValues.formatFloat(((Number) a).doubleValue())
                            : HumanUnits.formatG(((Number) a).doubleValue(), prec)) : GoValues.print(a, false);
                    break;
                case 'e':
                    s = a instanceof Number ? String.format(java.util.Locale.ROOT, "%." + (prec < 0 ? 6 : prec) + "e",
                            ((Number) a).doubleValue()) : GoValues.print(a, false);
                    break;
                case 'x':
                case 'X': {
                    if (a instanceof Long || a instanceof Integer) {
                        s = Long.toHexString(((Number) a).longValue());
                    } else {
                        StringBuilder h = new StringBuilder();
                        for (byte b : GoValues.print(a, false).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                            h.append(String.format("%02x", b & 0xff));
                        }
                        s = h.toString();
                    }
                    if (verb == 'X') {
                        s = s.toUpperCase(java.util.Locale.ROOT);
                    }
                    break;
                }
                case 'c':
                    s = a instanceof Number ? new String(Character.toChars(((Number) a).intValue())) : "%!c(" + a + ")";
                    break;
                case 't':
                case 's':
                case 'v':
                default:
                    s = GoValues.print(a, false);
                    if (verb == 's' && prec >= 0 && s.length() > prec) {
                        s = s.substring(0, prec);
                    }
            }
            if (width > s.length()) {
                String pad = (zero && !minus ? "0" : " ").repeat(width - s.length());
                s = minus ? s + pad : pad + s;
            }
            sb.append(s);
        }
        if (argi < args.size()) {
            sb.append("%!(EXTRA ");
            for (int k = argi; k < args.size(); k++) {
                if (k > argi) {
                    sb.append(", ");
                }
                Object a = args.get(k);
                sb.append(GoValues.typeName(a)).append('=').append(GoValues.print(a, false));
            }
            sb.append(')');
        }
        return sb.toString();
    }
}
