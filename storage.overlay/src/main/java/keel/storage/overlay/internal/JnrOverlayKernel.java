package keel.storage.overlay.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int64_t;

/**
 * {@link OverlayKernel} through jnr-ffi and glibc (2.36 or later has the wrappers of the new mount API; an older
 * one makes those calls fail with {@code ENOSYS}, and the driver falls back to mount(2)). Strings go to C as
 * NUL-terminated UTF-8 byte arrays, so no conversion happens behind our back.
 */
public final class JnrOverlayKernel implements OverlayKernel {

    /** The slice of libc we bind; signatures as in the man pages. */
    public interface LibC {
        @SaveError
        int mount(@In byte[] source, @In byte[] target, @In byte[] fstype, @u_int64_t long flags, @In byte[] data);

        @SaveError
        int umount2(@In byte[] target, int flags);

        @SaveError
        int fsopen(@In byte[] fsname, int flags);

        @SaveError
        int fsconfig(int fd, int cmd, @In byte[] key, @In byte[] value, int aux);

        @SaveError
        int fsmount(int fd, int flags, int attrFlags);

        @SaveError
        int move_mount(int fromDirfd, @In byte[] fromPath, int toDirfd, @In byte[] toPath, int flags);

        @SaveError
        int statfs(@In byte[] path, @Out byte[] buf);

        @SaveError
        Pointer opendir(@In byte[] name);

        @SaveError
        Pointer readdir(Pointer dir);

        int closedir(Pointer dir);

        @SaveError
        int unshare(int flags);

        @SaveError
        int chdir(@In byte[] path);

        @SaveError
        int open(@In byte[] path, int flags);

        @SaveError
        int syncfs(int fd);

        @SaveError
        int ioctl(int fd, long request, @In @Out int[] arg);

        @SaveError
        @ssize_t
        long read(int fd, @Out byte[] buf, @size_t long count);

        int close(int fd);

        String strerror(int errnum);

        int getpagesize();
    }

    private static final int O_RDONLY = 0, O_NONBLOCK = 04000, O_CLOEXEC = 02000000;
    /** struct dirent on 64-bit glibc: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name. */
    private static final int DIRENT_TYPE = 18, DIRENT_NAME = 19;
    /** struct statfs on 64-bit Linux starts with f_type, a long. */
    private static final int STATFS_SIZE = 256;

    private final LibC libc;
    private final Runtime runtime;

    public JnrOverlayKernel() {
        this.libc = LibraryLoader.create(LibC.class).load(Platform.getNativePlatform().getStandardCLibraryName());
        this.runtime = Runtime.getRuntime(libc);
    }

    @Override
    public void mount(String source, String target, String fstype, long flags, String data) throws ErrnoException {
        check(libc.mount(c(source), c(target), c(fstype), flags, c(data)), "mount(" + target + ")");
    }

    @Override
    public void umount2(String target, int flags) throws ErrnoException {
        check(libc.umount2(c(target), flags), "umount2(" + target + ")");
    }

    @Override
    public int fsopen(String fsname, int flags) throws ErrnoException {
        try {
            return check(libc.fsopen(c(fsname), flags), "fsopen(" + fsname + ")");
        } catch (UnsatisfiedLinkError e) {
            throw missing("fsopen");
        }
    }

    @Override
    public void fsconfig(int fd, int cmd, String key, String value, int aux) throws ErrnoException {
        try {
            check(libc.fsconfig(fd, cmd, c(key), c(value), aux), "fsconfig(" + key + (value == null ? "" : "=" + value) + ")");
        } catch (UnsatisfiedLinkError e) {
            throw missing("fsconfig");
        }
    }

    @Override
    public int fsmount(int fd, int flags, int attrFlags) throws ErrnoException {
        try {
            return check(libc.fsmount(fd, flags, attrFlags), "fsmount");
        } catch (UnsatisfiedLinkError e) {
            throw missing("fsmount");
        }
    }

    @Override
    public void moveMount(int fromDirfd, String fromPath, int toDirfd, String toPath, int flags) throws ErrnoException {
        try {
            check(libc.move_mount(fromDirfd, c(fromPath), toDirfd, c(toPath), flags), "move_mount(" + toPath + ")");
        } catch (UnsatisfiedLinkError e) {
            throw missing("move_mount");
        }
    }

