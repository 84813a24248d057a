package keel.engine.archive.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.storage.WhiteoutFormat;

/** writeTree then extract gives the same tree back, and the tar is what other tools expect. */
class TarLayerArchiverRoundTripTest {

    private final TarLayerArchiver archiver = new TarLayerArchiver();

    @TempDir
    Path temp;

    @Test
    void everyKindOfEntrySurvivesWriteTreeThenExtract() throws IOException {
        Path source = Files.createDirectory(temp.resolve("source"));
        SampleTree.createFull(source);
        byte[] tar = writeTree(source, WhiteoutFormat.APPLIED);

        Path copy = Files.createDirectory(temp.resolve("copy"));
        long bytes = archiver.extract(new ByteArrayInputStream(tar), copy, WhiteoutFormat.APPLIED);

        SortedMap<String, String> expected = snapshot(source);
        assertEquals(expected, snapshot(copy));
        // Spot checks of what the comparison covers, so that a broken snapshot cannot hide a broken archiver.
        assertTrue(expected.get("bin/setuid").contains("mode=4755"), expected.get("bin/setuid"));
        assertTrue(expected.get("bin/ping").contains("security.capability=0100000280040000"),
                expected.get("bin/ping"));
        assertTrue(expected.get("a/b/hard-2.txt").contains("inode-of=a/b/hard-2.txt"));
        assertTrue(expected.get("fifo").startsWith("fifo mode=0640 uid=1234 gid=5678"));
        assertTrue(expected.get("dev/null").contains("rdev=1:3"));
        assertTrue(expected.get("bin/big-ids").contains("uid=3000000 gid=4000000"));
        // Content bytes: "hello\n" once (hardlinks carry none) + big.bin + the small files.
        assertEquals(6 + 300_000 + 10 + 10 + 4 + 3 + 4 + "こんにちは".getBytes("UTF-8").length + 5, bytes);
    }

    @Test
    void writeTreeIsDeterministicAndOrdersParentsFirst() throws IOException {
        Path source = Files.createDirectory(temp.resolve("source"));
        SampleTree.createFull(source);
        byte[] first = writeTree(source, WhiteoutFormat.APPLIED);
        byte[] second = writeTree(source, WhiteoutFormat.APPLIED);
        assertArrayEquals(first, second);

        List<String> entries = TarListing.of(first);
        assertEquals("dir a/", entries.get(0));
        assertEquals("dir a/b/", entries.get(1));
        // The first path of a hardlinked inode in walk order carries the content; later ones link to it.
        assertTrue(entries.contains("file a/b/hard-2.txt"), entries.toString());
        assertTrue(entries.contains("hardlink a/hello.txt -> a/b/hard-2.txt"), entries.toString());
        assertTrue(entries.contains("hardlink hard-1.txt -> a/b/hard-2.txt"), entries.toString());
        assertTrue(entries.contains("file " + SampleTree.LONG_FILE), entries.toString());
        assertTrue(entries.contains("symlink long-link -> " + SampleTree.LONG_FILE), entries.toString());
        assertTrue(entries.contains("file ünïcødé/日本語.txt"), entries.toString());
        for (int i = 1; i < entries.size(); i++) {
            String name = entries.get(i).split(" ")[1];
            String parent = name.replaceAll("/$", "");
            parent = parent.contains("/") ? parent.substring(0, parent.lastIndexOf('/') + 1) : null;
            if (parent != null) {
                assertTrue(entries.subList(0, i).contains("dir " + parent), "parent of " + name + " comes first");
            }
        }
    }

    @Test
    void gnuTarExtractsWhatKeelWrites() throws Exception {
        Path source = Files.createDirectory(temp.resolve("source"));
        SampleTree.createFull(source);
        Path tarFile = temp.resolve("keel.tar");
        Files.write(tarFile, writeTree(source, WhiteoutFormat.APPLIED));

        Path copy = Files.createDirectory(temp.resolve("gnu"));
        run("tar", "--xattrs", "--xattrs-include=*", "--same-owner", "-p", "-xf", tarFile.toString(), "-C",
                copy.toString());
        assertEquals(snapshot(source), snapshot(copy));
    }

    @Test
    void keelExtractsWhatGnuTarWrites() throws Exception {
        Path source = Files.createDirectory(temp.resolve("source"));
        SampleTree.createFull(source);
        Path tarFile = temp.resolve("gnu.tar");
        // "." makes GNU tar name everything "./x" and list the root as "./": both must be handled.
        run("tar", "--format=pax", "--xattrs", "--xattrs-include=*", "-cf", tarFile.toString(), "-C",
                source.toString(), ".");

        Path copy = Files.createDirectory(temp.resolve("copy"));
        archiver.extract(Files.newInputStream(tarFile), copy, WhiteoutFormat.APPLIED);
        assertEquals(snapshot(source), snapshot(copy));
    }

    @Test
    void keelExtractsGnuFormatLongNames() throws Exception {
        Path source = Files.createDirectory(temp.resolve("source"));
        SampleTree.createFull(source);
        Path tarFile = temp.resolve("gnu.tar");
        // GNU format: long names and link targets in 'L'/'K' entries, big ids in base-256; no xattrs.
        run("tar", "--format=gnu", "-cf", tarFile.toString(), "-C", source.toString(), ".");
        Path copy = Files.createDirectory(temp.resolve("copy"));
        archiver.extract(Files.newInputStream(tarFile), copy, WhiteoutFormat.APPLIED);
        SortedMap<String, String> expected = TreeSnapshot.of(source, TreeSnapshot.Xattrs.CARRIED,
                TreeSnapshot.Times.SECONDS, false);
        SortedMap<String, String> actual = TreeSnapshot.of(copy, TreeSnapshot.Xattrs.CARRIED,
                TreeSnapshot.Times.SECONDS, false);
        assertEquals(expected.keySet(), actual.keySet());
        assertEquals(expected.get(SampleTree.LONG_FILE), actual.get(SampleTree.LONG_FILE));
        assertEquals(expected.get("long-link"), actual.get("long-link"));
        assertEquals(expected.get("bin/big-ids"), actual.get("bin/big-ids"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pax", "gnu"})
    void keelExtractsGnuTarSparseFiles(String format) throws Exception {
        // pax: GNU sparse 1.0 (real name in GNU.sparse.name); gnu: old GNU 'S' entries with extension blocks.
        Path source = Files.createDirectory(temp.resolve("source"));
        Path sparse = source.resolve("sparse.img");
        try (FileChannel ch = FileChannel.open(sparse, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 10; i++) {
                ch.write(ByteBuffer.wrap(("chunk " + i).repeat(500).getBytes(StandardCharsets.US_ASCII)),
                        i * 1_000_000L);
            }
            ch.write(ByteBuffer.wrap(new byte[] {1}), 12_000_000L - 1);
        }
        Path tarFile = temp.resolve("sparse.tar");
        run("tar", "--format=" + format, "--sparse", "-cf", tarFile.toString(), "-C", source.toString(),
                "sparse.img");
        Path copy = Files.createDirectory(temp.resolve("copy"));
        archiver.extract(Files.newInputStream(tarFile), copy, WhiteoutFormat.APPLIED);
        assertEquals(snapshot(source), snapshot(copy));
    }

    private byte[] writeTree(Path dir, WhiteoutFormat format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        archiver.writeTree(dir, format, out);
        return out.toByteArray();
    }

    static SortedMap<String, String> snapshot(Path dir) throws IOException {
        return TreeSnapshot.of(dir, TreeSnapshot.Xattrs.CARRIED, TreeSnapshot.Times.SECONDS, false);
    }

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + output);
    }
}
