package keel.runtime.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import keel.runtime.linux.internal.cgroups.CgroupLayout;
import keel.runtime.linux.internal.rootfs.MountInfo;
import keel.runtime.linux.internal.syscall.JnrLinuxKernel;

/** Where a cgroup path lives on this host, per hierarchy, for assertions and test clean-up. */
final class CgroupDirs {

    private CgroupDirs() {}

    static CgroupLayout layout() {
        try {
            return CgroupLayout.detect(MountInfo.ofThisThread());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> of(String cgroupsPath) {
        CgroupLayout l = layout();
        List<Path> out = new ArrayList<>();
        String rel = cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath;
        if (l.isV2()) {
            out.add(l.unified().resolve(rel));
        } else {
            for (Path root : l.hierarchies().values()) {
                out.add(root.resolve(rel));
            }
        }
        return out;
    }

    /** One controller's directory of a cgroup (v1). */
    static Path of(String controller, String cgroupsPath) {
        CgroupLayout l = layout();
        String rel = cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath;
        return l.hierarchies().get(l.hierarchyOf(controller)).resolve(rel);
    }

    /** rmdir of the (empty) test parent we created, in every hierarchy. */
    static void removeParent(String cgroupsPath) {
        for (Path dir : of(cgroupsPath)) {
            if (Files.isDirectory(dir)) {
                try {
                    JnrLinuxKernel.instance().rmdir(dir.toString());
                } catch (Exception e) {
                    // still in use by another test class running in this JVM
                }
            }
        }
    }
}
