package keel.cli.internal.format;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import keel.cli.internal.json.JsonWriter;

/** docker's template functions (templates.basicFunctions and HeaderFunctions) plus Go's builtins. */
public final class TemplateFunctions {

    /** A misuse reported without "error calling" (wrong argument count or type), as Go does. */
    static final class CallError extends TemplateException {
        private static final long serialVersionUID = 1L;

        CallError(String message) {
            super(message);
        }
    }

    private static final Map<String, GoTemplate.Function> BASIC = new HashMap<>();
    private static final Map<String, GoTemplate.Function> HEADER = new HashMap<>();

    static {
        builtins(BASIC);
        BASIC.put("json", a -> {
            args("json", a, 1);
            return JsonWriter.write(a.get(0), false);
        });
        BASIC.put("split", a -> {
            args("split", a, 2);
            String s = str("split", a.get(0));
            String sep = str("split", a.get(1));
            return split(s, sep);
        });
        BASIC.put("join", a -> {
            args("join", a, 2);
            List<Object> l = GoValues.asList(a.get(0));
            if (l == null) {
                throw new CallError("wrong type for value; expected []string; got " + GoValues.typeName(a.get(0)));
            }
            StringBuilder sb = new StringBuilder();
            String sep = str("join", a.get(1));
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(sep);
                }
                sb.append(GoValues.print(l.get(i), false));
            }
            return sb.toString();
        });
        BASIC.put("title", a -> {
            args("title", a, 1);
            return title(str("title", a.get(0)));
        });
        BASIC.put("lower", a -> {
            args("lower", a, 1);
            return str("lower", a.get(0)).toLowerCase(Locale.ROOT);
        });
        BASIC.put("upper", a -> {
            args("upper", a, 1);
            return str("upper", a.get(0)).toUpperCase(Locale.ROOT);
        });
        BASIC.put("pad", a -> {
            args("pad", a, 3);
            String s = str("pad", a.get(0));
            if (s.isEmpty()) {
                return s;
            }
            return " ".repeat((int) integer(a.get(1))) + s + " ".repeat((int) integer(a.get(2)));
        });
        BASIC.put("truncate", a -> {
            args("truncate", a, 2);
            String s = str("truncate", a.get(0));
            int n = (int) integer(a.get(1));
            return s.length() < n ? s : s.substring(0, Math.max(0, n));
        });

        // Table headers keep the column name intact: these take the header string and return it.
        HEADER.putAll(BASIC);
        for (String f : new String[] {"json", "title", "lower", "upper"}) {
            HEADER.put(f, a -> {
                args(f, a, 1);
                return str(f, a.get(0));
            });
        }
        for (String f : new String[] {"split", "join", "truncate"}) {
            HEADER.put(f, a -> {
                args(f, a, 2);
                return str(f, a.get(0));
            });
        }
    }

    private TemplateFunctions() {
    }

    public static Map<String, GoTemplate.Function> basic() {
        return BASIC;
    }

    public static Map<String, GoTemplate.Function> header() {
        return HEADER;
    }

    /** The basic functions plus extra ones (e.g. a command's own helpers). */
    public static Map<String, GoTemplate.Function> with(Map<String, GoTemplate.Function> extra) {
        Map<String, GoTemplate.Function> m = new HashMap<>(BASIC);
        m.putAll(extra);
        return m;
    }

    private static void args(String name, List<Object> a, int want) throws CallError {
        if (a.size() != want) {
            throw new CallError("wrong number of args for " + name + ": want " + want + " got " + a.size());
        }
    }

    private static String str(String fn, Object v) throws CallError {
        if (v instanceof String) {
            return (String) v;
        }
        if (v == null) {
            return "";
        }
        throw new CallError("wrong type for value; expected string; got " + GoValues.typeName(v));
    }

    private static long integer(Object v) throws CallError {
        if (v instanceof Long || v instanceof Integer) {
            return ((Number) v).longValue();
        }
        throw new CallError("wrong type for value; expected int; got " + GoValues.typeName(v));
    }

    private static List<Object> split(String s, String sep) {
        List<Object> out = new ArrayList<>();
        if (sep.isEmpty()) {
            s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
        }
        int from = 0;
        while (true) {
            int i = s.indexOf(sep, from);
            if (i < 0) {
                out.add(s.substring(from));
                return out;
            }
            out.add(s.substring(from, i));
            from = i + sep.length();
        }
    }

    /** strings.Title: upper-case the first letter of each word. */
    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean prevLetter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = Character.isLetterOrDigit(c) || c == '_' || c == '\'';
            sb.append(letter && !prevLetter ? Character.toTitleCase(c) : c);
            prevLetter = letter;
        }
        return sb.toString();
    }

    private static void builtins(Map<String, GoTemplate.Function> m) {
        m.put("and", a -> null); // evaluated lazily by the executor
        m.put("or", a -> null);
        m.put("not", a -> {
            args("not", a, 1);
            return !GoValues.isTrue(a.get(0));
        });
        m.put("len", a -> {
            args("len", a, 1);
            Object v = a.get(0);
            if (v instanceof String) {
                return (long) ((String) v).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
            if (v instanceof Collection) {
                return (long) ((Collection<?>) v).size();
            }
            if (v instanceof Map) {
                return (long) ((Map<?, ?>) v).size();
            }
            if (v == GoNil.SLICE || v == GoNil.MAP) {
                return 0L;
            }
            if (v == null) {
                throw new TemplateException("len of nil pointer");
            }
            throw new TemplateException("len of type " + GoValues.typeName(v));
        });
        m.put("index", a -> {
            if (a.isEmpty()) {
                throw new CallError("wrong number of args for index: want at least 1 got 0");
            }
            Object item = a.get(0);
            for (int i = 1; i < a.size(); i++) {
                Object key = a.get(i);
                if (item == null) {
                    throw new TemplateException("index of untyped nil");
                }
                if (item instanceof Map || item == GoNil.MAP) {
                    Map<?, ?> map = item instanceof Map ? (Map<?, ?>) item : Map.of();
                    item = map.get(key instanceof String ? key : GoValues.print(key, false));
                } else {
                    List<Object> l = GoValues.asList(item);
                    if (l == null && item instanceof String) {
                        byte[] b = ((String) item).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        int x = (int) indexArg(key, b.length);
                        item = (long) (b[x] & 0xff);
                        continue;
                    }
                    if (l == null) {
                        throw new TemplateException("can't index item of type " + GoValues.typeName(item));
                    }
                    item = l.get((int) indexArg(key, l.size()));
                }
            }
            return item;
        });
        m.put("slice", a -> {
            if (a.isEmpty()) {
                throw new CallError("wrong number of args for slice: want at least 1 got 0");
            }
            Object item = a.get(0);
            int len;
            List<Object> l = GoValues.asList(item);
            if (l != null) {
                len = l.size();
            } else if (item instanceof String) {
                len = ((String) item).length();
            } else {
                throw new TemplateException("can't slice item of type " + GoValues.typeName(item));
            }
            int from = a.size() > 1 ? (int) indexArg(a.get(1), len + 1) : 0;
            int to = a.size() > 2 ? (int) indexArg(a.get(2), len + 1) : len;
            if (from > to) {
                throw new TemplateException("invalid slice index: " + from + " > " + to);
            }
            return l != null ? new ArrayList<>(l.subList(from, to)) : ((String) item).substring(from, to);
        });
        m.put("eq", a -> {
            if (a.size() < 2) {
                throw new TemplateException("missing argument for comparison");
            }
            for (int i = 1; i < a.size(); i++) {
                if (equal(a.get(0), a.get(i))) {
                    return true;
                }
            }
            return false;
        });
        m.put("ne", a -> {
            args("ne", a, 2);
            return !equal(a.get(0), a.get(1));
        });
        m.put("lt", a -> {
            args("lt", a, 2);
            return compare(a.get(0), a.get(1)) < 0;
        });
        m.put("le", a -> {
            args("le", a, 2);
            return compare(a.get(0), a.get(1)) <= 0;
        });
        m.put("gt", a -> {
            args("gt", a, 2);
            return compare(a.get(0), a.get(1)) > 0;
        });
        m.put("ge", a -> {
            args("ge", a, 2);
            return compare(a.get(0), a.get(1)) >= 0;
        });
        m.put("print", a -> GoFormat.sprint(a));
        m.put("println", a -> GoFormat.sprintln(a));
        m.put("printf", a -> {
            if (a.isEmpty()) {
                throw new CallError("wrong number of args for printf: want at least 1 got 0");
            }
            return GoFormat.sprintf(str("printf", a.get(0)), a.subList(1, a.size()));
        });
        m.put("urlquery", a -> java.net.URLEncoder.encode(GoFormat.sprint(a),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    private static long indexArg(Object key, int cap) throws TemplateException {
        if (!(key instanceof Long || key instanceof Integer)) {
            throw new TemplateException("cannot index slice/array with type " + GoValues.typeName(key));
        }
        long x = ((Number) key).longValue();
        if (x < 0 || x >= cap) {
            throw new TemplateException("index out of range: " + x);
        }
        return x;
    }

    private static boolean equal(Object a, Object b) throws TemplateException {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number && b instanceof Number) {
            if ((a instanceof Double) != (b instanceof Double)) {
                throw new TemplateException("incompatible types for comparison");
            }
            return ((Number) a).doubleValue() == ((Number) b).doubleValue();
        }
        if (a instanceof String && b instanceof String || a instanceof Boolean && b instanceof Boolean) {
            return a.equals(b);
        }
        if (a instanceof Collection || a instanceof Map || a instanceof GoStruct) {
            throw new TemplateException("non-comparable type " + GoValues.print(a, false) + ": "
                    + GoValues.typeName(a));
        }
        if (a.getClass() != b.getClass()) {
            throw new TemplateException("incompatible types for comparison");
        }
        return a.equals(b);
    }

    private static int compare(Object a, Object b) throws TemplateException {
        if (a instanceof Number && b instanceof Number) {
            if ((a instanceof Double) != (b instanceof Double)) {
                throw new TemplateException("incompatible types for comparison");
            }
            return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
        }
        if (a instanceof String && b instanceof String) {
            return ((String) a).compareTo((String) b);
        }
        if (a == null || b == null || a.getClass() != b.getClass()) {
            throw new TemplateException("incompatible types for comparison");
        }
        throw new TemplateException("invalid type for comparison");
    }
}
