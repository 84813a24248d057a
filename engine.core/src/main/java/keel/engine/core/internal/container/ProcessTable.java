package keel.engine.core.internal.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import keel.engine.api.container.TopResult;
import keel.engine.api.errors.EngineException;

/**
 * {@code docker top}: the container's processes as ps(1) would list them, read from /proc rather than by running
 * ps on the host as dockerd does. The ps arguments understood are the usual ones: {@code -ef} (the default) and its
 * parts ({@code -e}, {@code -f}, {@code -A}), BSD {@code aux}/{@code ax}/{@code u}, and {@code -o} with the common
 * field names. Times use the host's zone; user names come from the host's /etc/passwd, as with ps on the host.
 */
final class ProcessTable {

    /** Docker's check: a ps argument may not rename the PID column. */
    private static final Pattern PID_RENAME = Pattern.compile("\\s+([^\\s]*)=\\s*(PID[^\\s]*)");
    private static final long TICKS = 100;
    private static final long PAGE_KB = 4;

    private static final Map<String, String> TITLES = Map.ofEntries(Map.entry("pid", "PID"),
            Map.entry("ppid", "PPID"), Map.entry("uid", "UID"), Map.entry("euid", "EUID"), Map.entry("user", "USER"),
            Map.entry("euser", "EUSER"), Map.entry("comm", "COMMAND"), Map.entry("args", "COMMAND"),
            Map.entry("command", "COMMAND"), Map.entry("cmd", "CMD"), Map.entry("etime", "ELAPSED"),
            Map.entry("time", "TIME"), Map.entry("stat", "STAT"), Map.entry("s", "S"), Map.entry("rss", "RSS"),
            Map.entry("vsz", "VSZ"), Map.entry("pcpu", "%CPU"), Map.entry("%cpu", "%CPU"),
            Map.entry("pmem", "%MEM"), Map.entry("%mem", "%MEM"), Map.entry("tty", "TT"), Map.entry("tname", "TTY"),
            Map.entry("stime", "STIME"), Map.entry("start", "STARTED"), Map.entry("c", "C"),
            Map.entry("nlwp", "NLWP"), Map.entry("pgid", "PGID"), Map.entry("sid", "SID"), Map.entry("ni", "NI"));

    private final Path proc;
    private final Clock clock;

    ProcessTable(Path proc, Clock clock) {
        this.proc = proc;
        this.clock = clock;
    }

    TopResult top(List<Long> pids, String psArgs) {
        String args = psArgs == null || psArgs.isEmpty() ? "-ef" : psArgs;
        Matcher m = PID_RENAME.matcher(args);
        while (m.find()) {
            if (!m.group(1).equals("pid")) {
                throw EngineException.system("specifying \"" + m.group(1) + "=" + m.group(2) + "\" is not allowed",
                        null);
            }
        }
        List<String> fields = columns(args);
        List<String> titles = new ArrayList<>();
        for (String f : fields) {
            int eq = f.indexOf('=');
            titles.add(eq >= 0 ? f.substring(eq + 1) : TITLES.get(f));
        }
        Host host = new Host();
        List<List<String>> rows = new ArrayList<>();
        for (long pid : new TreeSet<>(pids)) {
            Proc p = read(pid);
            if (p == null) {
                continue; // exited meanwhile
            }
            List<String> row = new ArrayList<>();
            for (String f : fields) {
                int eq = f.indexOf('=');
                row.add(value(eq >= 0 ? f.substring(0, eq) : f, p, host));
            }
            rows.add(row);
        }
        return new TopResult(titles, rows);
    }

