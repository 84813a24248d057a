package keel.engine.archive.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Sets ownership, mode, extended attributes and times on a freshly written path, in the one order that keeps all
 * of them: chown(2) clears setuid/setgid and {@code security.capability}, so ownership comes first, then the mode,
 * then the attributes; times come last because setting attributes does not touch mtime but writing does. Nothing
 * here follows a symlink: ownership uses lchown, and the mode (which symlinks do not have) is never set on one.
 */
final class MetadataWriter {

    private static final System.Logger LOG = System.getLogger(MetadataWriter.class.getName());

    private final FileSystemCalls fs;

    MetadataWriter(FileSystemCalls fs) {
        this.fs = fs;
    }

    /** lchown(2), through the JDK's unix attribute view without following links. */
    void chown(Path path, long uid, long gid) throws IOException {
        Files.setAttribute(path, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * chmod(2) with setuid/setgid/sticky. Path-based on purpose: the JDK's no-follow variant opens the file, which
     * blocks on a FIFO and reaches the driver of a device node. Callers never pass a symlink.
     */
    void chmod(Path path, int permissions) throws IOException {
        Files.setAttribute(path, "unix:mode", permissions & 07777);
    }

    /**
     * Sets {@code xattrs}. With {@code lenient}, attributes the file system or the file type refuses (EOPNOTSUPP,
     * or EPERM for user.* on a symlink or device) are skipped with a log line, as Docker does when extracting.
     */
    void setXattrs(Path path, Map<String, byte[]> xattrs, boolean lenient) throws IOException {
        for (Map.Entry<String, byte[]> xattr : xattrs.entrySet()) {
            try {
                fs.setXattr(path, xattr.getKey(), xattr.getValue());
            } catch (ErrnoException e) {
                if (!lenient || !e.isUnsupported()) {
                    throw e;
                }
                LOG.log(Level.DEBUG, "extended attribute {0} not set on {1}: {2}", xattr.getKey(), path,
                        e.getMessage());
            }
        }
    }

    void setTimes(Path path, long atimeSeconds, int atimeNanos, long mtimeSeconds, int mtimeNanos)
            throws IOException {
        fs.setTimes(path, atimeSeconds, atimeNanos, mtimeSeconds, mtimeNanos);
    }
}
