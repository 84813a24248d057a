package keel.engine.core.internal.image.changes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.errors.EngineException;
import keel.engine.core.internal.image.DockerTime;

/**
 * Applies the Dockerfile instructions of {@code docker import --change} and {@code docker commit --change} to a
 * container config, with Docker's rules: only CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD,
 * STOPSIGNAL, USER, VOLUME and WORKDIR are allowed; JSON and shell forms; variables expanded from the ENV set so
 * far; an ENTRYPOINT clears a CMD not given in the same changes. Errors are INVALID_PARAMETER with Docker's text.
 */
public final class DockerfileChanges {

    private static final Set<String> VALID = Set.of("cmd", "entrypoint", "healthcheck", "env", "expose", "label",
            "onbuild", "stopsignal", "user", "volume", "workdir");
    private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One instruction: its command word (as written) and the rest of its (joined) line. */
    record Instruction(String command, String args) {}

    private DockerfileChanges() {}

    /** {@code base} with {@code changes} applied; {@code base} itself when there are none. */
    public static ContainerConfig apply(ContainerConfig base, List<String> changes) {
        if (changes == null || changes.isEmpty()) {
            return base;
        }
        List<Instruction> instructions = parse(String.join("\n", changes));
        for (Instruction i : instructions) {
            if (!VALID.contains(i.command().toLowerCase(Locale.ROOT))) {
                throw EngineException.invalid(i.command().toLowerCase(Locale.ROOT) + " is not a valid change command");
            }
        }
        State s = new State(base);
        for (Instruction i : instructions) {
            s.dispatch(i);
        }
        return s.build();
    }

