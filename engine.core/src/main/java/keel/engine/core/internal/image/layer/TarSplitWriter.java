package keel.engine.core.internal.image.layer;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a layer's tar-split record: the exact bytes of a tar stream minus the content of its regular files, which
 * are named instead (path and size), so that the stream can be rebuilt byte for byte from the record and the
 * layer's files (see {@link TarReassembler}). The record is gzip'd; for a typical layer it is a few percent of the
 * tar, mostly header blocks.
 *
 * <p>Format (inside gzip): the magic {@value TarSplitFormat#MAGIC}, then segments: {@code 1 len bytes} (raw tar
 * bytes), {@code 2 len path size} (content of a regular file), and finally {@code 0 total} (the tar's length).
 * Lengths and sizes are unsigned LEB128.
 */
public final class TarSplitWriter implements Closeable {

    private static final int RAW_CHUNK = 64 * 1024;

    private final DataOutputStream out;
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private long total;
    private boolean finished;

    public TarSplitWriter(OutputStream target) throws IOException {
        this.out = new DataOutputStream(new GZIPOutputStream(target, 64 * 1024));
        out.write(TarSplitFormat.MAGIC.getBytes(StandardCharsets.US_ASCII));
    }

    /** Raw bytes of the tar stream (headers, padding, non-file content), recorded verbatim. */
    public void raw(byte[] b, int off, int len) throws IOException {
        raw.write(b, off, len);
        total += len;
        if (raw.size() >= RAW_CHUNK) {
            flushRaw();
        }
    }

    /** The content of regular file {@code path}: {@code size} bytes, not recorded. */
    public void file(String path, long size) throws IOException {
        flushRaw();
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        out.writeByte(TarSplitFormat.FILE);
        TarSplitFormat.writeVarLong(out, p.length);
        out.write(p);
        TarSplitFormat.writeVarLong(out, size);
        total += size;
    }

    /** Bytes of tar described so far. */
    public long total() {
        return total;
    }

    /** Writes the end marker; the record is complete only after this. */
    public void finish() throws IOException {
        flushRaw();
        out.writeByte(TarSplitFormat.END);
        TarSplitFormat.writeVarLong(out, total);
        finished = true;
    }

    private void flushRaw() throws IOException {
        if (raw.size() == 0) {
            return;
        }
        out.writeByte(TarSplitFormat.RAW);
        TarSplitFormat.writeVarLong(out, raw.size());
        raw.writeTo(out);
        raw.reset();
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            flushRaw();
        }
        out.close();
    }
}
