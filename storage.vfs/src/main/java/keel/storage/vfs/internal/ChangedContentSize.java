package keel.storage.vfs.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Bytes of the regular files of a full layer tree that are new or changed against its parent's tree, each inode
 * once: a vfs layer's "own content". A file counts as changed when its type, size, modification time, mode or owner
 * differ, the same test Docker's naive diff applies (copies made by {@code copyTree} keep all of these, so an
 * untouched file never counts).
 */
final class ChangedContentSize {

    private static final String ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime";

    private final Path parentTree;

    /** @param parentTree the parent's tree, or null when every file is new */
    ChangedContentSize(Path parentTree) {
        this.parentTree = parentTree;
    }

    long of(Path tree) throws IOException {
        Set<Object> counted = new HashSet<>();
        long[] total = {0};
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && changed(tree.relativize(file), file)
                        && counted.add(attrs.fileKey())) {
                    total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    private boolean changed(Path relative, Path file) throws IOException {
        if (parentTree == null) {
            return true;
        }
        Map<String, Object> before;
        try {
            before = Files.readAttributes(parentTree.resolve(relative), ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return true;
        }
        Map<String, Object> now = Files.readAttributes(file, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        for (String key : new String[] {"mode", "uid", "gid", "size", "lastModifiedTime"}) {
            if (!Objects.equals(before.get(key), now.get(key))) {
                return true;
            }
        }
        return false;
    }
}
