package keel.logging.json.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Finds where the last N lines of a file start by reading it backwards in blocks from the end, so that
 * {@code docker logs --tail 10} on a large log reads a few kilobytes, not the whole history (Docker's tailfile).
 */
final class TailScan {

    private static final int BLOCK = 64 * 1024;

    /** Where the tail starts and how many complete lines it holds (fewer than asked when the file is short). */
    record Tail(long start, long end, int lines) {}

    private TailScan() {}

    /**
     * The last {@code wanted} complete lines of {@code ch[0, end)}. Bytes after the last newline (a line cut short)
     * are not part of it.
     */
    static Tail lastLines(FileChannel ch, long end, int wanted) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(BLOCK, Math.max(end, 1)));
        byte[] b = buf.array();
        long lineEnd = -1; // just after the last newline
        int lines = 0;
        long blockEnd = end;
        while (blockEnd > 0) {
            long blockStart = Math.max(0, blockEnd - b.length);
            int len = (int) (blockEnd - blockStart);
            buf.clear().limit(len);
            int got = 0;
            while (got < len) {
                int n = ch.read(buf, blockStart + got);
                if (n < 0) {
                    throw new IOException("log file shrank while reading its tail");
                }
                got += n;
            }
            for (int i = len - 1; i >= 0; i--) {
                if (b[i] != '\n') {
                    continue;
                }
                long at = blockStart + i;
                if (lineEnd < 0) {
                    lineEnd = at + 1; // the newline ending the last complete line
                    continue;
                }
                lines++; // the line starting after this newline is complete
                if (lines == wanted) {
                    return new Tail(at + 1, lineEnd, lines);
                }
            }
            blockEnd = blockStart;
        }
        if (lineEnd < 0) {
            return new Tail(0, 0, 0);
        }
        return new Tail(0, lineEnd, lines + 1);
    }
}
