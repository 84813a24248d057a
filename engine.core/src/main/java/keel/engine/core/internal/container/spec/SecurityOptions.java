package keel.engine.core.internal.container.spec;

import java.util.ArrayList;
import java.util.List;

import keel.engine.api.errors.EngineException;

/**
 * HostConfig.SecurityOpt parsed as Docker parses it (daemon_unix.go parseSecurityOpt): {@code no-new-privileges[
 * =|:true|false]}, {@code writable-cgroups[=bool]}, {@code seccomp=}, {@code apparmor=}, {@code label=} and the
 * bare {@code disable}. {@code key:value} is Docker's deprecated separator, still accepted.
 *
 * <p>Keel has no seccomp filter yet: {@code seccomp=unconfined} and {@code seccomp=builtin} are accepted (both
 * mean "no filter" here), a custom profile is refused rather than silently not applied. SELinux labels are
 * accepted and ignored, as Docker ignores them on hosts without SELinux.
 *
 * @param noNewPrivileges  null when the option was not given (the daemon default applies)
 * @param writableCgroups  null when not given (privileged decides)
 */
record SecurityOptions(Boolean noNewPrivileges, Boolean writableCgroups, String seccompProfile,
        String appArmorProfile, List<String> labels) {

    static final String SECCOMP_UNCONFINED = "unconfined";
    static final String SECCOMP_BUILTIN = "builtin";

    static SecurityOptions parse(List<String> opts) {
        Boolean nnp = null;
        Boolean writable = null;
        String seccomp = null;
        String apparmor = null;
        List<String> labels = new ArrayList<>();
        if (opts != null) {
            for (String opt : opts) {
                if (opt.equals("no-new-privileges")) {
                    nnp = true;
                    continue;
                }
                if (opt.equals("writable-cgroups")) {
                    writable = true;
                    continue;
                }
                if (opt.equals("disable")) {
                    labels.add("disable");
                    continue;
                }
                int sep = opt.indexOf('=');
                if (sep < 0) {
                    sep = opt.indexOf(':');
                }
                if (sep < 0) {
                    throw EngineException.invalid("invalid --security-opt 1: " + GoQuoted.of(opt));
                }
                String k = opt.substring(0, sep);
                String v = opt.substring(sep + 1);
                switch (k) {
                    case "label" -> labels.add(v);
                    case "apparmor" -> apparmor = v;
                    case "seccomp" -> seccomp = v;
                    case "no-new-privileges" -> nnp = parseBool(v, opt);
                    case "writable-cgroups" -> writable = parseBool(v, opt);
                    default -> throw EngineException.invalid("invalid --security-opt 2: " + GoQuoted.of(opt));
                }
            }
        }
        if (seccomp != null && !seccomp.isEmpty() && !seccomp.equals(SECCOMP_UNCONFINED)
                && !seccomp.equals(SECCOMP_BUILTIN)) {
            throw EngineException.invalid(
                    "custom seccomp profiles are not supported yet: Keel applies no seccomp filter (use "
                            + "seccomp=unconfined)");
        }
        return new SecurityOptions(nnp, writable, seccomp, apparmor, List.copyOf(labels));
    }

    /** Go's strconv.ParseBool. */
    private static boolean parseBool(String v, String opt) {
        return switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw EngineException.invalid("invalid --security-opt 2: " + GoQuoted.of(opt));
        };
    }
}
