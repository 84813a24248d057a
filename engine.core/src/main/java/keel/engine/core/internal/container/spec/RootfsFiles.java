package keel.engine.core.internal.container.spec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Files inside a container's root filesystem, reached as the container would reach them: every symbolic link is
 * resolved with the rootfs as "/" (an absolute target restarts at the rootfs, ".." stops at it), so an image whose
 * /etc/passwd is a link to /etc/shadow, or to ../../../../host-file, can never make the daemon read or create a
 * host file (the class of bug behind CVE-2014-6407 and CVE-2018-15664).
 *
 * <p>{@link #read} walks the path with directory file descriptors ({@link SecureDirectoryStream}, i.e. openat(2)
 * with O_NOFOLLOW), so a running container that swaps a path component for a symlink between the check and the
 * open makes the open fail instead of escaping. {@link #mkdirs} works on resolved paths, which is safe while no
 * process of the container runs (at create and start, the only times it is used), as in Docker.
 */
final class RootfsFiles {

    /** Linux's limit on symlinks followed in one lookup. */
    private static final int MAX_LINKS = 40;

    /** Larger /etc files are refused: a container must not make the daemon allocate without bound. */
    static final int MAX_READ = 16 * 1024 * 1024;

    private final Path root;

    RootfsFiles(Path rootfs) {
        this.root = rootfs.toAbsolutePath().normalize();
    }

    /**
     * The content of a regular file at {@code path} (absolute, inside the container), or null when it (or a
     * directory on its way) does not exist.
     *
     * @throws IOException when it exists but is no regular file, is too large, or cannot be read
     */
    byte[] read(String path) throws IOException {
        Deque<String> todo = new ArrayDeque<>(components(path));
        Deque<SecureDirectoryStream<Path>> dirs = new ArrayDeque<>();
        Deque<String> names = new ArrayDeque<>(); // names.size() == dirs.size() - 1: the root has none
        int links = 0;
        try {
            dirs.push(openRoot());
            while (!todo.isEmpty()) {
                String c = todo.pollFirst();
                if (c.equals(".")) {
                    continue;
                }
                if (c.equals("..")) {
                    if (dirs.size() > 1) {
                        dirs.pop().close();
                        names.pop();
                    }
                    continue;
                }
                SecureDirectoryStream<Path> dir = dirs.peek();
                Path name = Path.of(c);
                BasicFileAttributes attrs;
                try {
                    attrs = dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                            .readAttributes();
                } catch (NoSuchFileException e) {
                    return null;
                }
                if (attrs.isSymbolicLink()) {
                    if (++links > MAX_LINKS) {
                        throw new FileSystemException(path, null, "too many levels of symbolic links");
                    }
                    // SecureDirectoryStream has no readlinkat: the link's text is read by path. Only the text: what
                    // it names is looked up again from the directory descriptors, inside the rootfs.
                    Path here = root;
                    for (java.util.Iterator<String> it = names.descendingIterator(); it.hasNext();) {
                        here = here.resolve(it.next());
                    }
                    String target = Files.readSymbolicLink(here.resolve(c)).toString();
                    if (target.startsWith("/")) {
                        while (dirs.size() > 1) {
                            dirs.pop().close();
                            names.pop();
                        }
                    }
                    List<String> parts = components(target);
                    for (int i = parts.size() - 1; i >= 0; i--) {
                        todo.addFirst(parts.get(i));
                    }
                    continue;
                }
                if (todo.isEmpty()) {
                    if (!attrs.isRegularFile()) {
                        throw new FileSystemException(path, null, "not a regular file");
                    }
                    if (attrs.size() > MAX_READ) {
                        throw new FileSystemException(path, null, "file too large");
                    }
                    try (SeekableByteChannel ch = dir.newByteChannel(name,
                            Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                        return readAll(ch, path);
                    }
                }
                if (!attrs.isDirectory()) {
                    return null;
                }
                dirs.push(dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS));
                names.push(c);
            }
            throw new FileSystemException(path, null, "is a directory");
        } finally {
            for (SecureDirectoryStream<Path> d : dirs) {
                d.close();
            }
        }
    }

    /**
     * The host path of {@code path} inside the rootfs with every symlink resolved in scope; components that do not
     * exist are appended as they are (Docker's FollowSymlinkInScope).
     */
    Path resolve(String path) throws IOException {
        Deque<String> todo = new ArrayDeque<>(components(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            Path candidate = join(done).resolve(c);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new FileSystemException(path, null, "too many levels of symbolic links");
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> parts = components(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
                continue;
            }
            done.add(c);
        }
        return join(done);
    }

    /**
     * Creates {@code path} and its missing parents inside the rootfs, each new one 0755 and owned by uid/gid
     * (Docker's MkdirAllAndChown with "only new": existing directories are left as they are).
     *
     * @throws NotDirectoryException when the path exists and is not a directory
     */
    void mkdirs(String path, int uid, int gid) throws IOException {
        Path target = resolve(path);
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)) {
                throw new NotDirectoryException(path);
            }
            return;
        }
        List<Path> created = new ArrayList<>();
        Path p = target;
        while (p != null && !p.equals(root) && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            created.add(0, p);
            p = p.getParent();
        }
        for (Path d : created) {
            // resolve() followed every existing link in scope, so what is left to create are plain names
            Files.createDirectory(d);
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setAttribute(d, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(d, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }

    @SuppressWarnings("unchecked")
    private SecureDirectoryStream<Path> openRoot() throws IOException {
        DirectoryStream<Path> ds = Files.newDirectoryStream(root);
        if (ds instanceof SecureDirectoryStream<?> sds) {
            return (SecureDirectoryStream<Path>) sds;
        }
        ds.close();
        throw new IOException("this platform has no openat(2): cannot read container files safely");
    }

    private Path join(List<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }

    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static byte[] readAll(SeekableByteChannel ch, String path) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        while (ch.read(buf) >= 0) {
            buf.flip();
            out.write(buf.array(), 0, buf.limit());
            buf.clear();
            if (out.size() > MAX_READ) {
                // the file grew after its size was checked
                throw new FileSystemException(path, null, "file too large");
            }
        }
        return out.toByteArray();
    }
}
