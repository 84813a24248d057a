package keel.engine.archive.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import keel.engine.api.storage.WhiteoutFormat;

/**
 * Hostile archives. Each case extracts into {@code base/target} next to a sentinel {@code base/outside}, and checks
 * that the extraction fails (or, where noted, succeeds harmlessly) and that nothing outside the target was
 * written, changed or deleted: the snapshot of {@code base} without {@code target} is the same after as before.
 */
class TarExtractorSecurityTest {

    private static final ExtractionLimits SMALL = new ExtractionLimits(10, 1024, 256, 512);

    @TempDir
    Path base;

    private Path target;
    private Path outside;

    @BeforeEach
    void sentinel() throws IOException {
        target = Files.createDirectory(base.resolve("target"));
        outside = Files.createDirectory(base.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "secret");
        Files.createDirectory(outside.resolve("dir"));
        Files.writeString(outside.resolve("dir/keep"), "keep");
    }

    // ---- names

    @Test
    void dotDotName() throws IOException {
        rejected(new RawTar().file("../escape", "x"), "contains '..'");
    }

    @Test
    void dotDotInTheMiddle() throws IOException {
        rejected(new RawTar().dir("a/").file("a/../../escape", "x"), "contains '..'");
    }

    @Test
    void absoluteName() throws IOException {
        rejected(new RawTar().file(outside.resolve("absolute").toString(), "x"), "is absolute");
    }

    @Test
    void emptyName() throws IOException {
        rejected(new RawTar().file("", "x"), "is empty");
    }

    @Test
    void rootAsFile() throws IOException {
        rejected(new RawTar().file("./", "x"), "target directory itself");
    }

    @Test
    void paxPathOverrideWithDotDot() throws IOException {
        rejected(new RawTar().pax(Map.of("path", "../pax-escape")).file("harmless", "x"), "contains '..'");
    }

    @Test
    void paxPathOverrideAbsolute() throws IOException {
        rejected(new RawTar().pax(Map.of("path", outside.resolve("pax-abs").toString())).file("harmless", "x"),
                "is absolute");
    }

    @Test
    void paxLinkpathOverrideWithDotDot() throws IOException {
        rejected(new RawTar().file("f", "x").pax(Map.of("linkpath", "../outside/secret")).hardlink("h", "f"),
                "contains '..'");
    }

