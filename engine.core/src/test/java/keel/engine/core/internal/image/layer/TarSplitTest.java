package keel.engine.core.internal.image.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.storage.WhiteoutFormat;
import keel.engine.archive.internal.TarLayerArchiver;
import keel.engine.core.internal.image.TestImages;

/**
 * The tar-split record: a tar extracted by the real archiver and rebuilt from its record and the extracted tree
 * is the same bytes, whatever the tar's dialect (GNU long names, PAX headers, ustar prefixes, hardlinks, extra
 * trailing zero blocks); what is not a tar is noticed.
 */
class TarSplitTest {

    @TempDir
    Path dir;

    private byte[] roundTrip(byte[] tar) throws IOException {
        Path tree = Files.createDirectory(dir.resolve("tree" + System.nanoTime()));
        Path record = dir.resolve("record" + System.nanoTime());
        try (OutputStream out = Files.newOutputStream(record); TarSplitWriter w = new TarSplitWriter(out)) {
            TarSplitRecorder r = new TarSplitRecorder(w);
            // Feed in odd chunk sizes so headers straddle reads.
            Random rnd = new Random(42);
            for (int i = 0; i < tar.length;) {
                int n = Math.min(tar.length - i, 1 + rnd.nextInt(1500));
                r.feed(tar, i, n);
                i += n;
            }
            r.finish();
            assertNull(r.problem());
        }
        new TarLayerArchiver().extract(new ByteArrayInputStream(tar), tree, WhiteoutFormat.APPLIED);
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        long n = TarReassembler.assemble(record, tree, rebuilt);
        assertEquals(tar.length, n);
        assertEquals(tar.length, TarSplitReader.tarLength(record));
        assertTrue(Files.size(record) < tar.length / 4 + 4096, "record is small: " + Files.size(record));
        return rebuilt.toByteArray();
    }

    @Test
    void rebuildsBusyboxExactly() throws IOException {
        byte[] tar = TestImages.busyboxRootfs();
        assertArrayEquals(tar, roundTrip(tar));
    }

    @Test
    void rebuildsLongNamesPaxHardlinksAndPadding() throws IOException {
        byte[] tar = TestImages.tar(t -> {
            TestImages.dir(t, "a");
            TestImages.file(t, "a/" + "x".repeat(200) + ".txt", 0644, "long\n".getBytes(StandardCharsets.UTF_8));
            TestImages.file(t, "a/ünïcødé.txt", 0600, "pax path\n".getBytes(StandardCharsets.UTF_8));
            TestImages.file(t, "a/empty", 0644, new byte[0]);
            TestImages.file(t, "a/exact", 0644, new byte[1024]);
            TestImages.hardlink(t, "a/link", "a/exact");
            TestImages.symlink(t, "a/sym", "../" + "y".repeat(150));
        });
        assertArrayEquals(tar, roundTrip(tar));
        // GNU long names instead of PAX, and the extra zero records tar(1) pads an archive with.
        ByteArrayOutputStream gnu = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(gnu, 10240)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            TarArchiveEntry e = new TarArchiveEntry("d/" + "z".repeat(180));
            e.setSize(3);
            t.putArchiveEntry(e);
            t.write("abc".getBytes(StandardCharsets.UTF_8));
            t.closeArchiveEntry();
        }
        byte[] g = gnu.toByteArray();
        assertEquals(0, g.length % 10240);
        assertArrayEquals(g, roundTrip(g));
    }

    @Test
    void aChangedTreeIsAnErrorNotADifferentTar() throws IOException {
        byte[] tar = TestImages.tar(t -> TestImages.file(t, "f", 0644, "12345".getBytes(StandardCharsets.UTF_8)));
        Path tree = Files.createDirectory(dir.resolve("t"));
        Path record = dir.resolve("r");
        try (OutputStream out = Files.newOutputStream(record); TarSplitWriter w = new TarSplitWriter(out)) {
            TarSplitRecorder r = new TarSplitRecorder(w);
            r.feed(tar, 0, tar.length);
            r.finish();
        }
        Files.writeString(tree.resolve("f"), "123456");
        IOException e = assertThrows(IOException.class, () -> TarReassembler.assemble(record, tree, OutputStream.nullOutputStream()));
        assertTrue(e.getMessage().contains("layer content changed"), e.getMessage());
        // a symlink where the record has a file is refused rather than followed
        Files.delete(tree.resolve("f"));
        Files.createSymbolicLink(tree.resolve("f"), Path.of("/etc/passwd"));
        assertThrows(IOException.class, () -> TarReassembler.assemble(record, tree, OutputStream.nullOutputStream()));
    }

    @Test
    void noticesGarbageAndTruncation() throws IOException {
        assertNotNull(problemOf("definitely not a tar archive".repeat(40).getBytes(StandardCharsets.UTF_8)));
        byte[] tar = TestImages.busyboxRootfs();
        assertEquals("unexpected EOF", problemOf(Arrays.copyOf(tar, 5000)));
        assertNull(problemOf(new byte[0]));
        // Anything after the end-of-archive blocks is kept, not parsed.
        byte[] trailing = Arrays.copyOf(tar, tar.length + 7);
        assertNull(problemOf(trailing));
    }

    private static String problemOf(byte[] data) throws IOException {
        try (TarSplitWriter w = new TarSplitWriter(OutputStream.nullOutputStream())) {
            TarSplitRecorder r = new TarSplitRecorder(w);
            r.feed(data, 0, data.length);
            r.finish();
            return r.problem();
        }
    }
}