    /** The fields a ps argument string asks for. */
    static List<String> columns(String args) {
        List<String> out = new ArrayList<>();
        boolean full = false;
        boolean bsdUser = false;
        boolean bsd = false;
        String[] tokens = args.trim().split("\\s+");
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("-o") || t.equals("o") || t.startsWith("--format")) {
                String spec = t.startsWith("-o") && t.length() > 2 ? t.substring(2) : i + 1 < tokens.length
                        ? tokens[++i] : "";
                for (String f : spec.split(",")) {
                    String name = f.toLowerCase(Locale.ROOT);
                    String bare = name.contains("=") ? name.substring(0, name.indexOf('=')) : name;
                    if (!TITLES.containsKey(bare)) {
                        throw EngineException.system("ps: error: unknown user-defined format specifier \"" + f + "\"",
                                null);
                    }
                    out.add(f.contains("=") ? bare + f.substring(f.indexOf('=')) : bare);
                }
                continue;
            }
            if (t.startsWith("-")) {
                for (char c : t.substring(1).toCharArray()) {
                    switch (c) {
                        case 'e', 'A', 'a', 'd', 'N', 'T', 'w', 'H', 'q' -> { }
                        case 'f', 'F', 'l' -> full = true;
                        default -> throw EngineException.system("ps: error: unsupported option (" + t + ")", null);
                    }
                }
                continue;
            }
            if (t.chars().allMatch(ch -> ch == ',' || Character.isDigit(ch))) {
                continue; // a pid list, as Docker's -q appends
            }
            bsd = true;
            for (char c : t.toCharArray()) {
                switch (c) {
                    case 'u' -> bsdUser = true;
                    case 'a', 'x', 'w', 'e', 'f', 'h' -> { }
                    default -> throw EngineException.system("ps: error: unsupported option (BSD syntax): " + t, null);
                }
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        if (bsdUser) {
            return List.of("user", "pid", "%cpu", "%mem", "vsz", "rss", "tname", "stat", "start=START", "time",
                    "command");
        }
        if (bsd) {
            return List.of("pid", "tname", "stat", "time", "command");
        }
        if (full) {
            return List.of("user=UID", "pid", "ppid", "c", "stime", "tname", "time", "cmd");
        }
        return List.of("pid", "tname", "time", "cmd");
    }

    /** One process as /proc describes it. */
    private record Proc(long pid, String comm, char state, long ppid, long pgrp, long session, int ttyNr,
            long tpgid, long utime, long stime, long nice, long threads, long startTicks, long vsize, long rssPages,
            long uid, long euid, List<String> cmdline) {}

