package keel.logging.json.internal;

import static keel.logging.json.internal.JsonLogEncoderTest.T;
import static keel.logging.json.internal.JsonLogEncoderTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.logging.ContainerLog;
import keel.engine.api.logging.LogContext;
import keel.engine.api.logging.LogEntry;
import keel.engine.api.logging.LogReadOptions;
import keel.logging.json.JsonFileLogDriver;

/** Files, rotation, compression and reads (tail, since/until, partial lines) of the json-file driver. */
class JsonFileLogTest {

    static final String ID = "a7317399f3f857173c6179d44823594f8294678dea9999662e5c625b5a1c7657";
    static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private final List<ContainerLog> opened = new ArrayList<>();

    @AfterEach
    void closeLogs() throws IOException {
        for (ContainerLog l : opened) {
            l.close();
        }
    }

    ContainerLog open(Map<String, String> options) throws IOException {
        ContainerLog log = new JsonFileLogDriver().open(new LogContext(ID, "/test-container", "alpine:3.20", dir,
                options));
        opened.add(log);
        return log;
    }

    static LogEntry line(String stream, long time, String text) {
        return new LogEntry(stream, time, text.getBytes(StandardCharsets.UTF_8));
    }

    static String numbered(int i) {
        return String.format("line %06d of a test log with some padding to look like a real one%n", i);
    }

    static List<String> read(ContainerLog log, int tail, long since, long until) throws IOException {
        CollectingSink sink = new CollectingSink();
        log.read(new LogReadOptions(tail, since, until, false), sink);
        return sink.lines();
    }

    static List<String> numberedRange(int from, int toExclusive) {
        return IntStream.range(from, toExclusive).mapToObj(JsonFileLogTest::numbered).collect(Collectors.toList());
    }

