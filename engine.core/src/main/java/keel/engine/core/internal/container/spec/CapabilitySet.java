package keel.engine.core.internal.container.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import keel.engine.api.errors.EngineException;

/**
 * Docker's capability arithmetic (moby oci/caps): the default set, the names a kernel knows, and how
 * {@code CapAdd}/{@code CapDrop}/{@code Privileged} change the default set.
 */
final class CapabilitySet {

    /**
     * Every capability of Linux 5.9+, in capability-number order (0 = CAP_CHOWN ... 40 = CAP_CHECKPOINT_RESTORE).
     * "All capabilities" is this list filtered by what the daemon itself holds, in this order.
     */
    static final List<String> KNOWN = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    /** Docker's default set (moby oci/caps/defaults.go), in Docker's order. */
    static final List<String> DEFAULT = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
            "CAP_AUDIT_WRITE");

    private static final String ALL = "ALL";

    private final List<String> available;
    private final Set<String> availableSet;

    /** @param available the capabilities the daemon holds (its effective set), in capability-number order */
    CapabilitySet(List<String> available) {
        this.available = List.copyOf(available);
        this.availableSet = Set.copyOf(available);
    }

    /** What {@code --privileged} and {@code CapAdd: ["ALL"]} grant. */
    List<String> all() {
        return available;
    }

    /**
     * Upper-cases, adds the {@code CAP_} prefix and checks each name; {@code ALL} passes through. The messages are
     * Docker's: a name the kernel does not know is "unknown", one the daemon does not hold is "not supported".
     */
    List<String> normalize(List<String> caps) {
        List<String> out = new ArrayList<>();
        if (caps == null) {
            return out;
        }
        for (String c : caps) {
            String n = c.toUpperCase(Locale.ROOT);
            if (n.equals(ALL)) {
                out.add(n);
                continue;
            }
            if (!n.startsWith("CAP_")) {
                n = "CAP_" + n;
            }
            if (!KNOWN.contains(n)) {
                throw EngineException.invalid("unknown capability: " + GoQuoted.of(n));
            }
            if (!availableSet.contains(n)) {
                throw EngineException.invalid(
                        "capability not supported by your kernel or not available in the current environment: "
                                + GoQuoted.of(n));
            }
            out.add(n);
        }
        return out;
    }

    /**
     * The container's capabilities. Privileged gets all; otherwise drops apply to the defaults, then adds are
     * appended (Docker does not de-duplicate: {@code --cap-add CHOWN} lists CAP_CHOWN twice, which runtimes
     * accept). {@code CapAdd ALL} means all but the drops; {@code CapDrop ALL} means only the adds.
     */
    List<String> tweak(List<String> adds, List<String> drops, boolean privileged) {
        if (privileged) {
            return all();
        }
        if ((adds == null || adds.isEmpty()) && (drops == null || drops.isEmpty())) {
            return DEFAULT;
        }
        List<String> capDrop = normalize(drops);
        List<String> capAdd = normalize(adds);
        List<String> caps = new ArrayList<>();
        if (capAdd.contains(ALL)) {
            for (String c : all()) {
                if (!capDrop.contains(c)) {
                    caps.add(c);
                }
            }
        } else if (capDrop.contains(ALL)) {
            caps.addAll(capAdd);
        } else {
            for (String c : DEFAULT) {
                if (!capDrop.contains(c)) {
                    caps.add(c);
                }
            }
            caps.addAll(capAdd);
        }
        return List.copyOf(caps);
    }
}
