package keel.engine.core.internal.container.attach;

import java.io.ByteArrayOutputStream;

/**
 * Watches a client's keystrokes for the detach sequence (Docker's term.EscapeProxy): bytes that could be the start
 * of the sequence are held back; when the sequence completes the client detaches and the held bytes are dropped;
 * when it breaks they are passed on after all.
 */
public final class EscapeFilter {

    private final byte[] keys;
    private int matched;
    private boolean detached;

    public EscapeFilter(byte[] keys) {
        this.keys = keys.clone();
    }

    /** Whether the sequence has been typed. */
    public boolean detached() {
        return detached;
    }

    /** Returns the bytes to pass on; after the sequence completes, nothing more is passed. */
    public byte[] filter(byte[] data, int offset, int length) {
        if (detached) {
            return new byte[0];
        }
        if (keys.length == 0) {
            byte[] out = new byte[length];
            System.arraycopy(data, offset, out, 0, length);
            return out;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        for (int i = offset; i < offset + length; i++) {
            byte b = data[i];
            if (b == keys[matched]) {
                matched++;
                if (matched == keys.length) {
                    detached = true;
                    matched = 0;
                    return out.toByteArray();
                }
                continue;
            }
            if (matched > 0) {
                out.write(keys, 0, matched);
                matched = 0;
                if (b == keys[0]) {
                    matched = 1;
                    continue;
                }
            }
            out.write(b);
        }
        return out.toByteArray();
    }
}
