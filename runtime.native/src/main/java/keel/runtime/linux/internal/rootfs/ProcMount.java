package keel.runtime.linux.internal.rootfs;

import static keel.runtime.linux.internal.syscall.LinuxKernel.*;

import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * The container's /proc. procfs shows the PID namespace of whoever mounts it, and the thread that built the
 * container is still in the host's (only its children are in the new one), so a plain mount(2) would show every
 * host process. Instead the filesystem context gets the container's PID namespace explicitly (fsconfig "pidns",
 * Linux 6.15+) and is attached with move_mount(2) by a thread that has entered the container's mount namespace.
 */
public final class ProcMount {

    private final LinuxKernel k;

    public ProcMount(LinuxKernel k) {
        this.k = k;
    }

    /**
     * @param pidnsFd the container's PID namespace (the launch thread's pid_for_children)
     */
    public void mount(PlannedMount m, int pidnsFd, ContainerMounts mounts) throws ErrnoException {
        MountOptions o = m.options();
        mounts.mkdirAll(m.destination(), 0555);
        int fs = k.fsopen("proc", FSOPEN_CLOEXEC);
        try {
            k.fsconfigFd(fs, "pidns", pidnsFd);
            // mountinfo's source column, "proc" as with mount(2)
            k.fsconfigString(fs, "source", m.mount().source() == null ? "proc" : m.mount().source());
            for (String opt : o.data().isEmpty() ? new String[0] : o.data().split(",")) {
                int eq = opt.indexOf('=');
                if (eq > 0) {
                    k.fsconfigString(fs, opt.substring(0, eq), opt.substring(eq + 1));
                } else {
                    k.fsconfigFlag(fs, opt);
                }
            }
            k.fsconfigCreate(fs);
            int mnt = k.fsmount(fs, FSMOUNT_CLOEXEC, o.mountAttributes());
            try {
                k.moveMount(mnt, "", AT_FDCWD, m.destination(), MOVE_MOUNT_F_EMPTY_PATH);
            } finally {
                k.close(mnt);
            }
        } finally {
            k.close(fs);
        }
        if (o.propagation() != 0) {
            k.mount(null, m.destination(), null, o.propagation(), null);
        }
    }
}
