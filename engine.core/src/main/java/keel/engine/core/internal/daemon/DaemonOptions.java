package keel.engine.core.internal.daemon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * keeld's options: the command line parsed as dockerd parses it (GNU-style long flags, single-dash short flags,
 * {@code --flag=value} and {@code --flag value}), merged with daemon.json under dockerd's rules: a key may not be
 * set both ways, and an unknown key is an error rather than silently ignored.
 */
final class DaemonOptions {

    /** Thrown for bad flags or a bad configuration file; the message is what keeld prints before exiting. */
    static final class InvalidOptionsException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidOptionsException(String message) {
            super(message);
        }
    }

    private final Map<DaemonFlag, List<String>> fromFlags;
    private final Map<DaemonFlag, List<String>> fromFile;
    private final boolean help;
    private final boolean version;

    private DaemonOptions(Map<DaemonFlag, List<String>> fromFlags, Map<DaemonFlag, List<String>> fromFile,
            boolean help, boolean version) {
        this.fromFlags = fromFlags;
        this.fromFile = fromFile;
        this.help = help;
        this.version = version;
    }

    static DaemonOptions parse(String[] args) throws InvalidOptionsException {
        Map<DaemonFlag, List<String>> values = new LinkedHashMap<>();
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name;
            String inline = null;
            if (arg.startsWith("--") && arg.length() > 2) {
                name = arg.substring(2);
            } else if (arg.startsWith("-") && arg.length() > 1 && !arg.equals("--")) {
                name = arg.substring(1, 2);
                if (arg.length() > 2) {
                    // -Hunix:///x and -H=unix:///x, as pflag accepts them
                    inline = arg.charAt(2) == '=' ? arg.substring(3) : arg.substring(2);
                }
            } else {
                throw new InvalidOptionsException("\"keeld\" accepts no arguments (got \"" + arg + "\")");
            }
            int eq = name.indexOf('=');
            if (eq >= 0 && inline == null) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.equals("help") || name.equals("h")) {
                help = true;
                continue;
            }
            if (name.equals("version") || name.equals("v")) {
                version = true;
                continue;
            }
            String dashed = (name.length() == 1 ? "-" : "--") + name;
            DaemonFlag flag = DaemonFlag.byName(name)
                    .orElseThrow(() -> new InvalidOptionsException("unknown flag: " + dashed));
            String value;
            if (flag.kind() == DaemonFlag.Kind.BOOLEAN) {
                value = inline == null ? "true" : inline;
                if (!value.equals("true") && !value.equals("false")) {
                    throw new InvalidOptionsException("invalid argument \"" + value + "\" for \"" + dashed
                            + "\" flag: must be true or false");
                }
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new InvalidOptionsException("flag needs an argument: " + dashed);
            }
            if (flag.kind() == DaemonFlag.Kind.MAP && value.indexOf('=') <= 0) {
                throw new InvalidOptionsException("invalid argument \"" + value + "\" for \"" + dashed
                        + "\" flag: expected key=value");
            }
            List<String> list = values.computeIfAbsent(flag, f -> new ArrayList<>());
            if (flag.kind() != DaemonFlag.Kind.LIST && flag.kind() != DaemonFlag.Kind.MAP) {
                list.clear();
            }
            list.add(value);
        }
        return new DaemonOptions(values, Map.of(), help, version);
    }

    /**
     * Merges the options read from daemon.json (already parsed into a map). Keys are dockerd's; a key also given
     * as a flag, or a key no option has, is an error.
     */
    DaemonOptions withFile(Map<String, Object> json) throws InvalidOptionsException {
        Map<DaemonFlag, List<String>> file = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        Map<String, String> conflicts = new TreeMap<>();
        for (Map.Entry<String, Object> e : json.entrySet()) {
            Optional<DaemonFlag> flag = DaemonFlag.byJsonKey(e.getKey());
            if (flag.isEmpty()) {
                unknown.add(e.getKey());
                continue;
            }
            List<String> values = jsonValues(flag.get(), e.getValue());
            if (fromFlags.containsKey(flag.get())) {
                conflicts.put(e.getKey(), "(from flag: " + show(fromFlags.get(flag.get())) + ", from file: "
                        + show(values) + ")");
            }
            file.put(flag.get(), values);
        }
        if (!unknown.isEmpty()) {
            throw new InvalidOptionsException("the following directives don't match any configuration option: "
                    + String.join(", ", unknown));
        }
        if (!conflicts.isEmpty()) {
            StringBuilder sb = new StringBuilder(
                    "the following directives are specified both as a flag and in the configuration file: ");
            conflicts.forEach((k, v) -> sb.append(k).append(": ").append(v).append(", "));
            sb.setLength(sb.length() - 2);
            throw new InvalidOptionsException(sb.toString());
        }
        return new DaemonOptions(fromFlags, file, help, version);
    }

    private static List<String> jsonValues(DaemonFlag flag, Object value) throws InvalidOptionsException {
        String key = flag.jsonKey();
        switch (flag.kind()) {
            case LIST:
                if (!(value instanceof List<?> list)) {
                    throw new InvalidOptionsException(key + " in the configuration file must be a list of strings");
                }
                List<String> out = new ArrayList<>();
                for (Object o : list) {
                    if (o instanceof Map<?, ?> object) {
                        // "default-address-pools": [{"base": "172.30.0.0/16", "size": 24}], the flag's
                        // base=172.30.0.0/16,size=24
                        List<String> fields = new ArrayList<>();
                        object.forEach((k, v) -> fields.add(k + "=" + v));
                        out.add(String.join(",", fields));
                        continue;
                    }
                    if (!(o instanceof String s)) {
                        throw new InvalidOptionsException(key + " in the configuration file must be a list of strings");
                    }
                    out.add(s);
                }
                return out;
            case MAP:
                if (!(value instanceof Map<?, ?> map)) {
                    throw new InvalidOptionsException(key + " in the configuration file must be an object");
                }
                List<String> pairs = new ArrayList<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getValue() instanceof String v)) {
                        throw new InvalidOptionsException(key + "." + e.getKey()
                                + " in the configuration file must be a string");
                    }
                    pairs.add(e.getKey() + "=" + v);
                }
                return pairs;
            case BOOLEAN:
                if (!(value instanceof Boolean b)) {
                    throw new InvalidOptionsException(key + " in the configuration file must be true or false");
                }
                return List.of(b.toString());
            default:
                if (value instanceof Number n) {
                    return List.of(n.toString()); // "mtu": 1500
                }
                if (!(value instanceof String s)) {
                    throw new InvalidOptionsException(key + " in the configuration file must be a string");
                }
                return List.of(s);
        }
    }

    private static String show(List<String> values) {
        return values.size() == 1 ? values.get(0) : values.toString();
    }

    boolean help() {
        return help;
    }

    boolean version() {
        return version;
    }

    /** Whether the flag was given on the command line (not from the file, not defaulted). */
    boolean onCommandLine(DaemonFlag flag) {
        return fromFlags.containsKey(flag);
    }

    /** The flag's values: from the command line, else daemon.json, else its default (none for a list). */
    List<String> values(DaemonFlag flag) {
        List<String> v = fromFlags.get(flag);
        if (v == null) {
            v = fromFile.get(flag);
        }
        if (v == null) {
            return flag.defaultValue() == null ? List.of() : List.of(flag.defaultValue());
        }
        return v;
    }

    String value(DaemonFlag flag) {
        List<String> v = values(flag);
        return v.isEmpty() ? "" : v.get(v.size() - 1);
    }

    String value(String longName) {
        return value(DaemonFlag.byName(longName).orElseThrow());
    }

    boolean bool(String longName) {
        return Boolean.parseBoolean(value(longName));
    }

    static String usage() {
        StringBuilder sb = new StringBuilder("Usage:\tkeeld [OPTIONS]\n\nA self-sufficient runtime for containers.\n\n"
                + "Options:\n");
        for (DaemonFlag f : DaemonFlag.ALL) {
            String names = (f.shortName() == null ? "    " : "-" + f.shortName() + ", ") + "--" + f.longName()
                    + switch (f.kind()) {
                        case BOOLEAN -> "";
                        case LIST -> " list";
                        case MAP -> " map";
                        default -> " string";
                    };
            sb.append(String.format("  %-30s %s", names, f.help()));
            if (f.defaultValue() != null && !f.defaultValue().isEmpty() && f.kind() != DaemonFlag.Kind.BOOLEAN) {
                sb.append(" (default \"").append(f.defaultValue()).append("\")");
            }
            sb.append('\n');
        }
        sb.append(String.format("  %-30s %s%n", "-h, --help", "Print usage"));
        sb.append(String.format("  %-30s %s%n", "-v, --version", "Print version information and quit"));
        return sb.toString();
    }
}
