package keel.logging.json.internal;

import static keel.logging.json.internal.JsonFileLogTest.numbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.logging.ContainerLog;
import keel.engine.api.logging.LogContext;
import keel.engine.api.logging.LogEntry;
import keel.engine.api.logging.LogReadOptions;
import keel.engine.api.logging.LogSink;
import keel.logging.json.JsonFileLogDriver;

/** {@code docker logs -f}: followers see every line once, in order, across rotations, and never slow the writer. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsonFileFollowTest {

    static final long T0 = JsonLogEncoderTest.T;

    @TempDir
    Path dir;

    ContainerLog open(Map<String, String> options) throws IOException {
        return new JsonFileLogDriver().open(new LogContext(JsonFileLogTest.ID, "/c", "img", dir, options));
    }

    /** Checks that a follower got lines numbered from {@code first}, each once, in order, up to {@code count}. */
    static final class SequenceSink implements LogSink {
        final int first;
        final int count;
        final AtomicLong received = new AtomicLong();
        final AtomicReference<String> error = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        final long delayEveryNanos;
        final int delayEvery;
        volatile boolean following = true;
        int next;

        SequenceSink(int first, int count, int delayEvery, long delayEveryNanos) {
            this.first = first;
            this.next = first;
            this.count = count;
            this.delayEvery = delayEvery;
            this.delayEveryNanos = delayEveryNanos;
        }

        @Override
        public boolean accept(LogEntry e) {
            String expected = numbered(next);
            String got = new String(e.line(), StandardCharsets.UTF_8);
            if (!expected.equals(got)) {
                error.compareAndSet(null, "expected " + expected.strip() + " but got " + got.strip());
                done.countDown();
                return false;
            }
            if (e.timeNanos() != T0 + next) {
                error.compareAndSet(null, "wrong time for " + next);
            }
            next++;
            received.incrementAndGet();
            if (delayEvery > 0 && next % delayEvery == 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(delayEveryNanos); // a slow client
            }
            if (next == first + count) {
                done.countDown();
                return false;
            }
            return true;
        }

        @Override
        public boolean following() {
            return following;
        }
    }

    static Thread reader(ContainerLog log, LogReadOptions options, LogSink sink, AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            try {
                log.read(options, sink);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "follower");
        t.start();
        return t;
    }

    static long write(ContainerLog log, int from, int to) throws IOException {
        long start = System.nanoTime();
        for (int i = from; i < to; i++) {
            log.write(new LogEntry(i % 2 == 0 ? "stdout" : "stderr", T0 + i, numbered(i).getBytes(StandardCharsets.UTF_8)));
        }
        return System.nanoTime() - start;
    }

    @Test
    void followersSeeEveryLineOnceAcrossCompressedRotations() throws Exception {
        int n = 100_000;
        // ~8.5 MB of lines in 200 kB files: ~40 rotations, each compressed in the background while followed.
        ContainerLog log = open(Map.of("max-size", "200k", "max-file", "100", "compress", "true"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        SequenceSink fromStart = new SequenceSink(0, n, 0, 0);
        Thread f1 = reader(log, new LogReadOptions(0, 0, 0, true), fromStart, failure);
        Thread.sleep(50); // let it take its starting position before the first line
        SequenceSink joinLate = new SequenceSink(0, n, 0, 0);
        Thread f2 = null;
        long writeNanos = 0;
        for (int chunk = 0; chunk < 10; chunk++) {
            writeNanos += write(log, chunk * n / 10, (chunk + 1) * n / 10);
            if (chunk == 3) {
                // joins with the whole history (rotated, compressed, current) and goes on following
                f2 = reader(log, new LogReadOptions(-1, 0, 0, true), joinLate, failure);
            }
        }
        assertTrue(fromStart.done.await(60, TimeUnit.SECONDS), "first follower got " + fromStart.received);
        assertTrue(joinLate.done.await(60, TimeUnit.SECONDS), "late follower got " + joinLate.received);
        f1.join(5000);
        f2.join(5000);
        assertNull(failure.get());
        assertNull(fromStart.error.get());
        assertNull(joinLate.error.get());
        assertEquals(n, fromStart.received.get());
        assertEquals(n, joinLate.received.get());
        long rotated;
        try (Stream<Path> files = Files.list(dir)) {
            rotated = files.filter(p -> p.toString().endsWith(".gz")).count();
        }
        System.out.printf("follow: %d lines written in %.0f ms with two followers, %d compressed rotations%n", n,
                writeNanos / 1e6, rotated);
        assertTrue(rotated >= 30, rotated + " rotations");
        log.close();
    }

    @Test
    void followEndsWhenTheSinkStopsFollowingOrTheLogCloses() throws Exception {
        ContainerLog log = open(Map.of());
        write(log, 0, 5);
        CollectingSink sink = new CollectingSink();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = reader(log, new LogReadOptions(-1, 0, 0, true), sink, failure);
        write(log, 5, 10);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sink.lines().size() < 10 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(10, sink.lines().size());
        assertTrue(t.isAlive());
        long stopAsked = System.nanoTime();
        sink.following = false;
        t.join(2000);
        assertFalse(t.isAlive());
        assertTrue(System.nanoTime() - stopAsked < TimeUnit.MILLISECONDS.toNanos(1000)); // checked every ~100 ms
        // a follower on a log that closes drains it and ends
        CollectingSink second = new CollectingSink();
        Thread t2 = reader(log, new LogReadOptions(0, 0, 0, true), second, failure);
        Thread.sleep(50);
        write(log, 10, 12);
        log.close();
        t2.join(2000);
        assertFalse(t2.isAlive());
        assertEquals(List.of(numbered(10), numbered(11)), second.lines());
        // --until in the past while following: stops once the clock passes it
        ContainerLog again = open(Map.of());
        CollectingSink third = new CollectingSink();
        Thread t3 = reader(again, new LogReadOptions(0, 0, System.currentTimeMillis() * 1_000_000L + 200_000_000L,
                true), third, failure);
        t3.join(3000);
        assertFalse(t3.isAlive());
        again.close();
        assertNull(failure.get());
    }

    @Test
    void newLinesReachAFollowerWithinMilliseconds() throws Exception {
        ContainerLog log = open(Map.of());
        AtomicLong seenAt = new AtomicLong();
        CountDownLatch seen = new CountDownLatch(1);
        LogSink sink = new LogSink() {
            @Override
            public boolean accept(LogEntry entry) {
                seenAt.set(System.nanoTime());
                seen.countDown();
                return false;
            }

            @Override
            public boolean following() {
                return true;
            }
        };
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = reader(log, new LogReadOptions(0, 0, 0, true), sink, failure);
        Thread.sleep(300); // the follower is parked, idle
        long wrote = System.nanoTime();
        write(log, 0, 1);
        assertTrue(seen.await(5, TimeUnit.SECONDS));
        t.join(2000);
        System.out.printf("follow latency: %.2f ms%n", (seenAt.get() - wrote) / 1e6);
        log.close();
    }

    @Test
    void aSlowFollowerDoesNotSlowTheWriter() throws Exception {
        int n = 200_000;
        List<Long> alone = new ArrayList<>();
        List<Long> followed = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            Path d1 = Files.createDirectory(dir.resolve("alone" + round));
            ContainerLog a = new JsonFileLogDriver().open(new LogContext("a", "/a", "i", d1, Map.of()));
            alone.add(write(a, 0, n));
            a.close();

            Path d2 = Files.createDirectory(dir.resolve("followed" + round));
            ContainerLog b = new JsonFileLogDriver().open(new LogContext("b", "/b", "i", d2, Map.of()));
            // ~50 µs per 10 lines: at most ~200k lines/s, slower than the writer
            SequenceSink slow = new SequenceSink(0, n, 10, 50_000);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = reader(b, new LogReadOptions(-1, 0, 0, true), slow, failure);
            followed.add(write(b, 0, n));
            long behind = n - slow.received.get();
            assertTrue(slow.done.await(60, TimeUnit.SECONDS), "slow follower got " + slow.received);
            t.join(5000);
            assertNull(failure.get());
            assertNull(slow.error.get());
            assertEquals(n, slow.received.get());
            b.close();
            System.out.printf("writer: %d lines alone %.0f ms, with a slow follower %.0f ms (it was %d lines behind "
                    + "when the writer finished)%n", n, alone.get(round) / 1e6, followed.get(round) / 1e6, behind);
        }
    }

    @Test
    void aFollowerThatFallsBehindMoreThanMaxFileRotationsSkipsAheadInOrder() throws Exception {
        ContainerLog log = open(Map.of("max-size", "5k", "max-file", "2"));
        int n = 20_000;
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> got = new ArrayList<>();
        LogSink sink = new LogSink() {
            @Override
            public boolean accept(LogEntry e) {
                if (got.isEmpty()) {
                    try {
                        release.await(); // stuck on the first line while the writer rotates many times
                    } catch (InterruptedException ex) {
                        return false;
                    }
                }
                String s = new String(e.line(), StandardCharsets.UTF_8);
                got.add(Integer.parseInt(s.substring(5, 11)));
                return got.get(got.size() - 1) != n - 1;
            }

            @Override
            public boolean following() {
                return true;
            }
        };
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = reader(log, new LogReadOptions(0, 0, 0, true), sink, failure);
        Thread.sleep(50);
        write(log, 0, n);
        release.countDown();
        t.join(10_000);
        assertNull(failure.get());
        assertFalse(t.isAlive());
        for (int i = 1; i < got.size(); i++) {
            assertTrue(got.get(i) > got.get(i - 1), "in order, no duplicate: " + got.get(i - 1) + " then " + got.get(i));
        }
        assertEquals(n - 1, got.get(got.size() - 1));
        log.close();
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.collect(Collectors.toList()).size());
        }
    }

    @Test
    void readsDuringFastRotationsSeeAContiguousRun() throws Exception {
        // 1 kB files: a rotation every ~7 lines, each compressed in the background, while readers read everything.
        ContainerLog log = open(Map.of("max-size", "1k", "max-file", "5", "compress", "true"));
        int n = 20_000;
        AtomicReference<String> problem = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        Thread writer = new Thread(() -> {
            try {
                write(log, 0, n);
            } catch (IOException e) {
                problem.compareAndSet(null, e.toString());
            }
        });
        writer.start();
        while (writer.isAlive()) {
            CollectingSink sink = new CollectingSink();
            log.read(new LogReadOptions(reads.get() % 2 == 0 ? -1 : 20, 0, 0, false), sink);
            List<String> lines = sink.lines();
            for (int i = 1; i < lines.size(); i++) {
                int a = Integer.parseInt(lines.get(i - 1).substring(5, 11));
                int b = Integer.parseInt(lines.get(i).substring(5, 11));
                if (b != a + 1) {
                    problem.compareAndSet(null, "read " + reads.get() + ": " + a + " then " + b);
                }
            }
            reads.incrementAndGet();
        }
        writer.join();
        log.close();
        assertNull(problem.get());
        ContainerLog reopened = open(Map.of("max-size", "1k", "max-file", "5", "compress", "true"));
        CollectingSink all = new CollectingSink();
        reopened.read(new LogReadOptions(-1, 0, 0, false), all);
        List<String> lines = all.lines();
        assertEquals(numbered(n - 1), lines.get(lines.size() - 1));
        assertEquals(numbered(n - lines.size()), lines.get(0));
        assertTrue(lines.size() > 4 * 6, lines.size() + " lines kept");
        try (Stream<Path> files = Files.list(dir)) {
            String name = JsonFileLogTest.ID + "-json.log";
            assertEquals(List.of(name, name + ".1.gz", name + ".2.gz", name + ".3.gz", name + ".4.gz"),
                    files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        }
        System.out.printf("%d consistent reads during %d rotations%n", reads.get(), n / 7);
        reopened.close();
    }
}
