package keel.engine.archive.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything a layer tree is made of, as one comparable string per path: type, mode, owner, size, content digest,
 * link target, device number, xattrs, mtime and which paths share an inode. Two trees are "identical" when their
 * snapshots are equal, and a failing assertEquals shows the paths that differ.
 */
final class TreeSnapshot {

    enum Xattrs { CARRIED, ALL }

    enum Times { SECONDS, NANOS, NONE }

    private TreeSnapshot() {
    }

    static SortedMap<String, String> of(Path root, Xattrs xattrs, Times times, boolean includeRoot)
            throws IOException {
        FileSystemCalls fs = LibcFileSystemCalls.get();
        SortedMap<String, String> snapshot = new TreeMap<>();
        Map<FileStat.InodeKey, List<String>> inodes = new HashMap<>();
        List<String> names = new ArrayList<>();
        collect(root, "", names);
        for (String name : names) {
            if (name.isEmpty() && !includeRoot) {
                continue;
            }
            Path path = name.isEmpty() ? root : root.resolve(name);
            FileStat st = FileStat.of(path);
            StringBuilder b = new StringBuilder();
            b.append(type(st)).append(String.format(" mode=%04o uid=%d gid=%d", st.permissions(), st.uid(), st.gid()));
            if (st.isRegularFile()) {
                b.append(" size=").append(st.size()).append(" sha256=").append(sha256(path));
            } else if (st.isSymlink()) {
                b.append(" -> ").append(Files.readSymbolicLink(path));
            } else if (st.isCharDevice() || st.isBlockDevice()) {
                b.append(" rdev=").append(FileSystemCalls.major(st.rdev())).append(':')
                        .append(FileSystemCalls.minor(st.rdev()));
            }
            SortedMap<String, byte[]> attrs = xattrs == Xattrs.ALL ? LayerXattrs.readAll(fs, path)
                    : LayerXattrs.readCarried(fs, path);
            if (!attrs.isEmpty()) {
                b.append(" xattrs={");
                attrs.forEach((k, v) -> b.append(k).append('=').append(HexFormat.of().formatHex(v)).append(';'));
                b.append('}');
            }
            if (times == Times.SECONDS) {
                b.append(" mtime=").append(st.mtimeSeconds());
            } else if (times == Times.NANOS) {
                b.append(" mtime=").append(st.mtimeSeconds()).append('.').append(st.mtimeNanos());
            }
            if (!st.isDirectory() && st.nlink() > 1) {
                inodes.computeIfAbsent(st.inode(), k -> new ArrayList<>()).add(name);
            }
            snapshot.put(name.isEmpty() ? "." : name, b.toString());
        }
        // Name each group of hardlinked paths by its first path, so that inode numbers need not match.
        for (List<String> group : inodes.values()) {
            if (group.size() > 1) {
                String first = group.stream().sorted().findFirst().orElseThrow();
                for (String name : group) {
                    snapshot.put(name, snapshot.get(name) + " inode-of=" + first);
                }
            }
        }
        return snapshot;
    }

    private static void collect(Path dir, String prefix, List<String> names) throws IOException {
        names.add(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1));
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        }
        for (Path child : children) {
            String name = prefix + child.getFileName();
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                collect(child, name + "/", names);
            } else {
                names.add(name);
            }
        }
    }

    private static String type(FileStat st) {
        if (st.isDirectory()) {
            return "dir";
        }
        if (st.isRegularFile()) {
            return "file";
        }
        if (st.isSymlink()) {
            return "symlink";
        }
        if (st.isCharDevice()) {
            return "char";
        }
        if (st.isBlockDevice()) {
            return "block";
        }
        if (st.isFifo()) {
            return "fifo";
        }
        return "socket";
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
