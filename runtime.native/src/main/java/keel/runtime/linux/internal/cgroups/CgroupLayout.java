package keel.runtime.linux.internal.cgroups;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import keel.runtime.linux.internal.rootfs.MountInfo;

/**
 * How this host mounts cgroups, found once at start from mountinfo: cgroup v1 (one hierarchy per controller, or a
 * few co-mounted ones), hybrid (v1 controllers plus a v2 hierarchy, usually /sys/fs/cgroup/unified, holding no
 * controllers that matter), or pure v2 (one unified hierarchy). Controllers bound to v1 cannot be used through v2,
 * so a host with any v1 controller hierarchy is driven as v1, as runc does.
 *
 * @param hierarchies v1: each hierarchy's mount point, keyed by the mount's directory name (e.g. {@code memory},
 *                    or {@code cpu,cpuacct} where co-mounted); named hierarchies ({@code name=systemd}) are
 *                    included, as runc joins them too (systemd in a container needs its own)
 * @param controllersByHierarchy v1: the controllers each hierarchy carries
 * @param unified the v2 mount point, or null
 */
public record CgroupLayout(Version version, Map<String, Path> hierarchies,
        Map<String, Set<String>> controllersByHierarchy, Path unified) {

    public enum Version {
        V1, HYBRID, V2, NONE;

        /** "1" or "2" for docker info ({@code CgroupVersion}). */
        public String number() {
            return this == V2 ? "2" : "1";
        }
    }

    private static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices",
            "freezer", "blkio", "pids", "net_cls", "net_prio", "perf_event", "hugetlb", "rdma", "misc");

    public static CgroupLayout detect(List<MountInfo> mounts) {
        Map<String, Path> hierarchies = new LinkedHashMap<>();
        Map<String, Set<String>> controllers = new LinkedHashMap<>();
        Path unified = null;
        for (MountInfo m : mounts) {
            if (m.fsType().equals("cgroup2")) {
                if (unified == null) {
                    unified = Path.of(m.mountPoint());
                }
            } else if (m.fsType().equals("cgroup")) {
                Set<String> carried = new java.util.TreeSet<>();
                for (String opt : m.superOptions().split(",")) {
                    if (V1_CONTROLLERS.contains(opt) || opt.startsWith("name=")) {
                        carried.add(opt);
                    }
                }
                if (carried.isEmpty()) {
                    continue;
                }
                // The same hierarchy can be mounted twice (bind mounts); the first mount point wins.
                String key = Path.of(m.mountPoint()).getFileName().toString();
                if (!hierarchies.containsKey(key) && !controllers.containsValue(carried)) {
                    hierarchies.put(key, Path.of(m.mountPoint()));
                    controllers.put(key, Set.copyOf(carried));
                }
            }
        }
        Version v;
        if (!hierarchies.isEmpty()) {
            v = unified != null ? Version.HYBRID : Version.V1;
        } else if (unified != null) {
            v = Version.V2;
        } else {
            v = Version.NONE;
        }
        return new CgroupLayout(v, Map.copyOf(hierarchies), Map.copyOf(controllers), unified);
    }

    /** The hierarchy that carries {@code controller} (v1), or null when it is not mounted. */
    public String hierarchyOf(String controller) {
        for (Map.Entry<String, Set<String>> e : controllersByHierarchy.entrySet()) {
            if (e.getValue().contains(controller)) {
                return e.getKey();
            }
        }
        return null;
    }

    public boolean isV2() {
        return version == Version.V2;
    }
}
