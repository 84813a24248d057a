package keel.engine.archive.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * {@link FileSystemCalls} through jnr-ffi. Paths and names go to C as NUL-terminated byte arrays of their UTF-8
 * form (the JVM's {@code sun.jnu.encoding} on a Keel host), so no C string conversion happens behind our back.
 */
public final class LibcFileSystemCalls implements FileSystemCalls {

    /** The slice of libc we call; signatures as in the man pages, pointers as byte arrays. */
    public interface LibC {
        @SaveError
        int mknod(@In byte[] path, int mode, long dev);

        @SaveError
        int symlink(@In byte[] target, @In byte[] linkpath);

        @SaveError
        int lsetxattr(@In byte[] path, @In byte[] name, @In byte[] value, @size_t long size, int flags);

        @SaveError
        @ssize_t
        long lgetxattr(@In byte[] path, @In byte[] name, @Out byte[] value, @size_t long size);

        @SaveError
        @ssize_t
        long llistxattr(@In byte[] path, @Out byte[] list, @size_t long size);

        @SaveError
        int utimensat(int dirfd, @In byte[] path, @In long[] times, int flags);

        String strerror(int errnum);
    }

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    private static volatile LibcFileSystemCalls instance;

    private final LibC libc;
    private final Runtime runtime;

    private LibcFileSystemCalls(LibC libc) {
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
    }

    /** The process-wide instance; libc is bound on first use. */
    public static LibcFileSystemCalls get() {
        LibcFileSystemCalls calls = instance;
        if (calls == null) {
            synchronized (LibcFileSystemCalls.class) {
                calls = instance;
                if (calls == null) {
                    calls = new LibcFileSystemCalls(LibraryLoader.create(LibC.class).load("c"));
                    instance = calls;
                }
            }
        }
        return calls;
    }

    @Override
    public void mknod(Path path, int mode, long rdev) throws IOException {
        if (libc.mknod(cString(path), mode, rdev) != 0) {
            throw error("mknod", path);
        }
    }

    @Override
    public void symlink(String target, Path link) throws IOException {
        if (libc.symlink(cString(target), cString(link)) != 0) {
            throw error("symlink", link);
        }
    }

    @Override
    public void setXattr(Path path, String name, byte[] value) throws IOException {
        if (libc.lsetxattr(cString(path), cString(name), value, value.length, 0) != 0) {
            throw error("lsetxattr " + name, path);
        }
    }

    @Override
    public byte[] getXattr(Path path, String name) throws IOException {
        byte[] p = cString(path);
        byte[] n = cString(name);
        while (true) {
            long size = libc.lgetxattr(p, n, null, 0);
            if (size < 0) {
                if (LastError.getLastError(runtime) == ErrnoException.ENODATA) {
                    return null;
                }
                throw error("lgetxattr " + name, path);
            }
            byte[] value = new byte[(int) size];
            long read = size == 0 ? 0 : libc.lgetxattr(p, n, value, value.length);
            if (read >= 0) {
                return read == size ? value : Arrays.copyOf(value, (int) read);
            }
            int errno = LastError.getLastError(runtime);
            if (errno == ErrnoException.ENODATA) {
                return null;
            }
            // ERANGE: the value grew between the two calls; ask again.
            if (errno != ErrnoException.ERANGE) {
                throw error("lgetxattr " + name, path);
            }
        }
    }

    @Override
    public List<String> listXattrs(Path path) throws IOException {
        byte[] p = cString(path);
        while (true) {
            long size = libc.llistxattr(p, null, 0);
            if (size < 0) {
                throw error("llistxattr", path);
            }
            if (size == 0) {
                return List.of();
            }
            byte[] list = new byte[(int) size];
            long read = libc.llistxattr(p, list, list.length);
            if (read < 0) {
                if (LastError.getLastError(runtime) == ErrnoException.ERANGE) {
                    continue;
                }
                throw error("llistxattr", path);
            }
            List<String> names = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < read; i++) {
                if (list[i] == 0) {
                    if (i > start) {
                        names.add(new String(list, start, i - start, StandardCharsets.UTF_8));
                    }
                    start = i + 1;
                }
            }
            return names;
        }
    }

    @Override
    public void setTimes(Path path, long atimeSeconds, int atimeNanos, long mtimeSeconds, int mtimeNanos)
            throws IOException {
        long[] times = {atimeSeconds, atimeNanos, mtimeSeconds, mtimeNanos};
        if (libc.utimensat(AT_FDCWD, cString(path), times, AT_SYMLINK_NOFOLLOW) != 0) {
            throw error("utimensat", path);
        }
    }

    private ErrnoException error(String call, Path path) {
        int errno = LastError.getLastError(runtime);
        return new ErrnoException(call, path, errno, libc.strerror(errno));
    }

    private static byte[] cString(Path path) {
        return cString(path.toString());
    }

    private static byte[] cString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(bytes, bytes.length + 1);
    }
}
