package keel.engine.core.internal.container.output;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import keel.engine.api.logging.LogEntry;

/**
 * Cuts one output stream into log messages the way Docker's log copier does (daemon/logger/copier.go): a message
 * per line, the {@code \n} kept at its end ({@code \r} before it is content, as in Docker's json-file output); a
 * line that reaches {@value #MAX_MESSAGE} bytes without a newline is passed on in pieces of exactly that size
 * ("partial" messages, without {@code \n}), every piece and the line's final part stamped with the time of the first
 * piece. An unfinished line waits here for more bytes; {@link #flush} (the process has exited) passes it on as a
 * partial message.
 *
 * <p>Memory: the buffer for an unfinished line is allocated only while there is one, so an idle container costs
 * nothing here.
 */
public final class LineSplitter {

    /** Docker's {@code defaultBufSize}: the longest message a log driver receives. */
    public static final int MAX_MESSAGE = 16 * 1024;

    private final String stream;
    private byte[] pending;
    private int pendingLength;
    /** Time of the first piece of the line being passed on in pieces; -1 when there is none. */
    private long partialTime = -1;

    /** @param stream {@code stdout} or {@code stderr}, as {@link LogEntry#stream()} names it */
    public LineSplitter(String stream) {
        this.stream = stream;
    }

    /** Bytes read but not yet passed on: the start of an unfinished line. */
    public int pendingLength() {
        return pendingLength;
    }

    /** Splits {@code len} bytes of {@code data}; every complete message goes to {@code out}. */
    public void feed(byte[] data, int offset, int len, LongSupplier clock, Consumer<LogEntry> out) {
        int i = offset;
        int end = offset + len;
        while (i < end) {
            int room = MAX_MESSAGE - pendingLength;
            int limit = Math.min(end, i + room);
            int nl = indexOf(data, i, limit);
            if (nl >= 0) {
                int n = nl - i + 1;
                byte[] line = new byte[pendingLength + n];
                if (pendingLength > 0) {
                    System.arraycopy(pending, 0, line, 0, pendingLength);
                }
                System.arraycopy(data, i, line, pendingLength, n);
                long t = partialTime >= 0 ? partialTime : clock.getAsLong();
                partialTime = -1;
                pendingLength = 0;
                i = nl + 1;
                out.accept(new LogEntry(stream, t, line));
            } else {
                append(data, i, limit - i);
                i = limit;
                if (pendingLength == MAX_MESSAGE) {
                    if (partialTime < 0) {
                        partialTime = clock.getAsLong();
                    }
                    byte[] piece = Arrays.copyOf(pending, pendingLength);
                    pendingLength = 0;
                    out.accept(new LogEntry(stream, partialTime, piece));
                }
            }
        }
        if (pendingLength == 0) {
            pending = null;
        }
    }

    /** The stream ended: passes an unfinished line on as a partial message. */
    public void flush(LongSupplier clock, Consumer<LogEntry> out) {
        if (pendingLength > 0) {
            long t = partialTime >= 0 ? partialTime : clock.getAsLong();
            byte[] piece = Arrays.copyOf(pending, pendingLength);
            out.accept(new LogEntry(stream, t, piece));
        }
        pending = null;
        pendingLength = 0;
        partialTime = -1;
    }

    private void append(byte[] data, int offset, int len) {
        if (len == 0) {
            return;
        }
        if (pending == null || pending.length < pendingLength + len) {
            int size = Math.min(MAX_MESSAGE, Math.max(pendingLength + len, pending == null ? 256 : pending.length * 2));
            pending = pending == null ? new byte[size] : Arrays.copyOf(pending, size);
        }
        System.arraycopy(data, offset, pending, pendingLength, len);
        pendingLength += len;
    }

    private static int indexOf(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
