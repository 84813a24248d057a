package keel.engine.core.internal.container.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What Docker's spec depends on about the host, gathered once by {@link #detect} (plain file reads under /proc and
 * /sys, no system calls) so that the spec logic itself stays a pure function that tests can feed any host.
 *
 * @param cgroupVersion          2 when /sys/fs/cgroup is cgroup2 (Docker's "unified" mode), else 1 (legacy and
 *                               hybrid hosts both count as v1, as in Docker)
 * @param cpuCount               online CPUs (Go's runtime.NumCPU: the --cpus range check)
 * @param cpusetCpus             cpus available to containers, cgroup list syntax ("0-3")
 * @param cpusetMems             memory nodes available ("0")
 * @param capabilities           the daemon's effective capabilities, in capability-number order: what
 *                               {@code --privileged} grants and what CapAdd may name
 * @param recursiveReadOnly      kernel >= 5.12 (mount_setattr): read-only binds are made recursively read-only
 *                               ("rro"), as Docker 25+ does when the runtime supports it
 * @param thermalThrottlePaths   /sys/devices/system/cpu/cpuN/thermal_throttle that exist; Docker masks them
 *                               (GHSA-6fw5-f8r9-fgfm)
 * @param pingGroupRange         /proc/sys/net/ipv4/ping_group_range exists (Docker sets it in private netns)
 * @param unprivilegedPortStart  /proc/sys/net/ipv4/ip_unprivileged_port_start exists (idem)
 * @param swapLimit              the memory cgroup can limit swap (v1: memory.memsw.* present; v2: always)
 * @param hostname               the host's hostname: a {@code --network host} container's default hostname
 * @param dataRoot               the daemon's data root: binds of it (or of a parent of it) get rslave propagation
 * @param appArmor               AppArmor is enabled; Keel loads no profile of its own, so this only decides
 *                               whether an explicit {@code apparmor=} security option reaches the spec
 */
public record HostFacts(int cgroupVersion, int cpuCount, String cpusetCpus, String cpusetMems,
        List<String> capabilities, boolean recursiveReadOnly, List<String> thermalThrottlePaths,
        boolean pingGroupRange, boolean unprivilegedPortStart, boolean swapLimit, String hostname, Path dataRoot,
        boolean appArmor) {

    public HostFacts {
        capabilities = List.copyOf(capabilities);
        thermalThrottlePaths = List.copyOf(thermalThrottlePaths);
    }

    public HostFacts withCgroupVersion(int v) {
        return new HostFacts(v, cpuCount, cpusetCpus, cpusetMems, capabilities, recursiveReadOnly,
                thermalThrottlePaths, pingGroupRange, unprivilegedPortStart, swapLimit, hostname, dataRoot, appArmor);
    }

    public HostFacts withCapabilities(List<String> caps) {
        return new HostFacts(cgroupVersion, cpuCount, cpusetCpus, cpusetMems, caps, recursiveReadOnly,
                thermalThrottlePaths, pingGroupRange, unprivilegedPortStart, swapLimit, hostname, dataRoot, appArmor);
    }

    public HostFacts withRecursiveReadOnly(boolean rro) {
        return new HostFacts(cgroupVersion, cpuCount, cpusetCpus, cpusetMems, capabilities, rro,
                thermalThrottlePaths, pingGroupRange, unprivilegedPortStart, swapLimit, hostname, dataRoot, appArmor);
    }

    public HostFacts withSwapLimit(boolean swap) {
        return new HostFacts(cgroupVersion, cpuCount, cpusetCpus, cpusetMems, capabilities, recursiveReadOnly,
                thermalThrottlePaths, pingGroupRange, unprivilegedPortStart, swap, hostname, dataRoot, appArmor);
    }

    /** Reads the facts of this host; {@code dataRoot} is the daemon's data root. */
    public static HostFacts detect(Path dataRoot) {
        return detect(Path.of("/"), dataRoot);
    }

    /** Reads the facts from a tree laid out like / (tests pass a fake one). */
    static HostFacts detect(Path root, Path dataRoot) {
        int cgroup = isCgroup2(root.resolve("sys/fs/cgroup")) ? 2 : 1;
        String cpus = firstNonBlank(read(root.resolve("sys/fs/cgroup/cpuset.cpus.effective")),
                read(root.resolve("sys/fs/cgroup/cpuset/cpuset.effective_cpus")),
                read(root.resolve("sys/devices/system/cpu/online")), "0");
        String mems = firstNonBlank(read(root.resolve("sys/fs/cgroup/cpuset.mems.effective")),
                read(root.resolve("sys/fs/cgroup/cpuset/cpuset.effective_mems")),
                read(root.resolve("sys/devices/system/node/online")), "0");
        List<String> thermal = new ArrayList<>();
        String possible = read(root.resolve("sys/devices/system/cpu/possible"));
        if (possible != null) {
            try {
                for (int cpu : CpuList.parse(possible.trim(), 8192)) {
                    Path p = root.resolve("sys/devices/system/cpu/cpu" + cpu + "/thermal_throttle");
                    if (Files.exists(p)) {
                        thermal.add("/sys/devices/system/cpu/cpu" + cpu + "/thermal_throttle");
                    }
                }
            } catch (IllegalArgumentException e) {
                // an unreadable list only costs the extra masks, as in Docker
            }
        }
        boolean swap = cgroup == 2 || Files.exists(root.resolve("sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"));
        String hostname = firstNonBlank(read(root.resolve("proc/sys/kernel/hostname")), "localhost");
        String aa = read(root.resolve("sys/module/apparmor/parameters/enabled"));
        return new HostFacts(cgroup, Runtime.getRuntime().availableProcessors(), cpus.trim(), mems.trim(),
                effectiveCapabilities(read(root.resolve("proc/self/status"))),
                kernelAtLeast(read(root.resolve("proc/sys/kernel/osrelease")), 5, 12), thermal,
                Files.exists(root.resolve("proc/sys/net/ipv4/ping_group_range")),
                Files.exists(root.resolve("proc/sys/net/ipv4/ip_unprivileged_port_start")), swap, hostname.trim(),
                dataRoot, aa != null && aa.trim().startsWith("Y"));
    }

    /** The names in CapEff of a /proc/PID/status, or every known capability when it cannot be read (as Docker). */
    static List<String> effectiveCapabilities(String status) {
        if (status != null) {
            for (String line : status.split("\n")) {
                if (line.startsWith("CapEff:")) {
                    long bits = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    List<String> caps = new ArrayList<>();
                    for (int i = 0; i < CapabilitySet.KNOWN.size(); i++) {
                        if ((bits & (1L << i)) != 0) {
                            caps.add(CapabilitySet.KNOWN.get(i));
                        }
                    }
                    return caps;
                }
            }
        }
        return CapabilitySet.KNOWN;
    }

    static boolean kernelAtLeast(String release, int major, int minor) {
        if (release == null) {
            return false;
        }
        String[] parts = release.trim().split("[.-]");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isCgroup2(Path p) {
        try {
            return Files.exists(p) && "cgroup2".equals(Files.getFileStore(p).type());
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
