package keel.runtime.linux.internal.process;

import static keel.runtime.linux.internal.syscall.LinuxKernel.*;

import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * Who the container's process runs as, applied to the launch thread just before it spawns (a child inherits its
 * creator thread's credentials). Every call is per thread: the raw setgroups/setresgid/setresuid system calls,
 * capset, and the prctl bits (bounding set, ambient set, no_new_privs, keep-caps).
 */
public record Credentials(long uid, long gid, long[] additionalGids, Capabilities caps, boolean noNewPrivileges,
        int lastCap) {

    /**
     * The order matters: the bounding set can only shrink while CAP_SETPCAP is effective, the ids only change
     * while CAP_SETUID/CAP_SETGID are, and keep-caps makes the permitted set survive the switch away from uid 0 so
     * that capset can then choose the final sets.
     */
    public void apply(LinuxKernel kernel) throws ErrnoException {
        if (noNewPrivileges) {
            kernel.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        }
        for (int cap = 0; cap <= lastCap; cap++) {
            if ((caps.bounding() & (1L << cap)) == 0) {
                kernel.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
            }
        }
        kernel.prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
        kernel.setgroups(additionalGids);
        kernel.setresgid(gid, gid, gid);
        kernel.setresuid(uid, uid, uid);
        kernel.capset(caps.effective(), caps.permitted(), caps.inheritable());
        try {
            kernel.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        } catch (ErrnoException e) {
            if (e.errno() != EINVAL || caps.ambient() != 0) { // kernels before 4.3 have no ambient set
                throw e;
            }
        }
        for (int cap = 0; cap <= lastCap; cap++) {
            if ((caps.ambient() & (1L << cap)) != 0) {
                kernel.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0);
            }
        }
        kernel.prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
    }
}
