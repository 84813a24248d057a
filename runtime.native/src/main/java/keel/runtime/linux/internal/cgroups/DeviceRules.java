package keel.runtime.linux.internal.cgroups;

import java.util.ArrayList;
import java.util.List;

import keel.engine.api.oci.Linux;

/**
 * linux.resources.devices as the devices controller takes them. As runc does, the devices every container needs
 * (the standard nodes, ptys, mknod of anything) are allowed after the spec's own rules, so a spec that denies
 * everything first (Docker's does) still gets a working /dev.
 */
public final class DeviceRules {

    /** One line for devices.allow or devices.deny, e.g. {@code c 1:3 rwm}. */
    public record Line(boolean allow, String text) {}

    /** What runc's specconv appends to every container's rules. */
    private static final List<Linux.DeviceRule> ALWAYS_ALLOWED = List.of(
            rule("c", null, null, "m"), rule("b", null, null, "m"),
            rule("c", 1L, 3L, "rwm"), rule("c", 1L, 8L, "rwm"), rule("c", 1L, 7L, "rwm"),
            rule("c", 5L, 0L, "rwm"), rule("c", 1L, 5L, "rwm"), rule("c", 1L, 9L, "rwm"),
            rule("c", 136L, null, "rwm"), rule("c", 5L, 2L, "rwm"), rule("c", 10L, 200L, "rwm"));

    private DeviceRules() {}

    private static Linux.DeviceRule rule(String type, Long major, Long minor, String access) {
        return new Linux.DeviceRule(true, type, major, minor, access);
    }

    public static List<Linux.DeviceRule> withDefaults(List<Linux.DeviceRule> rules) {
        List<Linux.DeviceRule> all = new ArrayList<>(rules);
        all.addAll(ALWAYS_ALLOWED);
        return all;
    }

    public static List<Line> forV1(List<Linux.DeviceRule> rules) {
        List<Line> out = new ArrayList<>();
        for (Linux.DeviceRule r : withDefaults(rules)) {
            out.add(new Line(r.allow(), format(r)));
        }
        return out;
    }

    static String format(Linux.DeviceRule r) {
        String type = r.type() == null || r.type().isEmpty() ? "a" : r.type();
        if (!type.equals("a") && !type.equals("b") && !type.equals("c")) {
            throw new IllegalArgumentException("invalid device rule type " + type);
        }
        String access = r.access() == null || r.access().isEmpty() ? "rwm" : r.access();
        if (!access.matches("[rwm]{1,3}")) {
            throw new IllegalArgumentException("invalid device rule access " + access);
        }
        if (type.equals("a")) {
            return "a *:* " + access;
        }
        return type + " " + number(r.major()) + ":" + number(r.minor()) + " " + access;
    }

    private static String number(Long n) {
        return n == null || n < 0 ? "*" : Long.toString(n);
    }
}
