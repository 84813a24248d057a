package keel.engine.archive.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The libc calls the JDK does not offer, each on a path that is never followed if it is a symlink (the {@code l*}
 * xattr calls, {@code AT_SYMLINK_NOFOLLOW}); {@link LibcFileSystemCalls} makes them through jnr-ffi. Everything
 * else (lchown, chmod, link, mkdir, lstat, readlink) goes through {@code java.nio.file}.
 *
 * <p>Failures are {@link ErrnoException}s carrying the errno, so callers can tell "not supported here" from real
 * errors.
 */
public interface FileSystemCalls {

    /** File type bits of {@code st_mode}, as mknod(2) takes them. */
    int S_IFIFO = 0010000;
    int S_IFCHR = 0020000;
    int S_IFBLK = 0060000;

    /** mknod(2): creates a device node or FIFO; {@code mode} holds the type bits and the permission bits. */
    void mknod(Path path, int mode, long rdev) throws IOException;

    /**
     * symlink(2): {@code link} names {@code target}, byte for byte ({@code Files.createSymbolicLink} would normalize
     * a target such as {@code a//b/}, and a layer must come back as it went in).
     */
    void symlink(String target, Path link) throws IOException;

    /** lsetxattr(2) with flags 0 (create or replace). */
    void setXattr(Path path, String name, byte[] value) throws IOException;

    /** lgetxattr(2): the value, or null when the attribute is not set. */
    byte[] getXattr(Path path, String name) throws IOException;

    /** llistxattr(2): the names of every attribute the caller may see (all of them, for root). */
    List<String> listXattrs(Path path) throws IOException;

    /** utimensat(2) with {@code AT_SYMLINK_NOFOLLOW}: sets times on a symlink itself, never on what it names. */
    void setTimes(Path path, long atimeSeconds, int atimeNanos, long mtimeSeconds, int mtimeNanos) throws IOException;

    /** Linux's device number encoding (the glibc {@code makedev} macro). */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    static long major(long rdev) {
        return ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & 0xfffff000L);
    }

    static long minor(long rdev) {
        return (rdev & 0xffL) | ((rdev >>> 12) & 0xffffff00L);
    }
}
