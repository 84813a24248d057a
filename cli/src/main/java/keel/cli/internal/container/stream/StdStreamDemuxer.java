package keel.cli.internal.container.stream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * docker's stdcopy.StdCopy: the daemon multiplexes a non-TTY container's stdout and stderr onto one stream as
 * frames of an 8-byte header (stream id: 0 stdin, 1 stdout, 2 stderr, 3 daemon error; three zero bytes; the
 * payload length, big-endian) and the payload. Frames go to the matching destination; a missing destination
 * drops them. Every frame is flushed at once so interleaving with the terminal stays as the container wrote it.
 */
public final class StdStreamDemuxer {

    private StdStreamDemuxer() {
    }

    /** Copies until the stream ends (at a frame boundary or not, as StdCopy tolerates both). */
    public static void copy(InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        byte[] header = new byte[8];
        byte[] buf = new byte[32 * 1024];
        while (true) {
            if (!readFully(in, header)) {
                return;
            }
            int stream = header[0] & 0xff;
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xffL) << 16) | ((header[6] & 0xffL) << 8)
                    | (header[7] & 0xffL);
            OutputStream dst;
            switch (stream) {
                case 0:
                case 1:
                    dst = stdout;
                    break;
                case 2:
                    dst = stderr;
                    break;
                case 3:
                    byte[] msg = in.readNBytes((int) Math.min(size, 1 << 20));
                    throw new IOException("error from daemon in stream: " + new String(msg, StandardCharsets.UTF_8));
                default:
                    throw new IOException("Unrecognized input header: " + stream);
            }
            while (size > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size));
                if (n < 0) {
                    return;
                }
                if (dst != null) {
                    dst.write(buf, 0, n);
                }
                size -= n;
            }
            if (dst != null) {
                dst.flush();
            }
        }
    }

    /** True when {@code b} was filled, false on EOF before or inside it. */
    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n;
            try {
                n = in.read(b, off, b.length - off);
            } catch (EOFException e) {
                return false;
            }
            if (n < 0) {
                return false;
            }
            off += n;
        }
        return true;
    }
}
