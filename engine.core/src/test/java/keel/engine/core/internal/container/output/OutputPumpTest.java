package keel.engine.core.internal.container.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.logging.LogEntry;

/**
 * The output pump on the real kernel (inotify, eventfd, fallocate) with spool files in a temporary directory:
 * delivery, draining at exit, resuming after a restart without loss or duplicates, space given back, throttling,
 * and one thread for many containers.
 */
class OutputPumpTest {

    @TempDir
    Path dir;
    OutputPump pump;

    /** Records what the pump delivers. */
    static final class Recorder implements OutputTarget {
        final List<LogEntry> entries = new ArrayList<>();
        final StringBuilder raw = new StringBuilder();
        volatile boolean throttled;
        volatile int drops;

        @Override
        public synchronized void log(LogEntry entry) {
            entries.add(entry);
        }

        @Override
        public synchronized void raw(int stream, byte[] data, int offset, int length) {
            raw.append(stream).append(':').append(new String(data, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public boolean throttled() {
            return throttled;
        }

        @Override
        public void dropSlowClients() {
            drops++;
            throttled = false;
        }

        synchronized List<String> lines() {
            return entries.stream().map(e -> e.stream() + ":" + new String(e.line(), StandardCharsets.UTF_8)).toList();
        }
    }

    @BeforeEach
    void start() throws IOException {
        pump = OutputPump.onThisHost();
        pump.start();
    }

    @AfterEach
    void stop() {
        pump.close();
    }

    private ContainerOutput output(String id, Recorder r) throws IOException {
        Path d = Files.createDirectories(dir.resolve(id));
        return new ContainerOutput(id, d.resolve("stdout.spool"), d.resolve("stderr.spool"), d.resolve("offsets"),
                false, r);
    }

    private ContainerOutput fresh(String id, Recorder r) throws IOException {
        ContainerOutput o = output(id, r);
        ContainerOutput.resetSpools(o.stdout.path, o.stderr.path, o.offsetsFile);
        return o;
    }

    private static void append(Path file, String s) throws IOException {
        try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
            out.write(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void deliversLinesOfBothStreamsAsTheyAreWritten() throws Exception {
        Recorder r = new Recorder();
        ContainerOutput o = fresh("a", r);
        pump.register(o);
        append(o.stdout.path, "one\ntw");
        await(() -> r.lines().size() == 1);
        append(o.stdout.path, "o\n");
        append(o.stderr.path, "oops\n");
        await(() -> r.lines().size() == 3);
        assertTrue(r.lines().containsAll(List.of("stdout:one\n", "stdout:two\n", "stderr:oops\n")), r.lines().toString());
        assertTrue(r.raw.toString().contains("1:one\ntw"), r.raw.toString());
        assertTrue(r.raw.toString().contains("2:oops\n"), r.raw.toString());
    }

    @Test
    void finishDrainsEverythingAndPassesTheUnfinishedLineOn() throws Exception {
        Recorder r = new Recorder();
        ContainerOutput o = fresh("b", r);
        pump.register(o);
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 20000; i++) {
            big.append("line ").append(i).append('\n');
        }
        append(o.stdout.path, big + "last words");
        pump.finish(o).get(10, TimeUnit.SECONDS);
        List<String> lines = r.lines();
        assertEquals(20001, lines.size());
        assertEquals("stdout:last words", lines.get(20000));
        assertEquals(0, Files.size(o.stdout.path), "the spool is truncated once drained");
        assertEquals(0L, ContainerOutput.readOffsets(o.offsetsFile)[0]);
    }

    @Test
    void aNewPumpResumesWhereTheOldOneStoppedWithoutLossOrDuplicates() throws Exception {
        Recorder r = new Recorder();
        ContainerOutput o = fresh("c", r);
        pump.register(o);
        append(o.stdout.path, "before 1\nbefore 2\nhalf a li");
        await(() -> r.lines().size() == 2);
        pump.detach(o).get(10, TimeUnit.SECONDS);
        pump.close();

        // the container keeps writing while no daemon reads
        append(o.stdout.path, "ne\nwhile down\n");
        append(o.stderr.path, "err while down\n");

        pump = OutputPump.onThisHost();
        pump.start();
        Recorder r2 = new Recorder();
        ContainerOutput again = output("c", r2);
        pump.register(again);
        await(() -> r2.lines().size() == 3);
        append(again.stdout.path, "after\n");
        await(() -> r2.lines().size() == 4);
        assertEquals(List.of("stdout:before 1\n", "stdout:before 2\n"), r.lines());
        List<String> resumed = r2.lines();
        assertTrue(resumed.containsAll(List.of("stdout:half a line\n", "stdout:while down\n",
                "stderr:err while down\n", "stdout:after\n")), resumed.toString());
    }

    @Test
    void consumedSpoolSpaceIsGivenBack() throws Exception {
        Recorder r = new Recorder();
        ContainerOutput o = fresh("d", r);
        pump.register(o);
        String line = "x".repeat(1023) + "\n";
        StringBuilder chunk = new StringBuilder();
        for (int i = 0; i < 1024; i++) {
            chunk.append(line);
        }
        for (int i = 0; i < 4; i++) {
            append(o.stdout.path, chunk.toString()); // 4 MiB in all
        }
        await(() -> r.lines().size() == 4096);
        Thread.sleep(50);
        assertEquals(4L * 1024 * 1024, Files.size(o.stdout.path), "the size stays (the writer appends)");
        long allocated = allocatedBytes(o.stdout.path);
        assertTrue(allocated < 1024 * 1024 + 8192, "allocated after consumption: " + allocated);
    }

    private static long allocatedBytes(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
        String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
        p.waitFor();
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }

    @Test
    void aThrottledContainerIsLeftAloneUntilWoken() throws Exception {
        Recorder r = new Recorder();
        ContainerOutput o = fresh("e", r);
        r.throttled = true;
        pump.register(o);
        append(o.stdout.path, "held\n");
        Thread.sleep(200);
        assertEquals(List.of(), r.lines());
        r.throttled = false;
        pump.wake(o);
        await(() -> r.lines().size() == 1);
    }

    @Test
    void anExitedContainerDropsAClientThatNeverCatchesUp() throws Exception {
        Recorder r = new Recorder();
        ContainerOutput o = fresh("f", r);
        r.throttled = true;
        pump.register(o);
        append(o.stdout.path, "to nobody\n");
        long start = System.nanoTime();
        pump.finish(o).get(10, TimeUnit.SECONDS);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(1, r.drops);
        assertEquals(List.of("stdout:to nobody\n"), r.lines());
        assertTrue(took >= 1900 && took < 5000, "took " + took + " ms");
    }

    @Test
    void oneThreadServesManyContainers() throws Exception {
        int n = 200;
        List<Recorder> recorders = new ArrayList<>();
        List<ContainerOutput> outputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Recorder r = new Recorder();
            ContainerOutput o = fresh("m" + i, r);
            recorders.add(r);
            outputs.add(o);
            pump.register(o);
        }
        for (int round = 0; round < 5; round++) {
            for (ContainerOutput o : outputs) {
                append(o.stdout.path, "round " + round + "\n");
            }
        }
        await(() -> recorders.stream().allMatch(r -> r.lines().size() == 5));
        long pumpThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("keel-output-pump")).count();
        assertEquals(1, pumpThreads);
        for (ContainerOutput o : outputs) {
            pump.finish(o).get(10, TimeUnit.SECONDS);
        }
    }
}
