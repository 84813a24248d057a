package keel.runtime.linux.internal.rootfs;

import static keel.runtime.linux.internal.syscall.LinuxKernel.*;

import java.util.List;

import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * linux.readonlyPaths and linux.maskedPaths, in runc's order (read-only first, then masks), after /proc is
 * mounted. A masked file gets /dev/null bound over it, a masked directory an empty read-only tmpfs; paths that
 * do not exist are skipped (a kernel without /proc/timer_stats, say).
 */
public final class PathMasks {

    private final LinuxKernel k;

    public PathMasks(LinuxKernel k) {
        this.k = k;
    }

    public void readonly(List<String> paths) throws ErrnoException {
        if (paths == null) {
            return;
        }
        for (String p : paths) {
            if (k.statIfExists(p, false) == null) {
                continue;
            }
            try {
                k.mount(p, p, null, MS_BIND | MS_REC, null);
            } catch (ErrnoException e) {
                if (e.errno() == ENOENT) {
                    continue;
                }
                throw e;
            }
            // mount_setattr keeps the flags the mount already had (nosuid, noexec...), unlike a bind remount.
            k.mountSetattr(AT_FDCWD, p, AT_RECURSIVE, MOUNT_ATTR_RDONLY, 0, 0);
        }
    }

    public void mask(List<String> paths) throws ErrnoException {
        if (paths == null) {
            return;
        }
        for (String p : paths) {
            LinuxKernel.FileStat st;
            try {
                st = k.statIfExists(p, true);
            } catch (ErrnoException e) {
                if (e.errno() == ENOTDIR) {
                    continue;
                }
                throw e;
            }
            if (st == null) {
                continue;
            }
            if (st.isDirectory()) {
                k.mount("tmpfs", p, "tmpfs", MS_RDONLY, null);
            } else {
                k.mount("/dev/null", p, null, MS_BIND, null);
            }
        }
    }
}