    /**
     * Splits text into instructions: blank lines and {@code #} comments skipped, lines ending in {@code \} joined
     * with the next.
     */
    static List<Instruction> parse(String text) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder cur = null;
        for (String raw : text.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String end = line.stripTrailing();
            boolean continued = end.endsWith("\\");
            String part = continued ? end.substring(0, end.length() - 1) : line;
            if (cur == null) {
                cur = new StringBuilder(part.stripLeading());
            } else {
                cur.append(part);
            }
            if (!continued) {
                out.add(instruction(cur.toString()));
                cur = null;
            }
        }
        if (cur != null && !cur.toString().isBlank()) {
            out.add(instruction(cur.toString()));
        }
        return out;
    }

    private static Instruction instruction(String line) {
        int sp = 0;
        while (sp < line.length() && !Character.isWhitespace(line.charAt(sp))) {
            sp++;
        }
        return new Instruction(line.substring(0, sp), line.substring(sp).strip());
    }

    /** The config being changed: BuildKit's dispatch state for these instructions. */
    private static final class State {
        private final ContainerConfig.Builder b;
        private List<String> env;
        private List<String> cmd;
        private List<String> entrypoint;
        private List<String> onBuild;
        private Map<String, String> labels;
        private Map<String, Map<String, Object>> ports;
        private Map<String, Map<String, Object>> volumes;
        private String workingDir;
        private boolean cmdSet;

        State(ContainerConfig base) {
            b = base.toBuilder();
            env = base.env() == null ? null : new ArrayList<>(base.env());
            cmd = base.cmd();
            entrypoint = base.entrypoint();
            onBuild = base.onBuild() == null ? null : new ArrayList<>(base.onBuild());
            labels = base.labels() == null ? null : new LinkedHashMap<>(base.labels());
            ports = base.exposedPorts() == null ? null : new LinkedHashMap<>(base.exposedPorts());
            volumes = base.volumes() == null ? null : new LinkedHashMap<>(base.volumes());
            workingDir = base.workingDir();
        }

        ContainerConfig build() {
            return b.env(env).cmd(cmd).entrypoint(entrypoint).onBuild(onBuild).labels(labels).exposedPorts(ports)
                    .volumes(volumes).workingDir(workingDir).build();
        }

        private UnaryOperator<String> lookup() {
            return name -> {
                if (env == null) {
                    return null;
                }
                String value = null;
                for (String e : env) {
                    int eq = e.indexOf('=');
                    String k = eq < 0 ? e : e.substring(0, eq);
                    if (k.equals(name)) {
                        value = eq < 0 ? "" : e.substring(eq + 1);
                    }
                }
                return value;
            };
        }

        private String expand(String word) {
            return ShellWord.expand(word, lookup());
        }

        void dispatch(Instruction i) {
            String command = i.command().toUpperCase(Locale.ROOT);
            String args = i.args();
            switch (command) {
                case "ENV":
                    for (Map.Entry<String, String> kv : nameValues("ENV", args).entrySet()) {
                        setEnv(kv.getKey(), kv.getValue());
                    }
                    break;
                case "LABEL":
                    Map<String, String> l = nameValues("LABEL", args);
                    if (labels == null) {
                        labels = new LinkedHashMap<>();
                    }
                    labels.putAll(l);
                    break;
                case "CMD":
                    cmd = commandLine(args);
                    cmdSet = true;
                    break;
                case "ENTRYPOINT":
                    entrypoint = commandLine(args);
                    if (!cmdSet) {
                        // Docker: an ENTRYPOINT resets a CMD inherited from the base config.
                        cmd = null;
                    }
                    break;
                case "EXPOSE":
                    expose(args);
                    break;
                case "VOLUME":
                    volume(args);
                    break;
                case "USER":
                    b.user(expand(single("USER", args)));
                    break;
                case "WORKDIR":
                    workdir(args);
                    break;
                case "STOPSIGNAL":
                    String sig = expand(single("STOPSIGNAL", args));
                    Signals.check(sig);
                    b.stopSignal(sig);
                    break;
                case "ONBUILD":
                    onBuild(args);
                    break;
                case "HEALTHCHECK":
                    b.healthcheck(Healthchecks.parse(args));
                    break;
                default:
                    throw EngineException.invalid(command.toLowerCase(Locale.ROOT) + " is not a valid change command");
            }
        }

        private void setEnv(String key, String value) {
            if (env == null) {
                env = new ArrayList<>();
            }
            String entry = key + "=" + value;
            for (int k = 0; k < env.size(); k++) {
                String e = env.get(k);
                int eq = e.indexOf('=');
                if ((eq < 0 ? e : e.substring(0, eq)).equals(key)) {
                    env.set(k, entry);
                    return;
                }
            }
            env.add(entry);
        }

        /** ENV and LABEL: {@code k=v ...}, or the legacy {@code k value with spaces}. */
        private Map<String, String> nameValues(String instruction, String args) {
            List<String> words = ShellWord.split(args);
            if (words.isEmpty()) {
                throw EngineException.invalid(instruction + " requires at least one argument");
            }
            Map<String, String> out = new LinkedHashMap<>();
            if (!words.get(0).contains("=")) {
                String[] parts = args.split("\\s+", 2);
                if (parts.length < 2) {
                    throw EngineException.invalid(instruction + " must have two arguments");
                }
                out.put(checkName(instruction, expand(parts[0])), expand(parts[1]));
                return out;
            }
            for (String w : words) {
                int eq = w.indexOf('=');
                if (eq < 0) {
                    throw EngineException.invalid("Syntax error - can't find = in \"" + w
                            + "\". Must be of the form: name=value");
                }
                out.put(checkName(instruction, expand(w.substring(0, eq))), expand(w.substring(eq + 1)));
            }
            return out;
        }

        private static String checkName(String instruction, String name) {
            if (name.isEmpty()) {
                throw EngineException.invalid(instruction + " names can not be blank");
            }
            return name;
        }

        /** CMD and ENTRYPOINT: a JSON array as it is, anything else run by {@code /bin/sh -c}. */
        private List<String> commandLine(String args) {
            List<String> json = jsonArray(args);
            if (json != null) {
                return json;
            }
            List<String> shell = new ArrayList<>(DEFAULT_SHELL);
            shell.add(args);
            return shell;
        }

        private void expose(String args) {
            List<String> words = ShellWord.split(args);
            if (words.isEmpty()) {
                throw EngineException.invalid("EXPOSE requires at least one argument");
            }
            if (ports == null) {
                ports = new LinkedHashMap<>();
            }
            for (String w : words) {
                for (String p : expand(w).split("\\s+")) {
                    if (!p.isEmpty()) {
                        PortSpecs.exposed(p).forEach(k -> ports.put(k, Map.of()));
                    }
                }
            }
        }

        private void volume(String args) {
            List<String> vols = jsonArray(args);
            if (vols == null) {
                vols = new ArrayList<>();
                for (String w : ShellWord.split(args)) {
                    vols.add(expand(w));
                }
            } else {
                vols.replaceAll(this::expand);
            }
            if (vols.isEmpty()) {
                throw EngineException.invalid("VOLUME requires at least one argument");
            }
            if (volumes == null) {
                volumes = new LinkedHashMap<>();
            }
            for (String v : vols) {
                if (v.isBlank()) {
                    throw EngineException.invalid("VOLUME specified can not be an empty string");
                }
                volumes.put(v, Map.of());
            }
        }

        private void workdir(String args) {
            if (args.isEmpty()) {
                throw EngineException.invalid("WORKDIR requires exactly one argument");
            }
            String requested = expand(args);
            if (requested.isEmpty()) {
                throw EngineException.invalid("cannot normalize nothing");
            }
            if (requested.startsWith("/")) {
                workingDir = requested;
            } else {
                // Go's filepath.Join("/", current, requested): joined and cleaned.
                workingDir = cleanPath("/" + (workingDir == null ? "" : workingDir) + "/" + requested);
            }
        }

        private void onBuild(String args) {
            if (args.isEmpty()) {
                throw EngineException.invalid("ONBUILD requires at least one argument");
            }
            String trigger = args.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
            switch (trigger) {
                case "ONBUILD":
                    throw EngineException.invalid("Chaining ON BUILD via `ONBUILD ONBUILD` isn't allowed");
                case "FROM":
                case "MAINTAINER":
                    throw EngineException.invalid(trigger + " isn't allowed as an ON BUILD trigger");
                default:
                    break;
            }
            if (onBuild == null) {
                onBuild = new ArrayList<>();
            }
            onBuild.add(args);
        }

        private static String single(String instruction, String args) {
            List<String> words = ShellWord.split(args);
            if (words.size() != 1) {
                throw EngineException.invalid(instruction + " requires exactly one argument");
            }
            return words.get(0);
        }
    }

    /** A JSON array of strings, or null when {@code s} is not one (then it is a shell form). */
    static List<String> jsonArray(String s) {
        if (!s.startsWith("[")) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(s);
            if (n == null || !n.isArray()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    return null;
                }
                out.add(e.asText());
            }
            return out;
        } catch (IOException e) {
            return null;
        }
    }

    static String cleanPath(String p) {
        List<String> parts = new ArrayList<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(part);
        }
        return "/" + String.join("/", parts);
    }

    /** HEALTHCHECK's flags and forms. */
    static final class Healthchecks {
        private Healthchecks() {}

        static ContainerConfig.HealthConfig parse(String args) {
            Long interval = null;
            Long timeout = null;
            Long startPeriod = null;
            Long startInterval = null;
            Integer retries = null;
            String rest = args;
            while (rest.startsWith("--")) {
                String[] split = rest.split("\\s+", 2);
                String flag = split[0];
                rest = split.length > 1 ? split[1] : "";
                int eq = flag.indexOf('=');
                String name = eq < 0 ? flag.substring(2) : flag.substring(2, eq);
                String value = eq < 0 ? "" : flag.substring(eq + 1);
                switch (name) {
                    case "interval" -> interval = duration("--interval", value);
                    case "timeout" -> timeout = duration("--timeout", value);
                    case "start-period" -> startPeriod = duration("--start-period", value);
                    case "start-interval" -> startInterval = duration("--start-interval", value);
                    case "retries" -> {
                        try {
                            retries = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            throw EngineException.invalid("invalid value \"" + value + "\" for flag --retries");
                        }
                        if (retries < 0) {
                            throw EngineException.invalid("--retries cannot be negative (" + retries + ")");
                        }
                    }
                    default -> throw EngineException.invalid("Unknown flag: " + name);
                }
            }
            String[] typeAndCmd = rest.split("\\s+", 2);
            String type = typeAndCmd[0].toUpperCase(Locale.ROOT);
            String cmd = typeAndCmd.length > 1 ? typeAndCmd[1].strip() : "";
            if (type.equals("NONE")) {
                if (!cmd.isEmpty() || interval != null || timeout != null || startPeriod != null
                        || startInterval != null || retries != null) {
                    throw EngineException.invalid("HEALTHCHECK NONE takes no arguments");
                }
                return new ContainerConfig.HealthConfig(List.of("NONE"), null, null, null, null, null);
            }
            if (!type.equals("CMD")) {
                throw EngineException.invalid("Unknown type \"" + typeAndCmd[0] + "\" in HEALTHCHECK (try CMD)");
            }
            if (cmd.isEmpty()) {
                throw EngineException.invalid("Missing command after HEALTHCHECK CMD");
            }
            List<String> json = jsonArray(cmd);
            List<String> test = new ArrayList<>();
            if (json != null) {
                test.add("CMD");
                test.addAll(json);
            } else {
                test.add("CMD-SHELL");
                test.add(cmd);
            }
            return new ContainerConfig.HealthConfig(test, interval, timeout, startPeriod, startInterval, retries);
        }

        private static Long duration(String flag, String value) {
            long d;
            try {
                d = DockerTime.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw EngineException.invalid("invalid value \"" + value + "\" for flag " + flag + ": " + e.getMessage());
            }
            if (d != 0 && d < 1_000_000L) {
                throw EngineException.invalid("Interval \"" + flag.substring(2) + "\" cannot be less than 1ms");
            }
            return d;
        }
    }
}
