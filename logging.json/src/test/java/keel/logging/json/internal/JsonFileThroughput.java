package keel.logging.json.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import keel.engine.api.logging.ContainerLog;
import keel.engine.api.logging.LogContext;
import keel.engine.api.logging.LogEntry;
import keel.engine.api.logging.LogReadOptions;
import keel.engine.api.logging.LogSink;
import keel.logging.json.JsonFileLogDriver;

/**
 * A throwaway measurement, not a test: writes ~100 MB of typical container output (80% plain application log
 * lines, 20% JSON-structured lines full of quotes that need escapes) and reads it all back.
 * Run: {@code java -cp target/classes:target/test-classes:<engine.api jar> keel.logging.json.internal.JsonFileThroughput <dir> [options]}
 * where options are key=value log options (e.g. max-size=20m max-file=10 compress=true).
 */
public final class JsonFileThroughput {

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(args[0]), "throughput");
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            options.put(kv[0], kv[1]);
        }
        try {
            run(dir, options);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void run(Path dir, Map<String, String> options) throws Exception {
        byte[][] lines = new byte[4096][];
        Random r = new Random(1);
        String[] levels = {"INFO ", "DEBUG", "WARN ", "ERROR"};
        for (int i = 0; i < lines.length; i++) {
            String s = i % 5 == 4
                    ? String.format("{\"level\":\"info\",\"ts\":\"2026-11-23T15:00:%02d.%03dZ\",\"msg\":\"request done\","
                            + "\"path\":\"/api/v1/items/%d\",\"status\":200,\"duration_ms\":%d,\"user\":\"u%d\"}%n",
                            r.nextInt(60), r.nextInt(1000), r.nextInt(100000), r.nextInt(500), r.nextInt(10000))
                    : String.format("2026-11-23 15:00:%02d.%03d %s [worker-%d] com.example.orders.OrderService - "
                            + "processed order %d for customer %d in %d ms%n", r.nextInt(60), r.nextInt(1000),
                            levels[r.nextInt(4)], r.nextInt(16), r.nextInt(1_000_000), r.nextInt(100_000),
                            r.nextInt(500));
            lines[i] = s.getBytes(StandardCharsets.UTF_8);
        }
        ContainerLog log = new JsonFileLogDriver().open(new LogContext("bench", "/bench", "img", dir, options));
        long target = 100L * 1000 * 1000;
        long raw = 0;
        long count = 0;
        long t = System.currentTimeMillis() * 1_000_000L;
        long start = System.nanoTime();
        while (raw < target) {
            byte[] l = lines[(int) (count & 4095)];
            log.write(new LogEntry((count & 7) == 0 ? "stderr" : "stdout", t + count * 1000, l));
            raw += l.length;
            count++;
        }
        long writeNanos = System.nanoTime() - start;
        long fileBytes;
        try (Stream<Path> files = Files.list(dir)) {
            fileBytes = files.mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("write: %d entries, %.1f MB of messages (%.1f MB on disk) in %.0f ms: %.0f MB/s of "
                + "messages, %.0f k entries/s%n", count, raw / 1e6, fileBytes / 1e6, writeNanos / 1e6,
                raw / 1e3 / (writeNanos / 1e6), count / (writeNanos / 1e6));
        for (int round = 0; round < 3; round++) {
            long[] got = new long[2];
            LogSink sink = new LogSink() {
                @Override
                public boolean accept(LogEntry e) {
                    got[0]++;
                    got[1] += e.line().length;
                    return true;
                }

                @Override
                public boolean following() {
                    return false;
                }
            };
            start = System.nanoTime();
            log.read(new LogReadOptions(-1, 0, 0, false), sink);
            long readNanos = System.nanoTime() - start;
            System.out.printf("read %d: %d entries, %.1f MB of messages in %.0f ms: %.0f MB/s of messages, "
                    + "%.0f MB/s of file%n", round, got[0], got[1] / 1e6, readNanos / 1e6,
                    got[1] / 1e3 / (readNanos / 1e6), fileBytes / 1e3 / (readNanos / 1e6));
            start = System.nanoTime();
            long[] tail = new long[1];
            log.read(new LogReadOptions(100, 0, 0, false), new LogSink() {
                @Override
                public boolean accept(LogEntry e) {
                    tail[0]++;
                    return true;
                }

                @Override
                public boolean following() {
                    return false;
                }
            });
            System.out.printf("  tail 100: %d entries in %.2f ms%n", tail[0], (System.nanoTime() - start) / 1e6);
        }
        log.close();
    }
}
