package keel.engine.archive.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What lstat(2) says about one path: the JDK's {@code unix:} attribute view read without following symlinks, so
 * no file is ever opened to learn its metadata (opening a FIFO blocks, opening a device talks to its driver).
 */
public record FileStat(int mode, long uid, long gid, long size, long mtimeSeconds, int mtimeNanos,
        long atimeSeconds, int atimeNanos, long rdev, long dev, long ino, int nlink) {

    private static final String ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime,lastAccessTime,rdev,dev,ino,nlink";

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;

    /** lstat(2) of {@code path}. */
    public static FileStat of(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        FileTime mtime = (FileTime) a.get("lastModifiedTime");
        FileTime atime = (FileTime) a.get("lastAccessTime");
        return new FileStat((Integer) a.get("mode"), Integer.toUnsignedLong((Integer) a.get("uid")),
                Integer.toUnsignedLong((Integer) a.get("gid")), (Long) a.get("size"),
                mtime.toInstant().getEpochSecond(), mtime.toInstant().getNano(),
                atime.toInstant().getEpochSecond(), atime.toInstant().getNano(),
                (Long) a.get("rdev"), (Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("nlink"));
    }

    /** lstat(2) of {@code path}, or null when nothing is there. */
    public static FileStat ofOrNull(Path path) throws IOException {
        try {
            return of(path);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Permission bits with setuid, setgid and sticky. */
    public int permissions() {
        return mode & 07777;
    }

    public int type() {
        return mode & S_IFMT;
    }

    public boolean isDirectory() {
        return type() == S_IFDIR;
    }

    public boolean isRegularFile() {
        return type() == S_IFREG;
    }

    public boolean isSymlink() {
        return type() == S_IFLNK;
    }

    public boolean isCharDevice() {
        return type() == FileSystemCalls.S_IFCHR;
    }

    public boolean isBlockDevice() {
        return type() == FileSystemCalls.S_IFBLK;
    }

    public boolean isFifo() {
        return type() == FileSystemCalls.S_IFIFO;
    }

    public boolean isSocket() {
        return type() == S_IFSOCK;
    }

    /** An overlayfs whiteout: a character device with device number 0/0. */
    public boolean isOverlayWhiteout() {
        return isCharDevice() && rdev == 0;
    }

    /** Identifies the inode, to find the paths a hardlink shares. */
    public InodeKey inode() {
        return new InodeKey(dev, ino);
    }

    /** Device and inode number of a file. */
    public record InodeKey(long dev, long ino) {
    }
}
