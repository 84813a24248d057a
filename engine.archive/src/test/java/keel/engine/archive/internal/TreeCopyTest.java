package keel.engine.archive.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** copyTree, removeTree and treeSize on trees holding everything a layer can hold. */
class TreeCopyTest {

    private final TarLayerArchiver archiver = new TarLayerArchiver();
    private final FileSystemCalls fs = LibcFileSystemCalls.get();

    @TempDir
    Path temp;

    @Test
    void copyKeepsEverythingIncludingOverlayMetadataAndInodeSharing() throws IOException {
        Path source = Files.createDirectory(temp.resolve("source"));
        SampleTree.createFull(source);
        SampleTree t = new SampleTree(source);
        // What an overlay layer directory holds besides plain files: a whiteout and an opaque directory.
        t.dir("opaque", 0755, 0, 0);
        t.xattr("opaque", "trusted.overlay.opaque", new byte[] {'y'});
        t.special("a/whiteout", FileSystemCalls.S_IFCHR, 0, 0, 0, 0);
        t.touch("a");
        t.finish();
        Path copy = temp.resolve("copy");
        archiver.copyTree(source, copy);

        SortedMap<String, String> expected = TreeSnapshot.of(source, TreeSnapshot.Xattrs.ALL,
                TreeSnapshot.Times.NANOS, true);
        assertEquals(expected, TreeSnapshot.of(copy, TreeSnapshot.Xattrs.ALL, TreeSnapshot.Times.NANOS, true));
        assertTrue(expected.get("opaque").contains("trusted.overlay.opaque=79"), expected.get("opaque"));
        assertTrue(expected.get("hard-1.txt").contains("inode-of=a/b/hard-2.txt"));
        assertEquals(FileStat.of(copy.resolve("hard-1.txt")).ino(), FileStat.of(copy.resolve("a/hello.txt")).ino());
        assertTrue(FileStat.of(copy.resolve("a/whiteout")).isOverlayWhiteout());
    }

    @Test
    void copyRefusesAnExistingTarget() throws IOException {
        Path source = Files.createDirectory(temp.resolve("source"));
        Path existing = Files.createDirectory(temp.resolve("existing"));
        assertThrows(FileAlreadyExistsException.class, () -> archiver.copyTree(source, existing));
        Path link = Files.createSymbolicLink(temp.resolve("dangling"), temp.resolve("nowhere"));
        assertThrows(FileAlreadyExistsException.class, () -> archiver.copyTree(source, link));
        assertFalse(Files.exists(temp.resolve("nowhere")));
    }

    @Test
    void removeTreeDoesNotFollowSymlinksAndCopesWithReadOnlyDirectories() throws IOException {
        Path outside = Files.createDirectory(temp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "keep");
        Path tree = Files.createDirectory(temp.resolve("tree"));
        SampleTree t = new SampleTree(tree);
        t.dir("ro", 0555, 0, 0);
        t.dir("ro/locked", 0, 0, 0);
        t.file("ro/locked/file", "x", 0, 0, 0);
        new MetadataWriter(fs).chmod(tree.resolve("ro/locked"), 0);
        new MetadataWriter(fs).chmod(tree.resolve("ro"), 0555);
        Files.createSymbolicLink(tree.resolve("to-outside"), outside);
        Files.createSymbolicLink(tree.resolve("to-keep"), outside.resolve("keep"));
        t.special("fifo", FileSystemCalls.S_IFIFO, 0644, 0, 0, 0);

        archiver.removeTree(tree);
        assertFalse(Files.exists(tree));
        assertEquals("keep", Files.readString(outside.resolve("keep")));

        archiver.removeTree(tree); // missing: no error
        Path link = Files.createSymbolicLink(temp.resolve("link"), outside);
        archiver.removeTree(link); // a symlink given as the tree: the link goes, its target stays
        assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(outside.resolve("keep")));
    }

    @Test
    void treeSizeCountsEachInodeOnce() throws IOException {
        Path tree = Files.createDirectory(temp.resolve("tree"));
        SampleTree t = new SampleTree(tree);
        t.file("a", new byte[1000], 0644, 0, 0);
        t.hardlink("a-again", "a");
        t.dir("d", 0755, 0, 0);
        t.file("d/b", new byte[234], 0644, 0, 0);
        t.hardlink("d/a-third", "a");
        Files.createSymbolicLink(tree.resolve("link"), tree.resolve("a"));
        assertEquals(1234, archiver.treeSize(tree));
        assertEquals(0, archiver.treeSize(temp.resolve("missing")));
    }
}
