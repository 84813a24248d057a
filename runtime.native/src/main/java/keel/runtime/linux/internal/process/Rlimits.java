package keel.runtime.linux.internal.process;

import java.util.ArrayList;
import java.util.List;

import keel.engine.api.oci.Process;

/** process.rlimits as setrlimit(2) resource numbers (generic Linux numbering, the same on x86-64 and arm64). */
public final class Rlimits {

    /** One limit to set with prlimit(2). */
    public record Limit(String name, int resource, long soft, long hard) {}

    private static final List<String> NAMES = List.of("RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK",
            "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS",
            "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO",
            "RLIMIT_RTTIME");

    private Rlimits() {}

    public static List<Limit> of(List<Process.Rlimit> rlimits) {
        List<Limit> out = new ArrayList<>();
        if (rlimits == null) {
            return out;
        }
        for (Process.Rlimit r : rlimits) {
            int resource = NAMES.indexOf(r.type());
            if (resource < 0) {
                throw new IllegalArgumentException("invalid rlimit type " + r.type());
            }
            if (Long.compareUnsigned(r.soft(), r.hard()) > 0) {
                throw new IllegalArgumentException(r.type() + ": soft limit " + r.soft() + " above hard limit "
                        + r.hard());
            }
            out.add(new Limit(r.type(), resource, r.soft(), r.hard()));
        }
        return out;
    }
}
