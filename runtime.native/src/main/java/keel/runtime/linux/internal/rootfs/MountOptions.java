package keel.runtime.linux.internal.rootfs;

import static keel.runtime.linux.internal.syscall.LinuxKernel.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mount's {@code options} from config.json split the way mount(8) and runc do: flags for mount(2), a
 * propagation change applied afterwards, recursive attributes (rro, rnosuid, ... applied with mount_setattr(2) to
 * a whole bind tree) and whatever is left, passed to the filesystem as its data string (size=, mode=, gid=).
 */
public record MountOptions(long flags, long propagation, long recursiveSet, long recursiveClear, String data,
        boolean bind, boolean recursiveBind) {

    private record Flag(boolean clear, long value) {}

    private static final Map<String, Flag> FLAGS = Map.ofEntries(
            Map.entry("async", new Flag(true, MS_SYNCHRONOUS)),
            Map.entry("atime", new Flag(true, MS_NOATIME)),
            Map.entry("bind", new Flag(false, MS_BIND)),
            Map.entry("defaults", new Flag(false, 0)),
            Map.entry("dev", new Flag(true, MS_NODEV)),
            Map.entry("diratime", new Flag(true, MS_NODIRATIME)),
            Map.entry("dirsync", new Flag(false, MS_DIRSYNC)),
            Map.entry("exec", new Flag(true, MS_NOEXEC)),
            Map.entry("iversion", new Flag(false, MS_I_VERSION)),
            Map.entry("lazytime", new Flag(false, MS_LAZYTIME)),
            Map.entry("loud", new Flag(true, MS_SILENT)),
            Map.entry("mand", new Flag(false, MS_MANDLOCK)),
            Map.entry("noatime", new Flag(false, MS_NOATIME)),
            Map.entry("nodev", new Flag(false, MS_NODEV)),
            Map.entry("nodiratime", new Flag(false, MS_NODIRATIME)),
            Map.entry("noexec", new Flag(false, MS_NOEXEC)),
            Map.entry("noiversion", new Flag(true, MS_I_VERSION)),
            Map.entry("nolazytime", new Flag(true, MS_LAZYTIME)),
            Map.entry("nomand", new Flag(true, MS_MANDLOCK)),
            Map.entry("norelatime", new Flag(true, MS_RELATIME)),
            Map.entry("nostrictatime", new Flag(true, MS_STRICTATIME)),
            Map.entry("nosuid", new Flag(false, MS_NOSUID)),
            Map.entry("nosymfollow", new Flag(false, MS_NOSYMFOLLOW)),
            Map.entry("rbind", new Flag(false, MS_BIND | MS_REC)),
            Map.entry("relatime", new Flag(false, MS_RELATIME)),
            Map.entry("remount", new Flag(false, MS_REMOUNT)),
            Map.entry("ro", new Flag(false, MS_RDONLY)),
            Map.entry("rw", new Flag(true, MS_RDONLY)),
            Map.entry("silent", new Flag(false, MS_SILENT)),
            Map.entry("strictatime", new Flag(false, MS_STRICTATIME)),
            Map.entry("suid", new Flag(true, MS_NOSUID)),
            Map.entry("sync", new Flag(false, MS_SYNCHRONOUS)));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC,
            "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
            "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

    private static final Map<String, Flag> RECURSIVE = Map.ofEntries(
            Map.entry("rro", new Flag(false, MOUNT_ATTR_RDONLY)),
            Map.entry("rrw", new Flag(true, MOUNT_ATTR_RDONLY)),
            Map.entry("rnosuid", new Flag(false, MOUNT_ATTR_NOSUID)),
            Map.entry("rsuid", new Flag(true, MOUNT_ATTR_NOSUID)),
            Map.entry("rnodev", new Flag(false, MOUNT_ATTR_NODEV)),
            Map.entry("rdev", new Flag(true, MOUNT_ATTR_NODEV)),
            Map.entry("rnoexec", new Flag(false, MOUNT_ATTR_NOEXEC)),
            Map.entry("rexec", new Flag(true, MOUNT_ATTR_NOEXEC)),
            Map.entry("rnodiratime", new Flag(false, MOUNT_ATTR_NODIRATIME)),
            Map.entry("rdiratime", new Flag(true, MOUNT_ATTR_NODIRATIME)),
            Map.entry("rnoatime", new Flag(false, MOUNT_ATTR_NOATIME)),
            Map.entry("rstrictatime", new Flag(false, MOUNT_ATTR_STRICTATIME)),
            Map.entry("rnosymfollow", new Flag(false, MOUNT_ATTR_NOSYMFOLLOW)),
            Map.entry("rsymfollow", new Flag(true, MOUNT_ATTR_NOSYMFOLLOW)));

    public static MountOptions parse(String type, List<String> options) {
        long flags = 0, propagation = 0, rset = 0, rclear = 0;
        List<String> data = new ArrayList<>();
        for (String o : options == null ? List.<String>of() : options) {
            Flag f = FLAGS.get(o);
            if (f != null) {
                flags = f.clear() ? flags & ~f.value() : flags | f.value();
                continue;
            }
            Long p = PROPAGATION.get(o);
            if (p != null) {
                propagation = p;
                continue;
            }
            Flag r = RECURSIVE.get(o);
            if (r != null) {
                if (r.clear()) {
                    rclear |= r.value();
                    rset &= ~r.value();
                } else {
                    rset |= r.value();
                    rclear &= ~r.value();
                }
                continue;
            }
            if (o.equals("tmpcopyup")) {
                continue; // runc's extension (copy the image's files into a tmpfs); Docker does not send it
            }
            if (o.equals("idmap") || o.equals("ridmap") || o.startsWith("X-mount.")) {
                throw new IllegalArgumentException("mount option " + o + " is not supported");
            }
            data.add(o);
        }
        boolean bind = "bind".equals(type) || (flags & MS_BIND) != 0;
        boolean recursive = bind && (flags & MS_REC) != 0;
        return new MountOptions(flags, propagation, rset, rclear, String.join(",", data), bind, recursive);
    }

    public boolean readOnly() {
        return (flags & MS_RDONLY) != 0;
    }

    /**
     * The per-mount attributes (MOUNT_ATTR_*) the flags ask for: what a bind mount gets with mount_setattr, since
     * mount(2) ignores them on the first MS_BIND call.
     */
    public long mountAttributes() {
        long a = 0;
        if ((flags & MS_RDONLY) != 0) {
            a |= MOUNT_ATTR_RDONLY;
        }
        if ((flags & MS_NOSUID) != 0) {
            a |= MOUNT_ATTR_NOSUID;
        }
        if ((flags & MS_NODEV) != 0) {
            a |= MOUNT_ATTR_NODEV;
        }
        if ((flags & MS_NOEXEC) != 0) {
            a |= MOUNT_ATTR_NOEXEC;
        }
        if ((flags & MS_NOATIME) != 0) {
            a |= MOUNT_ATTR_NOATIME;
        }
        if ((flags & MS_STRICTATIME) != 0) {
            a |= MOUNT_ATTR_STRICTATIME;
        }
        if ((flags & MS_NODIRATIME) != 0) {
            a |= MOUNT_ATTR_NODIRATIME;
        }
        if ((flags & MS_NOSYMFOLLOW) != 0) {
            a |= MOUNT_ATTR_NOSYMFOLLOW;
        }
        return a;
    }

    /** The flags for mounting a new filesystem (propagation and bind bits removed). */
    public long newMountFlags() {
        return flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
    }
}
