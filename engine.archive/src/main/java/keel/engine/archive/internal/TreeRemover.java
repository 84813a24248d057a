package keel.engine.archive.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Removes a tree like {@code rm -rf}: symlinks are removed, never followed; directories without owner write or
 * search permission are made accessible first (a layer may hold a 0555 directory). Iterative, so a deep tree
 * cannot overflow the stack.
 */
final class TreeRemover {

    private TreeRemover() {
    }

    static void remove(Path tree) throws IOException {
        FileStat stat = FileStat.ofOrNull(tree);
        if (stat == null) {
            return;
        }
        if (!stat.isDirectory()) {
            deleteIfExists(tree);
            return;
        }
        Deque<Path> pending = new ArrayDeque<>();
        Deque<Path> emptied = new ArrayDeque<>();
        pending.push(tree);
        while (!pending.isEmpty()) {
            Path dir = pending.pop();
            makeAccessible(dir);
            emptied.push(dir);
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                for (Path child : children) {
                    FileStat childStat = FileStat.ofOrNull(child);
                    if (childStat == null) {
                        continue;
                    }
                    if (childStat.isDirectory()) {
                        pending.push(child);
                    } else {
                        deleteIfExists(child);
                    }
                }
            } catch (NoSuchFileException e) {
                // Gone already.
            }
        }
        // Deepest directories were pushed last, so they come off first.
        while (!emptied.isEmpty()) {
            deleteIfExists(emptied.pop());
        }
    }

    private static void makeAccessible(Path dir) throws IOException {
        FileStat stat = FileStat.ofOrNull(dir);
        if (stat != null && stat.isDirectory() && (stat.permissions() & 0700) != 0700) {
            // Path-based chmod follows symlinks, but dir was just seen to be a directory, not a symlink.
            Files.setAttribute(dir, "unix:mode", stat.permissions() | 0700);
        }
    }

    private static void deleteIfExists(Path path) throws IOException {
        Files.deleteIfExists(path);
    }
}
