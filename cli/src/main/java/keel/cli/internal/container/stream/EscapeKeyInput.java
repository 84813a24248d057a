package keel.cli.internal.container.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * moby/term's escape proxy: passes stdin through but holds back keystrokes that start the detach sequence. When
 * the whole sequence arrives the reader gets {@link Detached} instead of the keys (the bytes typed before it still
 * go through); when the sequence breaks off, the held keys are let through in front of the key that broke it (which
 * is not itself taken as the start of a new sequence, as in docker).
 */
public final class EscapeKeyInput extends InputStream {

    /** The user typed the detach sequence. */
    public static final class Detached extends IOException {
        private static final long serialVersionUID = 1L;

        public Detached() {
            super("read escape sequence");
        }
    }

    private final InputStream in;
    private final byte[] keys;
    private int matched;
    private boolean detached;
    private boolean eof;
    private byte[] pending = new byte[0];
    private int pendingPos;

    public EscapeKeyInput(InputStream in, byte[] keys) {
        this.in = in;
        this.keys = keys;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pendingPos >= pending.length) {
            if (detached) {
                throw new Detached();
            }
            if (eof) {
                return -1;
            }
            fill();
        }
        int n = Math.min(len, pending.length - pendingPos);
        System.arraycopy(pending, pendingPos, b, off, n);
        pendingPos += n;
        return n;
    }

    private void fill() throws IOException {
        byte[] chunk = new byte[4096];
        int n = in.read(chunk);
        if (n < 0) {
            eof = true; // keys held back at EOF are dropped, as docker drops them
            pending = new byte[0];
            pendingPos = 0;
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + keys.length);
        for (int i = 0; i < n; i++) {
            byte c = chunk[i];
            if (keys.length > 0 && c == keys[matched]) {
                matched++;
                if (matched == keys.length) {
                    detached = true;
                    break;
                }
                continue;
            }
            if (matched > 0) {
                out.write(keys, 0, matched);
                matched = 0;
            }
            out.write(c);
        }
        pending = out.toByteArray();
        pendingPos = 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
