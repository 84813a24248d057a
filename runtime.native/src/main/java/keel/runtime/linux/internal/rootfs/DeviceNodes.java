package keel.runtime.linux.internal.rootfs;

import static keel.runtime.linux.internal.syscall.LinuxKernel.*;

import java.util.ArrayList;
import java.util.List;

import keel.engine.api.oci.Linux;
import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * The container's /dev: the nodes every Linux container has (runtime-spec "default devices"), the spec's
 * linux.devices, the /proc/self/fd links, and /dev/ptmx pointing into the container's own devpts instance (so a
 * pty opened in the container is the container's, not the host's).
 */
public final class DeviceNodes {

    private static final List<Linux.Device> DEFAULTS = List.of(
            new Linux.Device("c", "/dev/null", 1, 3, 0666, 0L, 0L),
            new Linux.Device("c", "/dev/zero", 1, 5, 0666, 0L, 0L),
            new Linux.Device("c", "/dev/full", 1, 7, 0666, 0L, 0L),
            new Linux.Device("c", "/dev/random", 1, 8, 0666, 0L, 0L),
            new Linux.Device("c", "/dev/urandom", 1, 9, 0666, 0L, 0L),
            new Linux.Device("c", "/dev/tty", 5, 0, 0666, 0L, 0L));

    private final LinuxKernel k;
    private final ContainerMounts mounts;

    public DeviceNodes(LinuxKernel k, ContainerMounts mounts) {
        this.k = k;
        this.mounts = mounts;
    }

    /** The defaults, then the spec's (which may replace a default at the same path). */
    public static List<Linux.Device> all(List<Linux.Device> spec) {
        List<Linux.Device> out = new ArrayList<>();
        for (Linux.Device d : DEFAULTS) {
            boolean replaced = spec != null && spec.stream().anyMatch(s -> s.path().equals(d.path()));
            if (!replaced) {
                out.add(d);
            }
        }
        if (spec != null) {
            out.addAll(spec);
        }
        return out;
    }

    public void create(List<Linux.Device> devices) throws ErrnoException {
        for (Linux.Device d : devices) {
            if (!d.path().startsWith("/dev/")) {
                throw new ErrnoException("device " + d.path() + " is not under /dev", EINVAL, "Invalid argument");
            }
            int slash = d.path().lastIndexOf('/');
            mounts.mkdirAll(d.path().substring(0, slash), 0755);
            int type = switch (d.type()) {
                case "c", "u" -> S_IFCHR;
                case "b" -> S_IFBLK;
                case "p" -> S_IFIFO;
                default -> throw new ErrnoException("device " + d.path() + " has type " + d.type(), EINVAL,
                        "Invalid argument");
            };
            int perm = d.fileMode() == null ? 0666 : d.fileMode() & 07777;
            try {
                k.mknod(d.path(), type | perm, (int) d.major(), (int) d.minor());
            } catch (ErrnoException e) {
                if (e.errno() != EEXIST) {
                    throw e;
                }
            }
            k.chown(d.path(), d.uid() == null ? 0 : d.uid(), d.gid() == null ? 0 : d.gid());
            k.chmod(d.path(), perm); // mknod's mode went through the umask
        }
    }

    /** /dev/fd, stdin, stdout, stderr (and core where the host has /proc/kcore), as runc makes them. */
    public void symlinks(boolean withCore) throws ErrnoException {
        link("/proc/self/fd", "/dev/fd");
        link("/proc/self/fd/0", "/dev/stdin");
        link("/proc/self/fd/1", "/dev/stdout");
        link("/proc/self/fd/2", "/dev/stderr");
        if (withCore) {
            link("/proc/kcore", "/dev/core");
        }
    }

    /** /dev/ptmx -> pts/ptmx, replacing whatever the image or the default nodes put there. */
    public void ptmx() throws ErrnoException {
        if (k.statIfExists("/dev/ptmx", false) != null) {
            k.unlink("/dev/ptmx");
        }
        k.symlink("pts/ptmx", "/dev/ptmx");
    }

    private void link(String target, String path) throws ErrnoException {
        try {
            k.symlink(target, path);
        } catch (ErrnoException e) {
            if (e.errno() != EEXIST) {
                throw e;
            }
        }
    }
}
