package keel.logging.json.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import keel.engine.api.logging.LogEntry;

/**
 * Reads json-file lines in large blocks and forwards the decoded entries. A line that does not decode (a foreign
 * or damaged line) is skipped, where Docker would give up on the rest of the file. One reader per read call.
 */
public final class LogLineReader {

    private static final System.Logger LOG = System.getLogger(LogLineReader.class.getName());

    private final JsonLogDecoder decoder = new JsonLogDecoder();
    private final EntryForwarder forwarder;
    private byte[] buf = new byte[256 * 1024];
    private long skipped;

    public LogLineReader(EntryForwarder forwarder) {
        this.forwarder = forwarder;
    }

    /**
     * Forwards the complete lines in {@code [from, to)} of {@code ch} ({@code to} &lt; 0: up to the end of the file).
     * Returns the offset after the last complete line read, where a later call goes on (a line still being
     * written at {@code to} is left for then); meaningless once the forwarder has stopped.
     */
    public long readRange(FileChannel ch, long from, long to) throws IOException {
        long bufStart = from; // file offset of buf[0]
        int have = 0;
        while (!forwarder.stopped()) {
            long want = to < 0 ? buf.length - have : Math.min(buf.length - have, to - (bufStart + have));
            if (want <= 0) {
                break;
            }
            int n = ch.read(ByteBuffer.wrap(buf, have, (int) want), bufStart + have);
            if (n <= 0) {
                break;
            }
            have += n;
            int consumed = forwardLines(have, 0);
            if (consumed < 0) {
                break;
            }
            if (consumed == 0 && have == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2); // one line longer than the buffer
            }
            System.arraycopy(buf, consumed, buf, 0, have - consumed);
            have -= consumed;
            bufStart += consumed;
        }
        return bufStart;
    }

    /**
     * Forwards the lines of an uncompressed stream, skipping the first {@code skipLines}; a last line without a
     * newline is dropped (a file cut short).
     */
    public void readStream(InputStream in, long skipLines) throws IOException {
        int have = 0;
        long toSkip = skipLines;
        while (!forwarder.stopped()) {
            int n = in.read(buf, have, buf.length - have);
            if (n < 0) {
                break;
            }
            have += n;
            int start = 0;
            while (toSkip > 0) {
                int nl = indexOf(buf, start, have);
                if (nl < 0) {
                    break;
                }
                start = nl + 1;
                toSkip--;
            }
            int consumed = toSkip > 0 ? start : forwardLines(have, start);
            if (consumed < 0) {
                break;
            }
            if (consumed == 0 && have == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            System.arraycopy(buf, consumed, buf, 0, have - consumed);
            have -= consumed;
        }
    }

    /** Counts the complete lines of an uncompressed stream. */
    public long countLines(InputStream in) throws IOException {
        long lines = 0;
        int n;
        while ((n = in.read(buf, 0, buf.length)) > 0) {
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    lines++;
                }
            }
        }
        return lines;
    }

    /**
     * Forwards every complete line of {@code buf[start, have)}; returns how many bytes were consumed, or -1 when
     * the forwarder stopped.
     */
    private int forwardLines(int have, int start) throws IOException {
        int lineStart = start;
        while (true) {
            int nl = indexOf(buf, lineStart, have);
            if (nl < 0) {
                return lineStart;
            }
            LogEntry e = decoder.decode(buf, lineStart, nl);
            lineStart = nl + 1;
            if (e == null) {
                if (skipped++ == 0) {
                    LOG.log(System.Logger.Level.WARNING, "skipping a json-file log line that does not decode");
                }
            } else if (!forwarder.offer(e)) {
                return -1;
            }
        }
    }

    private static int indexOf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
