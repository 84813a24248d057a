package keel.cli.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A connection the daemon took over for a raw byte stream (attach, exec start): after the response head
 * ({@code 101 UPGRADED}, or {@code 200} from daemons that do not upgrade) the socket carries the container's
 * output one way and the client's input the other. The input side can be half-closed, which is how the container
 * learns that stdin reached its end while its output keeps flowing back.
 */
public final class HijackedConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private final String contentType;

    HijackedConnection(SocketChannel channel, InputStream in, String contentType) {
        this.channel = channel;
        this.in = in;
        this.contentType = contentType;
        this.out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                // Unbuffered: every keystroke goes out as typed.
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
        };
    }

    /** The stream from the daemon (bytes it sent right after the head included). */
    public InputStream input() {
        return in;
    }

    /** The stream to the daemon, unbuffered. */
    public OutputStream output() {
        return out;
    }

    /** {@code application/vnd.docker.multiplexed-stream} or {@code ...raw-stream}, or null. */
    public String contentType() {
        return contentType;
    }

    /** Half-closes the socket: the daemon reads EOF on the container's stdin, output keeps coming. */
    public void closeWrite() throws IOException {
        if (channel.isOpen()) {
            channel.shutdownOutput();
        }
    }

    /** Closes both directions; a thread blocked reading the output returns with an exception. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
