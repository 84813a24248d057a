package keel.storage.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite's own tools: what TarBuilder writes, TarListing reads back; TreeSnapshot models OCI application. */
class TarBuilderTest {

    @Test
    void entriesSurviveAWriteAndARead() throws IOException {
        String longName = "dir/" + "n".repeat(150) + "/" + "ü".repeat(80);
        TarBuilder t = new TarBuilder(1234567890L);
        t.dir("dir", 0755).owner(1234, 5678).xattr("user.a", "b");
        t.file(longName, 04755, "content").xattr("security.capability", new byte[] {1, 0, 0, 2, 0, 0x20, 0, 0});
        t.symlink("dir/link", "x".repeat(120));
        t.hardlink("dir/hard", longName);
        t.fifo("dir/fifo", 0600);
        t.whiteout("dir/gone");
        t.opaque("dir");

        TarListing l = TarListing.read(t.toBytes());
        assertEquals(List.of("dir", longName, "dir/link", "dir/hard", "dir/fifo", "dir/.wh.gone", "dir/.wh..wh..opq"),
                l.names());
        assertEquals(1234, l.get("dir").uid());
        assertEquals(5678, l.get("dir").gid());
        assertArrayEquals("b".getBytes(), l.get("dir").xattrs().get("user.a"));
        assertEquals(04755, l.get(longName).mode());
        assertEquals("content", l.get(longName).text());
        assertEquals(1234567890L, l.get(longName).mtime());
        assertArrayEquals(new byte[] {1, 0, 0, 2, 0, 0x20, 0, 0}, l.get(longName).xattrs().get("security.capability"));
        assertEquals("x".repeat(120), l.get("dir/link").linkName());
        assertEquals(longName, l.get("dir/hard").linkName());
        assertEquals(TarBuilder.FIFO, l.get("dir/fifo").type());
        assertEquals("content".length(), t.contentSize());
    }

    @Test
    void whiteoutsHideOnlyLowerContentAndOpaqueDirectoriesEmptyThemselves() {
        TarBuilder lower = new TarBuilder();
        lower.dir("a", 0755);
        lower.file("a/x", 0644, "x");
        lower.file("a/y", 0644, "y");
        lower.hardlink("a/y2", "a/y");
        lower.dir("b", 0755);
        lower.file("b/old", 0644, "old");
        TarBuilder upper = new TarBuilder();
        upper.file("a/x", 0600, "new x");
        upper.whiteout("a/x");
        upper.whiteout("a/y");
        upper.opaque("b");
        upper.file("b/new", 0644, "new");

        TreeSnapshot s = TreeSnapshot.empty().apply(lower).apply(upper);
        assertEquals(Set.of("a", "a/x", "a/y2", "b", "b/new"), s.nodes().keySet(),
                "a whiteout never hides an entry of its own layer");
        assertEquals(0600, s.get("a/x").mode());
        assertEquals(Set.of(), s.hardlinks(), "a link whose partner is gone is a plain file");
        assertTrue(TreeSnapshot.empty().apply(lower).sameFile("a/y", "a/y2"));
    }

    @Test
    void snapshotOfADirectoryMatchesItsModel(@TempDir Path dir) throws IOException {
        Files.createDirectory(dir.resolve("d"));
        Files.writeString(dir.resolve("d/f"), "f");
        Files.createLink(dir.resolve("d/g"), dir.resolve("d/f"));
        Files.createSymbolicLink(dir.resolve("d/l"), Path.of("f"));
        Files.setAttribute(dir.resolve("d"), "unix:mode", 0755);
        Files.setAttribute(dir.resolve("d/f"), "unix:mode", 0644);
        Object uid = Files.getAttribute(dir, "unix:uid");
        Object gid = Files.getAttribute(dir, "unix:gid");
        TarBuilder t = new TarBuilder();
        t.dir("d", 0755).owner((Integer) uid, (Integer) gid);
        t.file("d/f", 0644, "f").owner((Integer) uid, (Integer) gid);
        t.hardlink("d/g", "d/f");
        t.symlink("d/l", "f").owner((Integer) uid, (Integer) gid);
        TreeSnapshot expected = TreeSnapshot.empty().apply(t);
        assertEquals(List.of(), expected.differences(TreeSnapshot.of(dir)));
        Files.writeString(dir.resolve("d/extra"), "");
        assertFalse(expected.differences(TreeSnapshot.of(dir)).isEmpty());
    }
}
