package keel.engine.archive.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.storage.WhiteoutFormat;

/** The diff between two full trees, and that applying it to the lower tree gives the upper one. */
class WriteChangesTest {

    private final TarLayerArchiver archiver = new TarLayerArchiver();
    private final FileSystemCalls fs = LibcFileSystemCalls.get();
    private final MetadataWriter metadata = new MetadataWriter(fs);

    @TempDir
    Path temp;

    private Path lower() throws IOException {
        Path lower = Files.createDirectory(temp.resolve("lower"));
        SampleTree t = new SampleTree(lower);
        t.dir("etc", 0755, 0, 0);
        t.file("etc/hosts", "127.0.0.1 localhost\n", 0644, 0, 0);
        t.file("etc/passwd", "root:x:0:0\n", 0644, 0, 0);
        t.file("etc/shadow", "root:*\n", 0640, 0, 42);
        t.dir("var", 0755, 0, 0);
        t.dir("var/cache", 0755, 0, 0);
        t.file("var/cache/a", "a", 0644, 0, 0);
        t.dir("var/cache/deep", 0755, 0, 0);
        t.file("var/cache/deep/b", "b", 0644, 0, 0);
        t.dir("usr", 0755, 0, 0);
        t.dir("usr/bin", 0755, 0, 0);
        t.file("usr/bin/tool", "v1", 0755, 0, 0);
        t.file("usr/bin/becomes-dir", "file", 0644, 0, 0);
        t.symlink("usr/bin/link", "tool", 0, 0);
        t.dir("untouched", 0755, 0, 0);
        t.file("untouched/file", "same", 0644, 0, 0);
        t.finish();
        return lower;
    }

    @Test
    void diffListsAddedModifiedAndDeletedPathsWithTheirParents() throws IOException {
        Path lower = lower();
        Path upper = temp.resolve("upper");
        archiver.copyTree(lower, upper);
        modify(upper);

        byte[] diff = changes(lower, upper);
        assertEquals(List.of(
                "dir etc/",
                "file etc/hosts",              // content changed
                "file etc/passwd",             // chmod
                "file etc/shadow",             // chown
                "dir new-dir/",                // added, with its content
                "file new-dir/file",
                "dir usr/",                    // parent of changes
                "dir usr/bin/",
                "dir usr/bin/becomes-dir/",    // file replaced by a directory
                "file usr/bin/becomes-dir/inside",
                "symlink usr/bin/link -> other",
                "file usr/bin/.wh.tool",       // deleted
                "hardlink usr/bin/tool-copy -> etc/hosts",
                "dir var/",
                "file var/.wh.cache"           // a whole directory: one whiteout
        ), TarListing.of(diff));
        assertArrayEquals(diff, changes(lower, upper), "same trees, same bytes");
    }

    @Test
    void applyingTheDiffToTheLowerTreeGivesTheUpperTree() throws IOException {
        Path lower = lower();
        Path upper = temp.resolve("upper");
        archiver.copyTree(lower, upper);
        modify(upper);

        Path applied = temp.resolve("applied");
        archiver.copyTree(lower, applied);
        archiver.extract(new ByteArrayInputStream(changes(lower, upper)), applied, WhiteoutFormat.APPLIED);
        assertEquals(TarLayerArchiverRoundTripTest.snapshot(upper), TarLayerArchiverRoundTripTest.snapshot(applied));
    }

    @Test
    void diffAgainstNothingIsTheWholeTree() throws IOException {
        Path upper = lower();
        Path applied = Files.createDirectory(temp.resolve("applied"));
        archiver.extract(new ByteArrayInputStream(changes(null, upper)), applied, WhiteoutFormat.APPLIED);
        assertEquals(TarLayerArchiverRoundTripTest.snapshot(upper), TarLayerArchiverRoundTripTest.snapshot(applied));
    }

    @Test
    void identicalTreesHaveAnEmptyDiff() throws IOException {
        Path lower = lower();
        Path upper = temp.resolve("upper");
        archiver.copyTree(lower, upper);
        assertEquals(List.of(), TarListing.of(changes(lower, upper)));
    }

    private void modify(Path upper) throws IOException {
        SampleTree t = new SampleTree(upper);
        Files.writeString(upper.resolve("etc/hosts"), "10.0.0.1 keel\n");
        t.touch("etc/hosts");
        metadata.chmod(upper.resolve("etc/passwd"), 0600);
        metadata.chown(upper.resolve("etc/shadow"), 0, 0);
        Files.delete(upper.resolve("usr/bin/tool"));
        Files.createLink(upper.resolve("usr/bin/tool-copy"), upper.resolve("etc/hosts"));
        Files.delete(upper.resolve("usr/bin/becomes-dir"));
        t.dir("usr/bin/becomes-dir", 0755, 0, 0);
        t.file("usr/bin/becomes-dir/inside", "in", 0644, 0, 0);
        Files.delete(upper.resolve("usr/bin/link"));
        t.symlink("usr/bin/link", "other", 0, 0);
        archiver.removeTree(upper.resolve("var/cache"));
        t.dir("new-dir", 0700, 1, 1);
        t.file("new-dir/file", "new".getBytes(StandardCharsets.UTF_8), 0644, 1, 1);
        t.touch("etc");
        t.touch("usr/bin");
        t.touch("var");
        t.finish();
    }

    private byte[] changes(Path lower, Path upper) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        archiver.writeChanges(lower, upper, out);
        return out.toByteArray();
    }
}
