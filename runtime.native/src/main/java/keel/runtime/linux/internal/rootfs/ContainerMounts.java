package keel.runtime.linux.internal.rootfs;

import static keel.runtime.linux.internal.syscall.LinuxKernel.*;

import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * Makes config.json mounts inside the container's mount namespace, after pivot_root: every destination is then
 * resolved in the container's root, so a symlink in the image (or a "..") cannot lead a mount out to the host
 * (the class of bug of CVE-2015-3627 and CVE-2021-30465, which runc closes with its secure-join). Bind sources
 * were opened on the host before the pivot as detached trees.
 */
public final class ContainerMounts {

    private final LinuxKernel k;

    public ContainerMounts(LinuxKernel k) {
        this.k = k;
    }

    /** Mounts one entry (proc and cgroup entries have their own steps). */
    public void mount(PlannedMount m) throws ErrnoException {
        String dest = m.destination();
        MountOptions o = m.options();
        if (m.isBind()) {
            if (m.sourceIsDirectory()) {
                mkdirAll(dest, 0755);
            } else {
                createFile(dest);
            }
            long attrs = o.mountAttributes();
            if (attrs != 0) {
                // Non-recursive, like MS_REMOUNT|MS_BIND: only the top mount of an rbind gets "ro".
                k.mountSetattr(m.treeFd(), "", AT_EMPTY_PATH, attrs, 0, 0);
            }
            if (o.recursiveSet() != 0 || o.recursiveClear() != 0) {
                k.mountSetattr(m.treeFd(), "", AT_EMPTY_PATH | AT_RECURSIVE, o.recursiveSet(), o.recursiveClear(),
                        0);
            }
            k.moveMount(m.treeFd(), "", AT_FDCWD, dest, MOVE_MOUNT_F_EMPTY_PATH);
        } else {
            mkdirAll(dest, 0755);
            String source = m.mount().source() == null ? m.type() : m.mount().source();
            k.mount(source, dest, m.type(), o.newMountFlags(), o.data().isEmpty() ? null : o.data());
        }
        if (o.propagation() != 0) {
            k.mount(null, dest, null, o.propagation(), null);
        }
    }

    /** The container's view of its cgroups at {@code dest} (see {@link CgroupView}). */
    public void mountCgroups(PlannedMount m, CgroupView view, int[] trees) throws ErrnoException {
        String dest = m.destination();
        MountOptions o = m.options();
        long flags = o.newMountFlags();
        mkdirAll(dest, 0755);
        if (view.v2()) {
            k.moveMount(trees[0], "", AT_FDCWD, dest, MOVE_MOUNT_F_EMPTY_PATH);
            long attrs = o.mountAttributes();
            if (attrs != 0) {
                k.mountSetattr(AT_FDCWD, dest, 0, attrs, 0, 0);
            }
            return;
        }
        // As runc does, the tmpfs holding the hierarchies stays writable; the cgroup mounts get the options.
        k.mount("tmpfs", dest, "tmpfs", flags & ~MS_RDONLY, "mode=755");
        for (int i = 0; i < view.hierarchies().size(); i++) {
            CgroupView.Hierarchy h = view.hierarchies().get(i);
            String target = dest + "/" + h.name();
            mkdirAll(target, 0755);
            if (view.fresh()) {
                k.mount("cgroup", target, "cgroup", flags, String.join(",", h.controllers()));
            } else {
                k.moveMount(trees[i], "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH);
                long attrs = o.mountAttributes();
                if (attrs != 0) {
                    k.mountSetattr(AT_FDCWD, target, 0, attrs, 0, 0);
                }
            }
            for (String[] link : CgroupView.comountLinks(h)) {
                try {
                    k.symlink(link[0], dest + "/" + link[1]);
                } catch (ErrnoException e) {
                    if (e.errno() != EEXIST) {
                        throw e;
                    }
                }
            }
        }
    }

    /** mkdir -p inside the container; an existing non-directory is an error (ENOTDIR). */
    public void mkdirAll(String path, int mode) throws ErrnoException {
        StringBuilder cur = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            cur.append('/').append(part);
            k.mkdirIfAbsent(cur.toString(), mode);
        }
        if (cur.length() > 0 && !k.stat(cur.toString(), true).isDirectory()) {
            throw new ErrnoException("mkdir(" + path + ")", ENOTDIR, "Not a directory");
        }
    }

    /** An empty file to bind a file onto (its parents made as needed). */
    public void createFile(String path) throws ErrnoException {
        int slash = path.lastIndexOf('/');
        if (slash > 0) {
            mkdirAll(path.substring(0, slash), 0755);
        }
        LinuxKernel.FileStat st = k.statIfExists(path, true);
        if (st != null) {
            if (st.isDirectory()) {
                throw new ErrnoException("mount point " + path, EISDIR, "Is a directory");
            }
            return;
        }
        k.close(k.open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
    }
}
