package keel.engine.archive.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The directory an archive is extracted into, and the rule that keeps every write inside it: a path is only
 * written when each of its parent components, from the root down, is a real directory. A symlink among them is
 * refused rather than followed, because following it is how an archive escapes (a symlink to {@code /} or
 * {@code ../..} first, then a file "through" it: CVE-2018-15664 and the long line of tar symlink-race bugs).
 * Legitimate layer diffs name real paths, so the rule costs them nothing.
 *
 * <p>Directories already checked are remembered; when an entry replaces or removes a path, what was remembered
 * at and under it is forgotten, so a directory later swapped for a symlink is checked again.
 */
final class TargetTree {

    private final Path root;
    private final MetadataWriter metadata;
    /** Clean names known to be real directories; the root is "". */
    private final NavigableSet<String> directories = new TreeSet<>();

    TargetTree(Path root, MetadataWriter metadata) {
        this.root = root;
        this.metadata = metadata;
        directories.add("");
    }

    Path root() {
        return root;
    }

    Path path(EntryName name) {
        return name.isRoot() ? root : root.resolve(name.path());
    }

    /**
     * Makes sure every parent of {@code name} is a real directory, creating missing ones as 0755 root:root (what
     * Docker gives directories a tar implies without listing), and reports each parent to {@code touched}.
     *
     * @param entry the entry's name as the archive spells it, for messages
     */
    void prepareParents(EntryName name, String entry, Consumer<EntryName> touched) throws IOException {
        walkParents(name, entry, true, touched);
    }

    /** Checks that every parent of {@code name} exists and is a real directory; creates nothing. */
    void checkParents(EntryName name, String entry) throws IOException {
        walkParents(name, entry, false, n -> {
        });
    }

    /**
     * Whether every parent of {@code name} is still a real directory. Work deferred to the end of an extraction
     * (directory times, opaque directories) asks this first: a later entry may have replaced a parent with a
     * symlink, and a path through it would lead outside.
     */
    boolean parentsAreDirectories(EntryName name) throws IOException {
        try {
            checkParents(name, name.path());
            return true;
        } catch (InvalidArchiveException e) {
            return false;
        }
    }

    private void walkParents(EntryName name, String entry, boolean create, Consumer<EntryName> touched)
            throws IOException {
        String path = name.path();
        int slash = path.indexOf('/');
        while (slash >= 0) {
            String parent = path.substring(0, slash);
            if (!directories.contains(parent)) {
                Path dir = root.resolve(parent);
                FileStat stat = FileStat.ofOrNull(dir);
                if (stat == null) {
                    if (!create) {
                        throw InvalidArchiveException.entry(entry, "'" + parent + "' does not exist");
                    }
                    Files.createDirectory(dir);
                    metadata.chown(dir, 0, 0);
                    metadata.chmod(dir, 0755);
                } else if (stat.isSymlink()) {
                    throw InvalidArchiveException.entry(entry, "refusing to write " + name + " through symlink "
                            + parent);
                } else if (!stat.isDirectory()) {
                    throw InvalidArchiveException.entry(entry, "'" + parent + "' is not a directory");
                }
                directories.add(parent);
            }
            touched.accept(new EntryName(parent));
            slash = path.indexOf('/', slash + 1);
        }
    }

    /** Records that {@code name} is now a real directory (the extractor just made it one). */
    void directoryMade(EntryName name) {
        directories.add(name.path());
    }

    /** Forgets what was known about {@code name} and everything under it (it is being replaced or removed). */
    void forget(EntryName name) {
        if (name.isRoot()) {
            return;
        }
        String path = name.path();
        directories.remove(path);
        // Every name under path starts with "path/"; '0' is the character after '/'.
        directories.subSet(path + "/", true, path + "0", false).clear();
    }
}
