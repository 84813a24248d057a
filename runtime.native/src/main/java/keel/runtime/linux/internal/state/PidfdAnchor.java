package keel.runtime.linux.internal.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * Keeps a container's pidfd alive across daemon restarts: the pidfd is bind-mounted onto a file in the state
 * directory (pidfs files can be mounted, Linux 6.9+). The mount holds the struct pid, so when the container exits
 * while no daemon runs and init reaps it, the kernel still records its exit status in the pidfd (Linux 6.15+,
 * PIDFD_INFO_EXIT), and the next daemon opens the file to get a pidfd back: to the same process (no PID-reuse
 * race), alive or with its exit code. A plain file, after a reboot, is not a pidfd and tells it the container is
 * gone.
 */
public final class PidfdAnchor {

    public static final String FILE = "pidfd";

    private PidfdAnchor() {}

    public static void create(LinuxKernel k, int pidfd, Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE);
        remove(k, stateDir);
        Files.createFile(file);
        int tree = k.openTree(pidfd, "", LinuxKernel.OPEN_TREE_CLONE | LinuxKernel.OPEN_TREE_CLOEXEC
                | LinuxKernel.AT_EMPTY_PATH);
        try {
            k.moveMount(tree, "", LinuxKernel.AT_FDCWD, file.toString(), LinuxKernel.MOVE_MOUNT_F_EMPTY_PATH);
        } finally {
            k.close(tree);
        }
    }

    /** A new pidfd from the anchor, or -1 when there is none (no file, or a file that is not a mounted pidfd). */
    public static int open(LinuxKernel k, Path stateDir) {
        Path file = stateDir.resolve(FILE);
        int fd;
        try {
            fd = k.open(file.toString(), LinuxKernel.O_RDONLY | LinuxKernel.O_CLOEXEC, 0);
        } catch (ErrnoException e) {
            return -1;
        }
        try {
            k.pidfdGetInfo(fd, LinuxKernel.PIDFD_INFO_PID);
            return fd;
        } catch (ErrnoException e) {
            if (e.errno() == LinuxKernel.ESRCH) {
                return fd; // a pidfd whose process is gone (and reaped): its exit info may still be there
            }
            k.close(fd); // ENOTTY: a plain file
            return -1;
        }
    }

    public static void remove(LinuxKernel k, Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE);
        try {
            k.umount2(file.toString(), LinuxKernel.MNT_DETACH);
        } catch (ErrnoException e) {
            if (e.errno() != LinuxKernel.EINVAL && e.errno() != LinuxKernel.ENOENT) {
                throw e;
            }
        }
        Files.deleteIfExists(file);
    }
}
