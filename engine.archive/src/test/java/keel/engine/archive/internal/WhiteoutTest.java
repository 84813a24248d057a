package keel.engine.archive.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.storage.WhiteoutFormat;

/** OCI whiteouts and opaque markers, applied in place and kept as overlayfs keeps them. */
class WhiteoutTest {

    private final TarLayerArchiver archiver = new TarLayerArchiver();
    private final FileSystemCalls fs = LibcFileSystemCalls.get();

    @TempDir
    Path temp;

    /** A parent layer: a/{x,y}, b/{old,sub/deep}, c. */
    private Path lower() throws IOException {
        Path lower = Files.createDirectory(temp.resolve("lower"));
        SampleTree t = new SampleTree(lower);
        t.dir("a", 0755, 0, 0);
        t.file("a/x", "x", 0644, 0, 0);
        t.file("a/y", "y", 0644, 0, 0);
        t.dir("b", 0755, 0, 0);
        t.file("b/old", "old", 0644, 0, 0);
        t.dir("b/sub", 0755, 0, 0);
        t.file("b/sub/deep", "deep", 0644, 0, 0);
        t.file("c", "c", 0644, 0, 0);
        t.finish();
        return lower;
    }

    @Test
    void appliedWhiteoutRemovesAndOpaqueMarkerFirstHidesParentContent() throws IOException {
        Path dir = temp.resolve("applied");
        archiver.copyTree(lower(), dir);
        RawTar tar = new RawTar()
                .file("a/.wh.x", "")
                .file(".wh.c", "")
                .dir("b/")
                .file("b/.wh..wh..opq", "")
                .file("b/new", "new")
                .dir("b/sub/")
                .file("b/sub/fresh", "fresh");
        archiver.extract(tar.stream(), dir, WhiteoutFormat.APPLIED);

        assertEquals(List.of("a", "a/y", "b", "b/new", "b/sub", "b/sub/fresh"), names(dir));
    }

    @Test
    void appliedOpaqueMarkerAfterSiblingsKeepsWhatTheLayerWrote() throws IOException {
        Path dir = temp.resolve("applied");
        archiver.copyTree(lower(), dir);
        // The layer passes through b/sub without listing it: b/sub stays, with only the layer's content.
        RawTar tar = new RawTar()
                .file("b/new", "new")
                .file("b/sub/fresh", "fresh")
                .file("b/.wh..wh..opq", "");
        archiver.extract(tar.stream(), dir, WhiteoutFormat.APPLIED);

        assertEquals(List.of("a", "a/x", "a/y", "b", "b/new", "b/sub", "b/sub/fresh", "c"), names(dir));
    }

    @Test
    void appliedWhiteoutOfDirectoryRemovesItWholeAndIgnoresAufsMetadata() throws IOException {
        Path dir = temp.resolve("applied");
        archiver.copyTree(lower(), dir);
        RawTar tar = new RawTar()
                .file("b/.wh.sub", "")
                .file(".wh..wh.aufs", "")
                .dir(".wh..wh.plnk/")
                .file(".wh..wh.plnk/123.456", "aufs hardlink store")
                .file("a/.wh.not-there", "");
        archiver.extract(tar.stream(), dir, WhiteoutFormat.APPLIED);

        assertEquals(List.of("a", "a/x", "a/y", "b", "b/old", "c"), names(dir));
    }

    @Test
    void overlayWhiteoutIsCharDeviceAndOpaqueIsXattrAndWriteTreeTurnsThemBack() throws IOException {
        Path dir = Files.createDirectory(temp.resolve("overlay"));
        RawTar tar = new RawTar()
                .file("a/.wh.x", "")
                .dir("b/")
                .file("b/.wh..wh..opq", "")
                .file("b/new", "new")
                .file("implied/.wh..wh..opq", "");
        archiver.extract(tar.stream(), dir, WhiteoutFormat.OVERLAY);

        FileStat whiteout = FileStat.of(dir.resolve("a/x"));
        assertTrue(whiteout.isOverlayWhiteout(), "a/x is a 0/0 char device");
        assertArrayEquals(new byte[] {'y'}, fs.getXattr(dir.resolve("b"), "trusted.overlay.opaque"));
        assertArrayEquals(new byte[] {'y'}, fs.getXattr(dir.resolve("implied"), "trusted.overlay.opaque"));
        assertNull(fs.getXattr(dir.resolve("a"), "trusted.overlay.opaque"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        archiver.writeTree(dir, WhiteoutFormat.OVERLAY, out);
        assertEquals(List.of("dir a/", "file a/.wh.x", "dir b/", "file b/.wh..wh..opq", "file b/new",
                "dir implied/", "file implied/.wh..wh..opq"), TarListing.of(out.toByteArray()));
        String raw = new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains("trusted.overlay"), "overlay xattrs never leave in a tar");
    }

    @Test
    void overlayWhiteoutsAreHonouredByTheKernel() throws Exception {
        Path lower = lower();
        Path upper = Files.createDirectory(temp.resolve("upper"));
        Path work = Files.createDirectory(temp.resolve("work"));
        Path merged = Files.createDirectory(temp.resolve("merged"));
        RawTar tar = new RawTar()
                .file("a/.wh.x", "")
                .file(".wh.c", "")
                .dir("b/")
                .file("b/.wh..wh..opq", "")
                .file("b/new", "new");
        archiver.extract(tar.stream(), upper, WhiteoutFormat.OVERLAY);

        TarLayerArchiverRoundTripTest.run("mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, merged.toString());
        try {
            assertEquals(List.of("a", "a/y", "b", "b/new"), names(merged));
        } finally {
            TarLayerArchiverRoundTripTest.run("umount", merged.toString());
        }
    }

    @Test
    void archiveCannotForgeOverlayMetadata() throws IOException {
        Path dir = Files.createDirectory(temp.resolve("overlay"));
        RawTar tar = new RawTar()
                .pax(Map.of("SCHILY.xattr.trusted.overlay.opaque", "y",
                        "SCHILY.xattr.trusted.overlay.redirect", "/etc",
                        "SCHILY.xattr.user.overlay.opaque", "y",
                        "SCHILY.xattr.user.keep", "kept"))
                .dir("d/");
        archiver.extract(tar.stream(), dir, WhiteoutFormat.OVERLAY);
        assertEquals(List.of("user.keep"), fs.listXattrs(dir.resolve("d")));
    }

    static List<String> names(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
