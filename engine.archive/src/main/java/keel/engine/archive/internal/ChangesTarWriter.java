package keel.engine.archive.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * {@link TarLayerArchiver#writeChanges}: the tar diff between two full trees, as Docker's
 * {@code archive.ExportChanges} makes it from {@code ChangesDirs}. A path is in the diff when it is new in upper
 * or differs in type, mode, owner, device number, xattrs, symlink target, or (for non-directories) size or mtime;
 * a path gone from upper becomes one {@code .wh.} whiteout (one for a whole directory). A directory with any change
 * below it is written too, so that its metadata travels with the change. Order: depth first, siblings by name.
 */
final class ChangesTarWriter {

    private final FileSystemCalls fs;

    ChangesTarWriter(FileSystemCalls fs) {
        this.fs = fs;
    }

    /** A path in the diff: written from upper, or (deleted) a whiteout. */
    private record Change(String name, boolean deleted) {
    }

    void write(Path lower, Path upper, OutputStream out) throws IOException {
        if (!FileStat.of(upper).isDirectory() || (lower != null && !FileStat.of(lower).isDirectory())) {
            throw new IOException("writeChanges needs two directories: " + lower + ", " + upper);
        }
        List<Change> changes = new ArrayList<>();
        compare("", lower, upper, changes);
        LayerTarWriter tar = new LayerTarWriter(out);
        for (Change change : changes) {
            if (change.deleted()) {
                tar.marker(TreeTarWriter.sibling(change.name(),
                        TarExtractor.WHITEOUT_PREFIX + TreeTarWriter.fileName(change.name())));
            } else {
                Path path = upper.resolve(change.name());
                tar.path(change.name(), path, FileStat.of(path), LayerXattrs.readCarried(fs, path));
            }
        }
        tar.finish();
    }

    /**
     * Appends the changes under one directory; {@code lowerDir} is null when the directory is new (everything in
     * it is then added). Recursion depth is the depth of the tree, which the kernel bounds by PATH_MAX.
     */
    private void compare(String prefix, Path lowerDir, Path upperDir, List<Change> changes) throws IOException {
        TreeSet<String> names = new TreeSet<>(list(upperDir));
        if (lowerDir != null) {
            names.addAll(list(lowerDir));
        }
        for (String child : names) {
            String name = prefix + child;
            Path upperPath = upperDir.resolve(child);
            Path lowerPath = lowerDir == null ? null : lowerDir.resolve(child);
            FileStat u = FileStat.ofOrNull(upperPath);
            FileStat l = lowerPath == null ? null : FileStat.ofOrNull(lowerPath);
            if (u == null) {
                if (l != null) {
                    changes.add(new Change(name, true));
                }
                continue;
            }
            if (u.isSocket()) {
                continue;
            }
            boolean sameType = l != null && l.type() == u.type();
            int at = changes.size();
            boolean modified = !sameType || differs(l, u, lowerPath, upperPath);
            if (modified) {
                changes.add(new Change(name, false));
            }
            if (u.isDirectory()) {
                compare(name + "/", sameType ? lowerPath : null, upperPath, changes);
                if (!modified && changes.size() > at) {
                    // Something changed below: carry the directory's own metadata along, before its content.
                    changes.add(at, new Change(name, false));
                }
            }
        }
    }

    private boolean differs(FileStat l, FileStat u, Path lowerPath, Path upperPath) throws IOException {
        if (l.permissions() != u.permissions() || l.uid() != u.uid() || l.gid() != u.gid() || l.rdev() != u.rdev()) {
            return true;
        }
        if (!u.isDirectory()) {
            // Directory sizes and mtimes say nothing about their own metadata; their content is compared itself.
            if (l.size() != u.size() || !sameTime(l, u)) {
                return true;
            }
        }
        if (u.isSymlink()
                && !Objects.equals(Files.readSymbolicLink(lowerPath).toString(),
                        Files.readSymbolicLink(upperPath).toString())) {
            return true;
        }
        return !LayerXattrs.equal(LayerXattrs.readCarried(fs, lowerPath), LayerXattrs.readCarried(fs, upperPath));
    }

    /** Docker's rule: same seconds, and same nanoseconds unless one side lost them (a tar keeps only seconds). */
    private static boolean sameTime(FileStat l, FileStat u) {
        return l.mtimeSeconds() == u.mtimeSeconds()
                && (l.mtimeNanos() == u.mtimeNanos() || l.mtimeNanos() == 0 || u.mtimeNanos() == 0);
    }

    private static List<String> list(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                names.add(child.getFileName().toString());
            }
        }
        return names;
    }
}