    @Test
    void writesDockersFileByteForByte() throws IOException {
        ContainerLog log = open(Map.of("tag", "{{.ID}}/{{.Name}}"));
        assertEquals(dir.resolve(ID + "-json.log"), log.path());
        log.write(line("stdout", T, "line1\n"));
        log.write(line("stderr", T + 1, "partial"));
        log.write(new LogEntry("stdout", T + 2, bytes("<&>", 0xff, "\t\n")));
        String tag = "\"attrs\":{\"tag\":\"a7317399f3f8/test-container\"},";
        assertEquals("{\"log\":\"line1\\n\",\"stream\":\"stdout\"," + tag + "\"time\":\"2026-11-23T15:00:00.123456789Z\"}\n"
                + "{\"log\":\"partial\",\"stream\":\"stderr\"," + tag + "\"time\":\"2026-11-23T15:00:00.12345679Z\"}\n"
                + "{\"log\":\"\\u003c\\u0026\\u003e\\ufffd\\u0009\\n\",\"stream\":\"stdout\"," + tag
                + "\"time\":\"2026-11-23T15:00:00.123456791Z\"}\n",
                Files.readString(log.path()));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(log.path())));
    }

    @Test
    void roundTripOfOddBytesAndPartialMessages() throws IOException {
        ContainerLog log = open(Map.of());
        List<byte[]> written = List.of(bytes("plain\n"), bytes("no newline: the first piece of a long line"),
                bytes(" and its end\n"), bytes("\"quoted\" \\ back\\slash\n"), bytes("<html>&amp;</html>\n"),
                bytes(0, 1, 2, 0x1b, "[31mred", 0x1b, "[0m\r\n"), bytes("héllo 世界 🚀 \u2028\u2029\n"),
                bytes("tab\there\n"), new byte[0], bytes(0x7f, "\n"));
        for (int i = 0; i < written.size(); i++) {
            log.write(new LogEntry(i % 2 == 0 ? "stdout" : "stderr", T + i, written.get(i)));
        }
        CollectingSink sink = new CollectingSink();
        log.read(new LogReadOptions(-1, 0, 0, false), sink);
        assertEquals(written.size(), sink.entries.size());
        for (int i = 0; i < written.size(); i++) {
            LogEntry e = sink.entries.get(i);
            assertArrayEquals(written.get(i), e.line(), "entry " + i);
            assertEquals(i % 2 == 0 ? "stdout" : "stderr", e.stream());
            assertEquals(T + i, e.timeNanos());
        }
        // Invalid UTF-8 comes back as Docker returns it: each bad byte replaced by U+FFFD.
        log.write(new LogEntry("stdout", T, bytes("a", 0xff, 0xc3, "\n")));
        assertEquals(List.of("a\uFFFD\uFFFD\n"), read(log, 1, 0, 0));
    }

    @Test
    void rotatesLikeDocker() throws IOException {
        ContainerLog log = open(Map.of("max-size", "1k", "max-file", "3"));
        int lineLength = JsonFileLogTest.encodedLength(numbered(0));
        for (int i = 0; i < 100; i++) {
            log.write(line("stdout", T + i, numbered(i)));
        }
        Path f = log.path();
        assertTrue(Files.exists(f));
        assertTrue(Files.exists(Path.of(f + ".1")));
        assertTrue(Files.exists(Path.of(f + ".2")));
        assertFalse(Files.exists(Path.of(f + ".3")));
        // A file rotates on the write after it reached max-size: it holds at least 1000 bytes, at most one line more.
        for (Path p : List.of(Path.of(f + ".1"), Path.of(f + ".2"))) {
            long size = Files.size(p);
            assertTrue(size >= 1000 && size < 1000 + lineLength, p + " has " + size);
        }
        int perFile = (int) Files.size(Path.of(f + ".1")) / lineLength;
        List<String> all = read(log, -1, 0, 0);
        assertEquals(numberedRange(100 - all.size(), 100), all);
        assertTrue(all.size() > 2 * perFile && all.size() <= 3 * perFile, all.size() + " lines kept");
        log.remove();
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.collect(Collectors.toList()));
        }
    }

    static int encodedLength(String text) {
        JsonLogEncoder enc = new JsonLogEncoder(null);
        enc.encode(line("stdout", T, text));
        return enc.length();
    }

    @Test
    void maxFileOneStartsOverInANewFile() throws IOException {
        ContainerLog log = open(Map.of("max-size", "1k"));
        for (int i = 0; i < 30; i++) {
            log.write(line("stdout", T + i, numbered(i)));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(log.path()), files.collect(Collectors.toList()));
        }
        List<String> kept = read(log, -1, 0, 0);
        assertEquals(numberedRange(30 - kept.size(), 30), kept);
    }

    @Test
    void compressedRotationsCarryDockersHeader() throws IOException {
        ContainerLog log = open(Map.of("max-size", "2k", "max-file", "4", "compress", "true"));
        for (int i = 0; i < 200; i++) {
            log.write(line("stdout", T + i * SECOND, numbered(i)));
        }
        log.close(); // waits for the compression in flight
        Path f = log.path();
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f.getFileName() + "", f.getFileName() + ".1.gz", f.getFileName() + ".2.gz",
                    f.getFileName() + ".3.gz"), files.map(p -> p.getFileName().toString()).sorted()
                            .collect(Collectors.toList()));
        }
        for (int n = 1; n <= 3; n++) {
            byte[] gz = Files.readAllBytes(Path.of(f + "." + n + ".gz"));
            // Go's gzip header: deflate, FEXTRA, MTIME 0, XFL 0, OS 255, then the extra field.
            assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 8, 4, 0, 0, 0, 0, 0, (byte) 0xff}, java.util.Arrays
                    .copyOf(gz, 10));
            int xlen = (gz[10] & 0xff) | (gz[11] & 0xff) << 8;
            String extra = new String(gz, 12, xlen, StandardCharsets.US_ASCII);
            String content;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(f + "." + n + ".gz")))) {
                content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String lastLine = content.substring(content.lastIndexOf('\n', content.length() - 2) + 1);
            String lastTime = lastLine.substring(lastLine.indexOf("\"time\":\"") + 8, lastLine.lastIndexOf('"'));
            assertEquals("{\"lastTime\":\"" + lastTime + "\"}", extra);
        }
        ContainerLog reopened = open(Map.of("max-size", "2k", "max-file", "4", "compress", "true"));
        List<String> all = read(reopened, -1, 0, 0);
        assertEquals(numberedRange(200 - all.size(), 200), all);
    }

    @Test
    void tailReadsAcrossRotatedAndCompressedFiles() throws IOException {
        ContainerLog log = open(Map.of("max-size", "10k", "max-file", "5", "compress", "true"));
        for (int i = 0; i < 1000; i++) {
            log.write(line(i % 3 == 0 ? "stderr" : "stdout", T + i * SECOND, numbered(i)));
        }
        List<String> all = read(log, -1, 0, 0);
        int first = 1000 - all.size();
        assertEquals(numberedRange(first, 1000), all);
        assertEquals(numberedRange(990, 1000), read(log, 10, 0, 0));
        assertTrue(all.size() > 300, all.size() + " lines kept");
        assertEquals(numberedRange(1000 - 250, 1000), read(log, 250, 0, 0)); // spans 3 or 4 files of ~70 lines
        assertEquals(all, read(log, 100_000, 0, 0));
        assertEquals(numberedRange(999, 1000), read(log, 1, 0, 0));
        assertEquals(List.of(), read(log, 0, 0, 0));
        // tail then since/until: the window applies to the tail, as in Docker
        assertEquals(numberedRange(995, 998), read(log, 10, T + 995 * SECOND, T + 997 * SECOND));
        // an empty log
        ContainerLog empty = new JsonFileLogDriver().open(new LogContext("other", "/o", "img", dir, Map.of()));
        opened.add(empty);
        assertEquals(List.of(), read(empty, 5, 0, 0));
    }

    @Test
    void sinceAndUntil() throws IOException {
        ContainerLog log = open(Map.of("max-size", "3k", "max-file", "10", "compress", "true"));
        for (int i = 0; i < 100; i++) {
            log.write(line("stdout", T + i * SECOND, numbered(i)));
        }
        assertEquals(numberedRange(10, 21), read(log, -1, T + 10 * SECOND, T + 20 * SECOND)); // until inclusive
        assertEquals(numberedRange(50, 100), read(log, -1, T + 50 * SECOND - 1, 0));
        assertEquals(numberedRange(0, 5), read(log, -1, 0, T + 4 * SECOND + 1));
        assertEquals(List.of(), read(log, -1, T + 1000 * SECOND, 0));
    }

    @Test
    void sinceStopsFilteringAtTheFirstMatchLikeDocker() throws IOException {
        ContainerLog log = open(Map.of());
        long[] times = {1, 5, 2, 8};
        for (long t : times) {
            log.write(line("stdout", T + t * SECOND, t + "\n"));
        }
        assertEquals(List.of("5\n", "2\n", "8\n"), read(log, -1, T + 4 * SECOND, 0));
        assertEquals(List.of("1\n", "5\n", "2\n"), read(log, -1, 0, T + 6 * SECOND)); // stops at 8
    }

    @Test
    void sinkCanStopARead() throws IOException {
        ContainerLog log = open(Map.of());
        for (int i = 0; i < 100; i++) {
            log.write(line("stdout", T + i, numbered(i)));
        }
        CollectingSink sink = new CollectingSink(e -> new String(e.line()).startsWith("line 000009"));
        log.read(new LogReadOptions(-1, 0, 0, true), sink);
        assertEquals(numberedRange(0, 10), sink.lines());
    }

    @Test
    void damagedLinesAreSkippedNotTheRestOfTheFile() throws IOException {
        ContainerLog log = open(Map.of());
        log.write(line("stdout", T, "before\n"));
        log.close();
        Files.writeString(log.path(), "some random garbage\n{\"log\":\"cut sh", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(log.path(), "\n{\"time\":\"2026-11-23T15:00:00Z\",\"log\":\"after\\n\",\"stream\":\"stdout\"}\n",
                java.nio.file.StandardOpenOption.APPEND);
        ContainerLog reopened = open(Map.of());
        assertEquals(List.of("before\n", "after\n"), read(reopened, -1, 0, 0));
        assertEquals(List.of("after\n"), read(reopened, 1, 0, 0));
    }

    @Test
    void writeAfterCloseFails() throws IOException {
        ContainerLog log = open(Map.of());
        log.close();
        assertThrows(IOException.class, () -> log.write(line("stdout", T, "x\n")));
    }

    @Test
    void reopenAppends() throws IOException {
        ContainerLog log = open(Map.of());
        log.write(line("stdout", T, "one\n"));
        log.close();
        ContainerLog again = open(Map.of());
        again.write(line("stdout", T, "two\n"));
        assertEquals(List.of("one\n", "two\n"), read(again, -1, 0, 0));
        Map<String, String> none = new HashMap<>();
        ContainerLog third = new JsonFileLogDriver().open(new LogContext(ID, "/x", "i", dir, none));
        opened.add(third);
        assertTrue(third.readable());
    }
}
