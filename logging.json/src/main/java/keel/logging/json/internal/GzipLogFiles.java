package keel.logging.json.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;

/**
 * Rotated files compressed as Docker compresses them: a gzip member whose header carries, in its extra field, the
 * JSON {@code {"lastTime":"<RFC 3339>"}} with the time of the file's last entry, so that {@code docker logs --since}
 * skips whole files without inflating them. Go's gzip writer fills the header with MTIME 0 and OS 255; so does this.
 */
public final class GzipLogFiles {

    private static final byte[] LAST_TIME = "\"lastTime\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int FEXTRA = 4;

    private GzipLogFiles() {}

    /**
     * Writes the gzip form of {@code in} (read from its start) to {@code tmp}, fsynced, so that the caller can
     * rename it into place and only then unlink the uncompressed file: a reader opening the uncompressed name
     * first then always finds a complete copy, and a crash never leaves a half .gz as the only copy. On failure
     * {@code tmp} is removed.
     *
     * @param lastTimeNanos the time of the file's last entry, or {@link Long#MIN_VALUE} for none (Go's zero time)
     */
    public static void writeCompressed(FileChannel in, Path tmp, long lastTimeNanos) throws IOException {
        try (FileChannel out = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")))) {
            OutputStream os = Channels.newOutputStream(out);
            os.write(header(lastTimeNanos));
            CRC32 crc = new CRC32();
            long size = 0;
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            try {
                DeflaterOutputStream deflate = new DeflaterOutputStream(new NonClosing(os), deflater, 64 * 1024);
                ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
                int n;
                while ((n = in.read(buf.clear(), size)) > 0) {
                    crc.update(buf.array(), 0, n);
                    deflate.write(buf.array(), 0, n);
                    size += n;
                }
                deflate.finish();
            } finally {
                deflater.end();
            }
            byte[] trailer = new byte[8];
            putIntLE(trailer, 0, (int) crc.getValue());
            putIntLE(trailer, 4, (int) size); // ISIZE is the length modulo 2^32
            os.write(trailer);
            out.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    static byte[] header(long lastTimeNanos) {
        byte[] extra = lastTimeJson(lastTimeNanos);
        byte[] h = new byte[12 + extra.length];
        h[0] = 0x1f;
        h[1] = (byte) 0x8b;
        h[2] = 8; // deflate
        h[3] = FEXTRA;
        // MTIME (4 bytes) and XFL stay 0 as with Go's default compression level
        h[9] = (byte) 0xff; // OS unknown, as Go writes
        h[10] = (byte) extra.length;
        h[11] = (byte) (extra.length >>> 8);
        System.arraycopy(extra, 0, h, 12, extra.length);
        return h;
    }

    /** Go's json.Marshal of Docker's rotateFileMetadata. */
    static byte[] lastTimeJson(long lastTimeNanos) {
        String time = lastTimeNanos == Long.MIN_VALUE ? "0001-01-01T00:00:00Z" : Rfc3339NanoTime.format(lastTimeNanos);
        return ("{\"lastTime\":\"" + time + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The last entry's time from a compressed file's header, or {@link Long#MIN_VALUE} when it has none (also for
     * Go's zero time, which Docker treats as unknown).
     */
    public static long lastTime(FileChannel ch) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(12);
        if (ch.read(head, 0) < 12) {
            return Long.MIN_VALUE;
        }
        byte[] h = head.array();
        if (h[0] != 0x1f || h[1] != (byte) 0x8b || (h[3] & FEXTRA) == 0) {
            return Long.MIN_VALUE;
        }
        int xlen = (h[10] & 0xff) | (h[11] & 0xff) << 8;
        ByteBuffer extra = ByteBuffer.allocate(xlen);
        if (ch.read(extra, 12) < xlen) {
            return Long.MIN_VALUE;
        }
        byte[] x = extra.array();
        for (int i = 0; i + LAST_TIME.length <= xlen; i++) {
            if (java.util.Arrays.equals(x, i, i + LAST_TIME.length, LAST_TIME, 0, LAST_TIME.length)) {
                int from = i + LAST_TIME.length;
                int to = from;
                while (to < xlen && x[to] != '"') {
                    to++;
                }
                long t = Rfc3339NanoTime.parse(x, from, to);
                return t == Rfc3339NanoTime.INVALID ? Long.MIN_VALUE : t;
            }
        }
        return Long.MIN_VALUE;
    }

    /** The uncompressed content of an open .gz file, from its start; closing the stream leaves the file open. */
    public static InputStream inflate(FileChannel ch) throws IOException {
        return new GZIPInputStream(new PositionalInputStream(ch), 64 * 1024);
    }

    static void fsyncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Best effort: some filesystems refuse fsync on a directory; the rename itself already happened.
        }
    }

    private static void putIntLE(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    /** Reads a channel from offset 0 with positional reads, never moving or closing the channel. */
    private static final class PositionalInputStream extends InputStream {
        private final FileChannel ch;
        private long at;

        PositionalInputStream(FileChannel ch) {
            this.ch = ch;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = ch.read(ByteBuffer.wrap(b, off, len), at);
            if (n > 0) {
                at += n;
            }
            return n;
        }
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