    private Proc read(long pid) {
        Path dir = proc.resolve(Long.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String comm = stat.substring(open + 1, close);
            String[] f = stat.substring(close + 2).split(" ");
            // f[0] is field 3 (state) of proc(5)
            long uid = 0;
            long euid = 0;
            for (String line : Files.readAllLines(dir.resolve("status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    String[] u = line.substring(4).trim().split("\\s+");
                    uid = Long.parseLong(u[0]);
                    euid = Long.parseLong(u[1]);
                }
            }
            byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
            List<String> cmdline = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    cmdline.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < raw.length) {
                cmdline.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
            }
            return new Proc(pid, comm, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    Long.parseLong(f[3]), Integer.parseInt(f[4]), Long.parseLong(f[5]), Long.parseLong(f[11]),
                    Long.parseLong(f[12]), Long.parseLong(f[16]), Long.parseLong(f[17]), Long.parseLong(f[19]),
                    Long.parseLong(f[20]), Long.parseLong(f[21]), uid, euid, cmdline);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Host facts shared by the rows: boot time, uptime, memory, user names. */
    private final class Host {
        final long bootSeconds;
        final double uptimeSeconds;
        final long memTotalKb;
        final Map<Long, String> users = new HashMap<>();

        Host() {
            long boot = 0;
            double up = 0;
            long mem = 0;
            try {
                for (String line : Files.readAllLines(proc.resolve("stat"))) {
                    if (line.startsWith("btime ")) {
                        boot = Long.parseLong(line.substring(6).trim());
                    }
                }
                up = Double.parseDouble(Files.readString(proc.resolve("uptime")).trim().split("\\s+")[0]);
                for (String line : Files.readAllLines(proc.resolve("meminfo"))) {
                    if (line.startsWith("MemTotal:")) {
                        mem = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // columns that need them show zeros
            }
            bootSeconds = boot;
            uptimeSeconds = up;
            memTotalKb = mem;
            try {
                for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                    String[] p = line.split(":");
                    if (p.length > 2) {
                        users.putIfAbsent(Long.parseLong(p[2]), p[0]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // numbers then
            }
        }

        String user(long uid, int width) {
            String name = users.get(uid);
            return name == null || name.length() > width ? Long.toString(uid) : name;
        }
    }

    private String value(String field, Proc p, Host h) {
        double elapsed = Math.max(0, h.uptimeSeconds - p.startTicks / (double) TICKS);
        long cpuTicks = p.utime + p.stime;
        Instant started = Instant.ofEpochSecond(h.bootSeconds + p.startTicks / TICKS);
        return switch (field) {
            case "pid" -> Long.toString(p.pid);
            case "ppid" -> Long.toString(p.ppid);
            case "uid" -> Long.toString(p.uid);
            case "euid" -> Long.toString(p.euid);
            case "user" -> h.user(p.euid, 8);
            case "euser" -> h.user(p.euid, 8);
            case "comm" -> p.comm;
            case "args", "command", "cmd" -> p.cmdline.isEmpty() ? "[" + p.comm + "]" : String.join(" ", p.cmdline);
            case "etime" -> elapsed((long) elapsed);
            case "time" -> cpuTime(cpuTicks / TICKS);
            case "stat" -> stat(p);
            case "s" -> String.valueOf(p.state);
            case "rss" -> Long.toString(p.rssPages * PAGE_KB);
            case "vsz" -> Long.toString(p.vsize / 1024);
            case "pcpu", "%cpu" -> String.format(Locale.ROOT, "%.1f",
                    elapsed <= 0 ? 0.0 : cpuTicks * 100.0 / TICKS / elapsed);
            case "pmem", "%mem" -> String.format(Locale.ROOT, "%.1f",
                    h.memTotalKb == 0 ? 0.0 : p.rssPages * PAGE_KB * 100.0 / h.memTotalKb);
            case "tty", "tname" -> tty(p.ttyNr);
            case "stime", "start" -> startTime(started);
            case "c" -> Long.toString(elapsed <= 0 ? 0 : (long) (cpuTicks * 100.0 / TICKS / elapsed));
            case "nlwp" -> Long.toString(p.threads);
            case "pgid" -> Long.toString(p.pgrp);
            case "sid" -> Long.toString(p.session);
            case "ni" -> Long.toString(p.nice);
            default -> "-";
        };
    }

    private static String stat(Proc p) {
        StringBuilder s = new StringBuilder().append(p.state);
        if (p.nice < 0) {
            s.append('<');
        } else if (p.nice > 0) {
            s.append('N');
        }
        if (p.session == p.pid) {
            s.append('s');
        }
        if (p.threads > 1) {
            s.append('l');
        }
        if (p.ttyNr != 0 && p.tpgid == p.pgrp) {
            s.append('+');
        }
        return s.toString();
    }

    /** A tty number as ps names it: pts/N for pseudo-terminals, ttyN for consoles, ? for none. */
    static String tty(int ttyNr) {
        if (ttyNr == 0) {
            return "?";
        }
        int major = (ttyNr >> 8) & 0xfff;
        int minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
        if (major >= 136 && major <= 143) {
            return "pts/" + (minor + (major - 136) * 256);
        }
        if (major == 4 && minor < 64) {
            return "tty" + minor;
        }
        return "?";
    }

    /** ps's TIME: [DD-]HH:MM:SS. */
    static String cpuTime(long seconds) {
        long days = seconds / 86400;
        String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", (seconds / 3600) % 24, (seconds / 60) % 60,
                seconds % 60);
        return days > 0 ? days + "-" + hms : hms;
    }

    /** ps's ELAPSED: [[DD-]HH:]MM:SS. */
    static String elapsed(long seconds) {
        long days = seconds / 86400;
        long hours = (seconds / 3600) % 24;
        String ms = String.format(Locale.ROOT, "%02d:%02d", (seconds / 60) % 60, seconds % 60);
        if (days > 0) {
            return days + "-" + String.format(Locale.ROOT, "%02d:", hours) + ms;
        }
        return hours > 0 ? String.format(Locale.ROOT, "%02d:", hours) + ms : ms;
    }

    /** ps's STIME: the time of day within the last 24 hours, else the month and day, else the year. */
    private String startTime(Instant started) {
        ZoneId zone = clock.getZone();
        LocalDateTime s = LocalDateTime.ofInstant(started, zone);
        LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), zone);
        if (started.isAfter(clock.instant().minusSeconds(86400))) {
            return s.format(DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT));
        }
        if (s.getYear() == now.getYear()) {
            return s.format(DateTimeFormatter.ofPattern("MMMdd", Locale.ROOT));
        }
        return Integer.toString(s.getYear());
    }
}
