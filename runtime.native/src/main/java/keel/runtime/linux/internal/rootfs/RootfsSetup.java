package keel.runtime.linux.internal.rootfs;

import static keel.runtime.linux.internal.syscall.LinuxKernel.*;

import java.util.ArrayList;
import java.util.List;

import keel.engine.api.oci.Linux;
import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * Builds the container's filesystem on the launch thread, which has unshared its mount namespace: propagation,
 * the rootfs made a mount point, bind sources opened while the host is visible, pivot_root, then every mount of
 * config.json in order (except /proc and what lies under it: see {@link ProcMount}), /dev, and finally a
 * read-only root if asked. Mirrors runc's prepareRootfs/finalizeRootfs.
 */
public final class RootfsSetup {

    private final LinuxKernel k;
    private final String rootfs;
    private final List<PlannedMount> mounts;
    private final long rootPropagation;
    private final boolean readonlyRoot;
    private final CgroupView cgroupView;
    private final ContainerMounts containerMounts;
    private int[] cgroupTrees = new int[0];

    public RootfsSetup(LinuxKernel k, String rootfs, List<PlannedMount> mounts, long rootPropagation,
            boolean readonlyRoot, CgroupView cgroupView) {
        this.k = k;
        this.rootfs = rootfs;
        this.mounts = mounts;
        this.rootPropagation = rootPropagation;
        this.readonlyRoot = readonlyRoot;
        this.cgroupView = cgroupView;
        this.containerMounts = new ContainerMounts(k);
    }

    /** rootfsPropagation as mount(2) flags; runc's default is rslave (host mounts still reach the container). */
    public static long propagationOf(String rootfsPropagation) {
        if (rootfsPropagation == null || rootfsPropagation.isEmpty()) {
            return MS_SLAVE | MS_REC;
        }
        MountOptions o = MountOptions.parse("", List.of(rootfsPropagation));
        if (o.propagation() == 0) {
            throw new IllegalArgumentException("invalid rootfsPropagation " + rootfsPropagation);
        }
        return o.propagation();
    }

    public ContainerMounts containerMounts() {
        return containerMounts;
    }

    /** Before pivot_root, still seeing the host. */
    public void prepare() throws ErrnoException {
        // pivot_root refuses shared mounts, and a shared tree would leak the container's mounts to the host.
        boolean shared = (rootPropagation & MS_SHARED) != 0;
        k.mount(null, "/", null, shared ? MS_SLAVE | MS_REC : rootPropagation, null);
        k.mount(rootfs, rootfs, null, MS_BIND | MS_REC, null);
        for (PlannedMount m : mounts) {
            if (m.isBind()) {
                String src = m.mount().source();
                if (src == null || !src.startsWith("/")) {
                    throw new ErrnoException("bind mount source " + src + " for " + m.destination(), EINVAL,
                            "Invalid argument");
                }
                boolean dir;
                try {
                    dir = k.stat(src, true).isDirectory();
                } catch (ErrnoException e) {
                    throw new ErrnoException("stat " + src, e.errno(), e.goStyleReason());
                }
                int flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (m.options().recursiveBind() ? AT_RECURSIVE : 0);
                m.source(k.openTree(AT_FDCWD, src, flags), dir);
            }
        }
        if (cgroupView != null && mounts.stream().anyMatch(PlannedMount::isCgroup)) {
            cgroupTrees = cgroupView.openTrees(k);
        }
    }

    /** pivot_root(".", ".") then a lazy unmount of the old root stacked on top (runc's trick: no put_old dir). */
    public void pivot() throws ErrnoException {
        k.chdir(rootfs);
        k.pivotRoot(".", ".");
        k.umount2(".", MNT_DETACH);
        k.chdir("/");
        if ((rootPropagation & MS_SHARED) != 0) {
            k.mount(null, "/", null, rootPropagation, null);
        }
    }

    /**
     * Every mount in order, except proc and the mounts below a proc mount, which are returned (in order) for the
     * step that can mount proc.
     */
    public List<PlannedMount> mountAll() throws ErrnoException {
        List<PlannedMount> deferred = new ArrayList<>();
        PlannedMount proc = null;
        for (PlannedMount m : mounts) {
            if (!m.destination().startsWith("/")) {
                throw new ErrnoException("mount destination " + m.destination() + " is not absolute", EINVAL,
                        "Invalid argument");
            }
            if (m.isProc()) {
                proc = m;
                deferred.add(m);
                // The mount point is made now: with root.readonly the root is read-only by the time proc is
                // mounted (an image need not have /proc at all; runc creates it the same way).
                containerMounts.mkdirAll(m.destination(), 0555);
            } else if (proc != null && proc.covers(m.destination())) {
                deferred.add(m);
            } else if (m.isCgroup()) {
                if (cgroupView != null && cgroupView.hierarchies().size() > 0) {
                    containerMounts.mountCgroups(m, cgroupView, cgroupTrees);
                }
            } else {
                try {
                    containerMounts.mount(m);
                } catch (ErrnoException e) {
                    throw new ErrnoException("mount " + describe(m), e.errno(), e.goStyleReason());
                }
            }
        }
        return deferred;
    }

    static String describe(PlannedMount m) {
        return "\"" + (m.mount().source() == null ? m.type() : m.mount().source()) + "\" to rootfs at \""
                + m.destination() + "\"";
    }

    /** Device nodes and /dev links, when the container has its own /dev (a tmpfs from the mount list). */
    public void devices(List<Linux.Device> devices, boolean withCore) throws ErrnoException {
        boolean ownDev = mounts.stream().anyMatch(m -> m.destination().equals("/dev") && !m.isBind());
        DeviceNodes nodes = new DeviceNodes(k, containerMounts);
        if (ownDev) {
            nodes.create(DeviceNodes.all(devices));
            nodes.symlinks(withCore);
        } else if (devices != null && !devices.isEmpty()) {
            nodes.create(devices);
        }
        if (mounts.stream().anyMatch(m -> m.destination().equals("/dev/pts") && !m.isBind())) {
            nodes.ptmx();
        }
    }

    /** Last: root.readonly (only the root mount itself, as runc's remount does). */
    public void finish() throws ErrnoException {
        if (readonlyRoot) {
            k.mountSetattr(AT_FDCWD, "/", 0, MOUNT_ATTR_RDONLY, 0, 0);
        }
    }

    public void closeTrees() {
        for (PlannedMount m : mounts) {
            k.close(m.treeFd());
        }
        for (int fd : cgroupTrees) {
            k.close(fd);
        }
    }
}
