package keel.runtime.linux.internal.cgroups;

import java.nio.file.Path;
import java.util.Map;

import keel.runtime.linux.internal.cgroups.v1.CgroupV1Manager;
import keel.runtime.linux.internal.cgroups.v2.CgroupV2Manager;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/** Picks the manager for the host's cgroup layout. */
public final class CgroupManagers {

    private final LinuxKernel kernel;
    private final CgroupLayout layout;

    public CgroupManagers(LinuxKernel kernel, CgroupLayout layout) {
        this.kernel = kernel;
        this.layout = layout;
    }

    public CgroupLayout layout() {
        return layout;
    }

    /** A manager for a new container's cgroup at {@code cgroupsPath} (e.g. /keel/ID). */
    public CgroupManager forPath(String cgroupsPath) {
        return switch (layout.version()) {
            case V1, HYBRID -> new CgroupV1Manager(kernel, layout, cgroupsPath);
            case V2 -> new CgroupV2Manager(kernel, layout.unified(), cgroupsPath);
            case NONE -> throw new IllegalStateException("no cgroup filesystem is mounted on this host");
        };
    }

    /** A manager for an existing container's cgroups, from the paths its state kept. */
    public CgroupManager forPaths(String version, Map<String, Path> paths) {
        if ("2".equals(version)) {
            return new CgroupV2Manager(kernel, layout.unified(), paths.get(""));
        }
        return new CgroupV1Manager(kernel, layout, paths);
    }
}
