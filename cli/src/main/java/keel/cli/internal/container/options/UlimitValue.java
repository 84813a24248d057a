package keel.cli.internal.container.options;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** go-units ParseUlimit: {@code name=soft[:hard]}, the hard limit defaulting to the soft one. */
public record UlimitValue(String name, long soft, long hard) {

    private static final Set<String> NAMES = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
            "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    public static UlimitValue parse(String val) throws BadValue {
        int eq = val.indexOf('=');
        if (eq < 0) {
            throw new BadValue("invalid ulimit argument: " + val);
        }
        String name = val.substring(0, eq);
        String limits = val.substring(eq + 1);
        if (!NAMES.contains(name)) {
            throw new BadValue("invalid ulimit type: " + name);
        }
        String[] parts = limits.split(":", -1);
        long soft;
        long hard;
        if (parts.length == 2) {
            hard = GoNumbers.parseInt(parts[1], 10, 64);
            soft = GoNumbers.parseInt(parts[0], 10, 64);
        } else if (parts.length == 1) {
            soft = GoNumbers.parseInt(parts[0], 10, 64);
            hard = soft;
        } else {
            throw new BadValue("too many limit value arguments - " + limits
                    + ", can only have up to two, `soft[:hard]`");
        }
        if (hard != -1) {
            if (soft == -1) {
                throw new BadValue("ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), "
                        + "hard: " + hard);
            }
            if (soft > hard) {
                throw new BadValue("ulimit soft limit must be less than or equal to hard limit: " + soft + " > " + hard);
            }
        }
        return new UlimitValue(name, soft, hard);
    }

    /** The JSON docker sends (container.Ulimit: Name, Hard, Soft). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", name);
        m.put("Hard", hard);
        m.put("Soft", soft);
        return m;
    }
}
