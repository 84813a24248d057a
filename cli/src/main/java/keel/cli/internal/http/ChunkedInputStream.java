package keel.cli.internal.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Decodes an HTTP/1.1 chunked body, handing out data as soon as a chunk arrives (progress streams). */
final class ChunkedInputStream extends InputStream {

    private final HttpInput in;
    private long remaining; // bytes left in the current chunk
    private boolean eof;
    private final Runnable onEnd;

    ChunkedInputStream(HttpInput in, Runnable onEnd) {
        this.in = in;
        this.onEnd = onEnd;
    }

    private boolean nextChunk() throws IOException {
        if (eof) {
            return false;
        }
        String line = in.readLine();
        if (line == null) {
            throw new EOFException("unexpected EOF in chunked body");
        }
        int semi = line.indexOf(';');
        String size = (semi >= 0 ? line.substring(0, semi) : line).trim();
        try {
            remaining = Long.parseLong(size, 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size: " + line);
        }
        if (remaining == 0) {
            // Trailers end with an empty line.
            String trailer;
            do {
                trailer = in.readLine();
            } while (trailer != null && !trailer.isEmpty());
            eof = true;
            onEnd.run();
            return false;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining == 0 && !nextChunk()) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("unexpected EOF in chunked body");
        }
        remaining -= n;
        if (remaining == 0) {
            String crlf = in.readLine();
            if (crlf == null || !crlf.isEmpty()) {
                throw new IOException("malformed chunk terminator");
            }
        }
        return n;
    }
}
