package keel.runtime.linux.internal.process;

import java.util.List;

import keel.engine.api.oci.Process;

/**
 * The five capability sets of an OCI process as 64-bit masks (capabilities(7)). Names the kernel does not know
 * (newer than cap_last_cap) are left out, as runc does, so a spec written for a newer kernel still starts.
 */
public record Capabilities(long bounding, long effective, long permitted, long inheritable, long ambient) {

    private static final List<String> NAMES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
            "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
            "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
            "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
            "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    /** The capability's number, or -1 when the name is unknown. */
    public static int number(String name) {
        String n = name.toUpperCase();
        if (!n.startsWith("CAP_")) {
            n = "CAP_" + n;
        }
        return NAMES.indexOf(n);
    }

    public static String name(int number) {
        return number >= 0 && number < NAMES.size() ? NAMES.get(number) : "CAP_" + number;
    }

    /** Masks for the spec's sets; a null {@code capabilities} section means none at all. */
    public static Capabilities of(Process.Capabilities c, int lastCap) {
        if (c == null) {
            return new Capabilities(0, 0, 0, 0, 0);
        }
        return new Capabilities(mask(c.bounding(), lastCap), mask(c.effective(), lastCap),
                mask(c.permitted(), lastCap), mask(c.inheritable(), lastCap), mask(c.ambient(), lastCap));
    }

    public static long mask(List<String> names, int lastCap) {
        long m = 0;
        if (names != null) {
            for (String name : names) {
                int n = number(name);
                if (n >= 0 && n <= lastCap) {
                    m |= 1L << n;
                }
            }
        }
        return m;
    }
}