    @Test
    void gnuLongNameWithDotDot() throws IOException {
        // commons-compress writes the 'L' entry itself for names over 100 bytes.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            TarArchiveEntry e = new TarArchiveEntry("a/" + "x".repeat(120) + "/../../../outside/gnu-escape");
            e.setSize(1);
            tar.putArchiveEntry(e);
            tar.write('x');
            tar.closeArchiveEntry();
        }
        rejected(out.toByteArray(), "contains '..'");
    }

    @Test
    void rawGnuLongNameAbsolute() throws IOException {
        rejected(new RawTar().gnuLongName(outside.resolve("gnu-abs").toString()).file("harmless", "x"),
                "is absolute");
    }

    @Test
    void nameLongerThanLimit() throws IOException {
        rejected(SMALL, new RawTar().pax(Map.of("path", "d/".repeat(200) + "f")).file("f", "x"), "longer than 256");
    }

    // ---- symlinks

    @Test
    void directoryEntryOverSymlinkReplacesTheLink() throws IOException {
        accepted(new RawTar().symlink("l", "../outside").dir("l/").file("l/mine", "x"));
        assertTrue(FileStat.of(target.resolve("l")).isDirectory());
        assertTrue(Files.exists(target.resolve("l/mine")));
    }

    @Test
    void symlinkToAbsoluteOutsideThenWriteThroughIt() throws IOException {
        rejected(new RawTar().symlink("link", outside.toString()).file("link/pwned", "x"),
                "refusing to write link/pwned through symlink link");
    }

    @Test
    void symlinkWithRelativeDotDotThenWriteThroughIt() throws IOException {
        rejected(new RawTar().symlink("link", "../outside").file("link/pwned", "x"), "through symlink link");
    }

    @Test
    void symlinkChain() throws IOException {
        rejected(new RawTar().symlink("l2", "../outside").symlink("l1", "l2").file("l1/pwned", "x"),
                "through symlink l1");
    }

    @Test
    void symlinkChainDeep() throws IOException {
        rejected(new RawTar().dir("a/").symlink("a/l2", "../../outside").symlink("l1", "a/l2")
                .file("l1/dir/keep", "overwritten"), "through symlink l1");
    }

    @Test
    void directoryReplacedBySymlinkThenWrittenThrough() throws IOException {
        // The extractor remembers that a/ was a real directory; replacing it must make it check again.
        rejected(new RawTar().dir("a/").file("a/first", "x").symlink("a", "../outside").file("a/pwned", "x"),
                "through symlink a");
    }

    @Test
    void directoryTimesAreNotSetThroughALaterSymlink() throws IOException {
        // a/dir's mtime is applied at the end; by then a is a symlink to outside, which has a dir too.
        accepted(new RawTar().dir("a/").dir("a/dir/").symlink("a", "../outside"));
        assertTrue(FileStat.of(target.resolve("a")).isSymlink());
    }

    @Test
    void opaqueDirectoryIsNotClearedThroughALaterSymlink() throws IOException {
        // APPLIED opaque dirs are cleared at the end; by then a is a symlink to outside, whose dir/keep must stay.
        accepted(new RawTar().dir("a/").dir("a/dir/").file("a/dir/.wh..wh..opq", "").symlink("a", "../outside"));
        assertTrue(FileStat.of(target.resolve("a")).isSymlink());
    }

    @Test
    void symlinkInTheParentLayerIsNotFollowed() throws IOException {
        Files.createSymbolicLink(target.resolve("lib"), outside);
        rejected(new RawTar().file("lib/pwned", "x"), "through symlink lib");
    }

    @Test
    void fileOverExistingSymlinkReplacesTheLinkNotItsTarget() throws IOException {
        Files.createSymbolicLink(target.resolve("f"), outside.resolve("secret"));
        accepted(new RawTar().file("f", "mine"));
        assertTrue(FileStat.of(target.resolve("f")).isRegularFile());
        assertEquals("mine", Files.readString(target.resolve("f")));
    }

    @Test
    void symlinksMayPointAnywhere() throws IOException {
        accepted(new RawTar().symlink("abs", outside.resolve("secret").toString()).symlink("rel", "../outside"));
        assertEquals(outside.resolve("secret"), Files.readSymbolicLink(target.resolve("abs")));
    }

    // ---- hardlinks

    @Test
    void hardlinkToAbsoluteOutsidePath() throws IOException {
        rejected(new RawTar().hardlink("h", outside.resolve("secret").toString()), "is absolute");
    }

    @Test
    void hardlinkWithDotDot() throws IOException {
        rejected(new RawTar().hardlink("h", "../outside/secret"), "contains '..'");
    }

    @Test
    void hardlinkToSymlinkPointingOutside() throws IOException {
        rejected(new RawTar().symlink("s", outside.resolve("secret").toString()).hardlink("h", "s"),
                "is not a regular file");
    }

    @Test
    void hardlinkThroughSymlinkedDirectory() throws IOException {
        rejected(new RawTar().symlink("d", "../outside").hardlink("h", "d/secret"), "through symlink d");
    }

    @Test
    void hardlinkToDirectory() throws IOException {
        rejected(new RawTar().dir("d/").hardlink("h", "d"), "is not a regular file");
    }

    @Test
    void hardlinkToMissingFile() throws IOException {
        rejected(new RawTar().hardlink("h", "nothing"), "does not exist");
    }

    // ---- whiteouts

    @ParameterizedTest
    @EnumSource(WhiteoutFormat.class)
    void whiteoutUnderSymlinkedDirectory(WhiteoutFormat format) throws IOException {
        rejected(format, new RawTar().symlink("d", outside.toString()).file("d/.wh.secret", ""),
                "through symlink d");
    }

    @ParameterizedTest
    @EnumSource(WhiteoutFormat.class)
    void opaqueMarkerUnderSymlinkedDirectory(WhiteoutFormat format) throws IOException {
        rejected(format, new RawTar().symlink("d", "../outside").file("d/.wh..wh..opq", ""),
                "through symlink d");
    }

    @ParameterizedTest
    @EnumSource(WhiteoutFormat.class)
    void whiteoutOfDotDot(WhiteoutFormat format) throws IOException {
        rejected(format, new RawTar().dir("a/").file("a/.wh...", ""), "whiteout for '..'");
    }

    @ParameterizedTest
    @EnumSource(WhiteoutFormat.class)
    void whiteoutOfDotDotAtTheTop(WhiteoutFormat format) throws IOException {
        rejected(format, new RawTar().file(".wh...", ""), "whiteout for '..'");
    }

    @ParameterizedTest
    @EnumSource(WhiteoutFormat.class)
    void whiteoutOfDot(WhiteoutFormat format) throws IOException {
        rejected(format, new RawTar().dir("a/").file("a/.wh..", ""), "whiteout for '.'");
    }

    @ParameterizedTest
    @EnumSource(WhiteoutFormat.class)
    void whiteoutWithDotDotInItsDirectory(WhiteoutFormat format) throws IOException {
        rejected(format, new RawTar().file("../outside/.wh.secret", ""), "contains '..'");
    }

    // ---- devices

    @Test
    void deviceNodeOutsideDev() throws IOException {
        rejected(new RawTar().device("evil-mem", '3', 1, 1), "device node outside dev/");
    }

    @Test
    void blockDeviceOutsideDev() throws IOException {
        rejected(new RawTar().dir("dev2/").device("dev2/sda", '4', 8, 0), "device node outside dev/");
    }

    @Test
    void deviceNodeUnderDevIsAllowed() throws IOException {
        accepted(new RawTar().dir("dev/").device("dev/null", '3', 1, 3).device("dev/fifo", '6', 0, 0));
        assertTrue(FileStat.of(target.resolve("dev/null")).isCharDevice());
        assertTrue(FileStat.of(target.resolve("dev/fifo")).isFifo());
    }

    // ---- limits and malformed archives

    @Test
    void moreEntriesThanTheLimit() throws IOException {
        RawTar tar = new RawTar();
        for (int i = 0; i < 11; i++) {
            tar.file("f" + i, "x");
        }
        rejected(SMALL, tar, "archive has more than 10 entries");
    }

    @Test
    void declaredSizeOverTheLimit() throws IOException {
        // Declares 1 GiB, carries a few bytes: rejected before anything is read or written.
        RawTar tar = new RawTar().header("big", '0', 1L << 30, "", 0644, 0, 0, 0).data(new byte[512]);
        rejected(SMALL, tar.unterminated(), "declares 1073741824 bytes");
        assertFalse(Files.exists(target.resolve("big")));
    }

    @Test
    void xattrsOverTheLimit() throws IOException {
        rejected(SMALL, new RawTar().pax(Map.of("SCHILY.xattr.user.big", "v".repeat(600))).file("f", "x"),
                "extended attributes are larger than the limit of 512");
    }

    @Test
    void hugePaxHeader() throws IOException {
        RawTar tar = new RawTar().header("PaxHeaders/x", 'x', 1L << 32, "", 0644, 0, 0, 0);
        rejected(SMALL, tar.unterminated(), "PAX extended header of 4294967296 bytes");
    }

    @Test
    void longChainOfExtendedHeaders() throws IOException {
        RawTar tar = new RawTar();
        for (int i = 0; i < 100; i++) {
            tar.pax(Map.of("comment", "again"));
        }
        rejected(tar.file("f", "x"), "extended headers in a row");
    }

    @Test
    void truncatedInsideFileData() throws IOException {
        byte[] whole = new RawTar().file("a", "a".repeat(2000)).bytes();
        rejected(Arrays.copyOf(whole, 512 + 1000), "Truncated");
    }

    @Test
    void truncatedInsideHeader() throws IOException {
        byte[] whole = new RawTar().file("a", "a").file("b", "b").bytes();
        rejected(Arrays.copyOf(whole, 1024 + 300), "ends inside the header");
    }

    @Test
    void garbage() throws IOException {
        byte[] noise = new byte[8192];
        new Random(7).nextBytes(noise);
        rejected(noise, "not a tar archive");
    }

    @Test
    void shortGarbage() throws IOException {
        rejected("this is not a tar file".getBytes(StandardCharsets.UTF_8), "ends inside the header");
    }

    @Test
    void corruptChecksumAfterValidEntries() throws IOException {
        byte[] bytes = new RawTar().file("a", "a").file("b", "b").bytes();
        bytes[1024 + 10] ^= 1;
        rejected(bytes, "bad header checksum at offset 1024");
    }

    @Test
    void unsupportedEntryType() throws IOException {
        rejected(new RawTar().header("v", 'V', 0, "", 0644, 0, 0, 0), "unsupported entry type 'V'");
    }

    @Test
    void overlayXattrsAreStrippedNotRejected() throws IOException {
        accepted(new RawTar()
                .pax(Map.of("SCHILY.xattr.trusted.overlay.opaque", "y", "SCHILY.xattr.user.fine", "ok"))
                .dir("d/")
                .pax(Map.of("SCHILY.xattr.trusted.overlay.redirect", "/"))
                .file("f", "x"));
        FileSystemCalls fs = LibcFileSystemCalls.get();
        assertEquals(List.of("user.fine"), fs.listXattrs(target.resolve("d")));
        assertEquals(List.of(), fs.listXattrs(target.resolve("f")));
    }

    @Test
    void emptyArchiveIsFine() throws IOException {
        accepted(new RawTar());
        accepted(new byte[0]);
    }

    // ---- harness

    private void rejected(RawTar tar, String message) throws IOException {
        rejected(ExtractionLimits.DEFAULT, WhiteoutFormat.APPLIED, tar.bytes(), message);
    }

    private void rejected(ExtractionLimits limits, RawTar tar, String message) throws IOException {
        rejected(limits, WhiteoutFormat.APPLIED, tar.bytes(), message);
    }

    private void rejected(WhiteoutFormat format, RawTar tar, String message) throws IOException {
        rejected(ExtractionLimits.DEFAULT, format, tar.bytes(), message);
    }

    private void rejected(byte[] tar, String message) throws IOException {
        rejected(ExtractionLimits.DEFAULT, WhiteoutFormat.APPLIED, tar, message);
    }

    private void rejected(ExtractionLimits limits, byte[] tar, String message) throws IOException {
        rejected(limits, WhiteoutFormat.APPLIED, tar, message);
    }

    private void rejected(ExtractionLimits limits, WhiteoutFormat format, byte[] tar, String message)
            throws IOException {
        SortedMap<String, String> before = outsideSnapshot();
        InputStream in = new ByteArrayInputStream(tar);
        InvalidArchiveException e = assertThrows(InvalidArchiveException.class,
                () -> new TarLayerArchiver(limits).extract(in, target, format));
        assertTrue(e.getMessage().contains(message), "message '" + e.getMessage() + "' should say '" + message + "'");
        assertEquals(before, outsideSnapshot(), "nothing outside the target changed");
    }

    private void accepted(RawTar tar) throws IOException {
        accepted(tar.bytes());
    }

    private void accepted(byte[] tar) throws IOException {
        SortedMap<String, String> before = outsideSnapshot();
        new TarLayerArchiver().extract(new ByteArrayInputStream(tar), target, WhiteoutFormat.APPLIED);
        assertEquals(before, outsideSnapshot(), "nothing outside the target changed");
    }

    /** base without target/, with nanosecond times and every xattr, base itself included. */
    private SortedMap<String, String> outsideSnapshot() throws IOException {
        SortedMap<String, String> all = TreeSnapshot.of(base, TreeSnapshot.Xattrs.ALL, TreeSnapshot.Times.NANOS,
                true);
        Map<String, String> kept = new LinkedHashMap<>(all);
        kept.keySet().removeIf(name -> name.equals("target") || name.startsWith("target/"));
        return new java.util.TreeMap<>(kept);
    }
}