    @Override
    public String fsContextMessages(int fd) {
        StringBuilder out = new StringBuilder();
        byte[] buf = new byte[4096];
        // Each read(2) returns one message; ENODATA when the log is empty. Bounded in case of a chatty kernel.
        for (int i = 0; i < 32; i++) {
            long n = libc.read(fd, buf, buf.length);
            if (n <= 0) {
                break;
            }
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(new String(buf, 0, (int) n, StandardCharsets.UTF_8).trim());
        }
        return out.toString();
    }

    @Override
    public void close(int fd) {
        libc.close(fd);
    }

    @Override
    public long statfsType(String path) throws ErrnoException {
        byte[] buf = new byte[STATFS_SIZE];
        check(libc.statfs(c(path), buf), "statfs(" + path + ")");
        return ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder()).getLong(0);
    }

    @Override
    public Map<String, Integer> direntTypes(String dir) throws ErrnoException {
        Pointer d = libc.opendir(c(dir));
        if (d == null) {
            throw failure("opendir(" + dir + ")");
        }
        try {
            Map<String, Integer> out = new LinkedHashMap<>();
            LastError.setLastError(runtime, 0);
            for (Pointer e = libc.readdir(d); e != null; e = libc.readdir(d)) {
                String name = e.getString(DIRENT_NAME, 256, StandardCharsets.UTF_8);
                if (!name.equals(".") && !name.equals("..")) {
                    out.put(name, e.getByte(DIRENT_TYPE) & 0xff);
                }
            }
            if (LastError.getLastError(runtime) != 0) {
                throw failure("readdir(" + dir + ")");
            }
            return out;
        } finally {
            libc.closedir(d);
        }
    }

    @Override
    public void unshare(int flags) throws ErrnoException {
        check(libc.unshare(flags), "unshare");
    }

    @Override
    public void chdir(String path) throws ErrnoException {
        check(libc.chdir(c(path)), "chdir(" + path + ")");
    }

    @Override
    public void syncfs(String path) throws ErrnoException {
        int fd = check(libc.open(c(path), O_RDONLY | O_NONBLOCK | O_CLOEXEC), "open(" + path + ")");
        try {
            check(libc.syncfs(fd), "syncfs(" + path + ")");
        } finally {
            libc.close(fd);
        }
    }

    @Override
    public int pageSize() {
        return libc.getpagesize();
    }

    private static final long FS_IOC_GETFLAGS = 0x80086601L, FS_IOC_SETFLAGS = 0x40086602L;

    @Override
    public int inodeFlags(String path) throws ErrnoException {
        int fd = check(libc.open(c(path), O_RDONLY | O_NONBLOCK | O_CLOEXEC), "open(" + path + ")");
        try {
            int[] flags = new int[1];
            check(libc.ioctl(fd, FS_IOC_GETFLAGS, flags), "ioctl(FS_IOC_GETFLAGS, " + path + ")");
            return flags[0];
        } finally {
            libc.close(fd);
        }
    }

    @Override
    public void setInodeFlags(String path, int flags) throws ErrnoException {
        int fd = check(libc.open(c(path), O_RDONLY | O_NONBLOCK | O_CLOEXEC), "open(" + path + ")");
        try {
            check(libc.ioctl(fd, FS_IOC_SETFLAGS, new int[] {flags}), "ioctl(FS_IOC_SETFLAGS, " + path + ")");
        } finally {
            libc.close(fd);
        }
    }

    private int check(int rc, String call) throws ErrnoException {
        if (rc < 0) {
            throw failure(call);
        }
        return rc;
    }

    private ErrnoException failure(String call) {
        int errno = LastError.getLastError(runtime);
        return new ErrnoException(call, errno, libc.strerror(errno));
    }

    private static ErrnoException missing(String call) {
        return new ErrnoException(call, ErrnoException.ENOSYS, "not in this C library");
    }

    /** A NUL-terminated UTF-8 copy of {@code s}, or null for a NULL pointer. */
    private static byte[] c(String s) {
        if (s == null) {
            return null;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }
}
