package keel.engine.core.internal.image.disk;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * Marks the directories that hold one subdirectory per container ({@code containers/}, the bundles, the runtime
 * states, the layer records) with ext2/3/4's "top of directory hierarchy" flag ({@code chattr +T},
 * {@code FS_TOPDIR_FL}): "the subdirectories under this directory are not related, and thus should be spread
 * apart for allocation purposes". Without it ext4 puts every container's directory, and so every file in it, in
 * the block group of the parent. A container engine creates and deletes dozens of inodes per container in those
 * directories; on ext4 without a journal, {@code __ext4_new_inode} then skips, one by one and for every new inode,
 * each inode of the group deleted in the last minutes (its {@code recently_deleted} check), and the cost of a
 * create grows with the churn. Spread over groups, the churn of each stays small.
 *
 * <p>Best effort: on another filesystem, or without libc, nothing happens.
 */
public final class SpreadDirectories {

    private static final long FS_IOC_GETFLAGS = 0x80086601L;
    private static final long FS_IOC_SETFLAGS = 0x40086602L;
    private static final int FS_TOPDIR_FL = 0x00020000;
    private static final int O_RDONLY = 0, O_DIRECTORY = 0200000, O_CLOEXEC = 02000000;

    /** ioctl(2) with an int argument, open(2) and close(2): all this needs. */
    public interface LibC {
        @SaveError
        int open(@In byte[] path, int flags);

        @SaveError
        int ioctl(int fd, long request, @In @Out int[] flags);

        int close(int fd);
    }

    private static final Set<Path> DONE = ConcurrentHashMap.newKeySet();
    private static volatile LibC libc;
    private static volatile boolean unavailable;

    private SpreadDirectories() {}

    /** Creates {@code dir} if needed and marks it (once per directory and process). */
    public static void mark(Path dir) {
        if (unavailable || DONE.contains(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir);
            LibC c = libc();
            if (c != null) {
                int fd = c.open(nul(dir.toString()), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (fd >= 0) {
                    try {
                        int[] flags = new int[1];
                        if (c.ioctl(fd, FS_IOC_GETFLAGS, flags) == 0 && (flags[0] & FS_TOPDIR_FL) == 0) {
                            flags[0] |= FS_TOPDIR_FL;
                            c.ioctl(fd, FS_IOC_SETFLAGS, flags); // EOPNOTSUPP/ENOTTY elsewhere: no matter
                        }
                    } finally {
                        c.close(fd);
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // a hint: its absence changes nothing but where inodes go
        }
        DONE.add(dir);
    }

    private static LibC libc() {
        LibC c = libc;
        if (c == null && !unavailable) {
            try {
                c = LibraryLoader.create(LibC.class).load("c");
                libc = c;
            } catch (RuntimeException | LinkageError e) {
                unavailable = true;
            }
        }
        return c;
    }

    private static byte[] nul(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }
}
