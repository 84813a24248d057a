package keel.cli.internal.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Encodes a request body of unknown length (stdin for import/load) as HTTP/1.1 chunks. */
final class ChunkedOutputStream extends OutputStream {

    private final OutputStream out;
    private final byte[] buf = new byte[64 * 1024];
    private int count;

    ChunkedOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buf.length) {
            flushChunk();
        }
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (count == buf.length) {
                flushChunk();
            }
            int n = Math.min(len, buf.length - count);
            System.arraycopy(b, off, buf, count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    private void flushChunk() throws IOException {
        if (count == 0) {
            return;
        }
        out.write((Integer.toHexString(count) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(buf, 0, count);
        out.write('\r');
        out.write('\n');
        count = 0;
    }

    /** Writes the last chunk and the terminating zero-length chunk; the connection stays open. */
    void finish() throws IOException {
        flushChunk();
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
