package keel.engine.core.internal.image.layer;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/** Reads a record written by {@link TarSplitWriter}, one segment at a time. */
public final class TarSplitReader implements Closeable {

    /** One segment: raw bytes, or a regular file's content by path and size. */
    public record Segment(byte[] raw, String path, long size) {
        public boolean isFile() {
            return path != null;
        }
    }

    private static final int MAX_RAW = 16 * 1024 * 1024;
    private static final int MAX_PATH = 64 * 1024;

    private final DataInputStream in;
    private long total = -1;

    public TarSplitReader(InputStream record) throws IOException {
        this.in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(record, 64 * 1024)));
        byte[] magic = new byte[TarSplitFormat.MAGIC.length()];
        in.readFully(magic);
        if (!Arrays.equals(magic, TarSplitFormat.MAGIC.getBytes(StandardCharsets.US_ASCII))) {
            throw new IOException("not a tar-split record");
        }
    }

    public static TarSplitReader open(Path record) throws IOException {
        return new TarSplitReader(Files.newInputStream(record));
    }

    /** The next segment, or null at the end (after which {@link #total()} is known). */
    public Segment next() throws IOException {
        if (total >= 0) {
            return null;
        }
        int tag;
        try {
            tag = in.readUnsignedByte();
        } catch (EOFException e) {
            throw new IOException("truncated tar-split record");
        }
        switch (tag) {
            case TarSplitFormat.END:
                total = TarSplitFormat.readVarLong(in);
                return null;
            case TarSplitFormat.RAW: {
                long len = TarSplitFormat.readVarLong(in);
                if (len > MAX_RAW) {
                    throw new IOException("corrupt tar-split record: raw segment of " + len + " bytes");
                }
                byte[] b = new byte[(int) len];
                in.readFully(b);
                return new Segment(b, null, 0);
            }
            case TarSplitFormat.FILE: {
                long len = TarSplitFormat.readVarLong(in);
                if (len > MAX_PATH) {
                    throw new IOException("corrupt tar-split record: path of " + len + " bytes");
                }
                byte[] p = new byte[(int) len];
                in.readFully(p);
                long size = TarSplitFormat.readVarLong(in);
                return new Segment(null, new String(p, StandardCharsets.UTF_8), size);
            }
            default:
                throw new IOException("corrupt tar-split record: segment type " + tag);
        }
    }

    /** The length of the tar stream; valid once {@link #next()} returned null. */
    public long total() {
        return total;
    }

    /** The length of the tar a record describes, reading the whole record. */
    public static long tarLength(Path record) throws IOException {
        try (TarSplitReader r = open(record)) {
            long sum = 0;
            for (Segment s = r.next(); s != null; s = r.next()) {
                sum += s.isFile() ? s.size() : s.raw().length;
            }
            if (sum != r.total()) {
                throw new IOException("corrupt tar-split record: segments add up to " + sum + ", not " + r.total());
            }
            return sum;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
