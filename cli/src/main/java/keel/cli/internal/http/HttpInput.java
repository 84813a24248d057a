package keel.cli.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Buffered reading from the socket channel: header lines and raw body bytes. It calls
 * {@link SocketChannel#read} directly (not {@code Channels.newInputStream}, which holds the channel's blocking lock
 * while it waits and would stall a concurrent upload).
 */
final class HttpInput extends InputStream {

    private final SocketChannel channel;
    private final ByteBuffer buf = ByteBuffer.allocate(16 * 1024);

    HttpInput(SocketChannel channel) {
        this.channel = channel;
        buf.flip();
    }

    private boolean fill() throws IOException {
        if (buf.hasRemaining()) {
            return true;
        }
        buf.clear();
        int n;
        do {
            n = channel.read(buf);
        } while (n == 0);
        buf.flip();
        return n > 0;
    }

    /** A line without its CRLF (or LF), or null at end of stream. */
    String readLine() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            if (!fill()) {
                return sb.length() == 0 ? null : sb.toString();
            }
            byte b = buf.get();
            if (b == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) (b & 0xff));
            if (sb.length() > 64 * 1024) {
                throw new IOException("HTTP header line too long");
            }
        }
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buf.get() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buf.remaining());
        buf.get(b, off, n);
        return n;
    }
}
