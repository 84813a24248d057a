package keel.runtime.linux.internal.rootfs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * What a config.json mount of type cgroup puts at /sys/fs/cgroup: the container's own cgroups and nothing above
 * them. With a cgroup namespace (v1), each controller hierarchy is mounted afresh, and the kernel roots it at the
 * namespace's root, the container's cgroup. Without one (Docker's default on v1), or on v2, where the namespace
 * would be rooted at the daemon's cgroup, the container's cgroup directories are bind-mounted instead, as runc
 * does.
 *
 * @param v2 a single unified hierarchy (mounted directly at the destination)
 */
public record CgroupView(boolean v2, boolean fresh, List<Hierarchy> hierarchies) {

    /**
     * @param name       the directory under /sys/fs/cgroup (e.g. {@code memory}, {@code cpu,cpuacct})
     * @param controllers what a fresh mount asks for
     * @param hostDir    the container's cgroup on the host, for bind mounts
     */
    public record Hierarchy(String name, List<String> controllers, Path hostDir) {}

    /** Detached copies of the host directories (bind case), opened before pivot_root; parallel to hierarchies. */
    public int[] openTrees(LinuxKernel k) throws ErrnoException {
        int[] fds = new int[hierarchies.size()];
        java.util.Arrays.fill(fds, -1);
        if (fresh) {
            return fds;
        }
        try {
            for (int i = 0; i < fds.length; i++) {
                fds[i] = k.openTree(LinuxKernel.AT_FDCWD, hierarchies.get(i).hostDir().toString(),
                        LinuxKernel.OPEN_TREE_CLONE | LinuxKernel.OPEN_TREE_CLOEXEC);
            }
        } catch (ErrnoException e) {
            for (int fd : fds) {
                k.close(fd);
            }
            throw e;
        }
        return fds;
    }

    /** Symlinks for co-mounted controllers ("cpu" -> "cpu,cpuacct"). */
    static List<String[]> comountLinks(Hierarchy h) {
        List<String[]> out = new ArrayList<>();
        if (h.name().contains(",")) {
            for (String c : h.name().split(",")) {
                out.add(new String[] {h.name(), c});
            }
        }
        return out;
    }
}
