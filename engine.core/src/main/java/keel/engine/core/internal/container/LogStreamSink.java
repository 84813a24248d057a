package keel.engine.core.internal.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.BooleanSupplier;

import keel.engine.api.container.LogOptions;
import keel.engine.api.container.StreamSink;
import keel.engine.api.logging.LogEntry;
import keel.engine.api.logging.LogSink;

/**
 * Passes log entries read back from a driver to a client: the streams it asked for, each entry in one write,
 * prefixed with its time when asked (Docker's RFC3339NanoFixed: always nine digits of fraction, then a space).
 */
final class LogStreamSink implements LogSink {

    private static final DateTimeFormatter FIXED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX")
            .withZone(ZoneOffset.UTC);

    private final LogOptions options;
    private final StreamSink sink;
    private final BooleanSupplier following;

    LogStreamSink(LogOptions options, StreamSink sink, BooleanSupplier following) {
        this.options = options;
        this.sink = sink;
        this.following = following;
    }

    @Override
    public boolean accept(LogEntry entry) throws IOException {
        boolean err = "stderr".equals(entry.stream());
        if (err ? !options.stderr() : !options.stdout()) {
            return true;
        }
        byte[] line = entry.line();
        if (options.timestamps()) {
            byte[] prefix = (timestamp(entry.timeNanos()) + " ").getBytes(StandardCharsets.US_ASCII);
            byte[] both = new byte[prefix.length + line.length];
            System.arraycopy(prefix, 0, both, 0, prefix.length);
            System.arraycopy(line, 0, both, prefix.length, line.length);
            line = both;
        }
        return sink.write(err ? 2 : 1, line, 0, line.length);
    }

    /** Asked when the reader has caught up with the log: the moment to send what the sink holds. */
    @Override
    public boolean following() {
        try {
            sink.flush();
        } catch (IOException e) {
            return false;
        }
        return following.getAsBoolean();
    }

    static String timestamp(long nanos) {
        return FIXED.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L)));
    }
}
