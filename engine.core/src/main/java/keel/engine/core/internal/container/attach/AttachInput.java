package keel.engine.core.internal.container.attach;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A client's input to a container or exec process (what the REST layer copies the hijacked connection into).
 * With a terminal, the detach sequence is filtered out and detaches the client. Closing it is the client's end of
 * input: as in Docker, a non-terminal "stdin once" session closes the process's stdin (the process reads EOF);
 * otherwise the client detaches.
 */
public final class AttachInput extends OutputStream {

    /** Where input goes. */
    public interface Target {
        /** The process's stdin, waiting for it when needed; null when input should be dropped. */
        OutputStream stdin() throws IOException;

        /** Closes the process's stdin. */
        void closeStdin() throws IOException;

        /** Detaches the client (its output ends). */
        void detach();
    }

    private final Target target;
    private final EscapeFilter escape;
    private final boolean closeStdinOnEof;
    private boolean closed;

    /**
     * @param detachKeys the detach sequence, or null when none is watched for (no terminal)
     * @param closeStdinOnEof whether the end of input closes the process's stdin rather than detaching
     */
    public AttachInput(Target target, byte[] detachKeys, boolean closeStdinOnEof) {
        this.target = target;
        this.escape = detachKeys == null ? null : new EscapeFilter(detachKeys);
        this.closeStdinOnEof = closeStdinOnEof;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (closed || len == 0) {
            return;
        }
        byte[] data;
        int from = off;
        int n = len;
        if (escape != null) {
            data = escape.filter(b, off, len);
            from = 0;
            n = data.length;
        } else {
            data = b;
        }
        if (n > 0) {
            OutputStream s = target.stdin();
            if (s != null) {
                try {
                    s.write(data, from, n);
                    s.flush();
                } catch (IOException e) {
                    // The process closed its stdin or exited: input has nowhere to go, as with Docker's pipe.
                }
            }
        }
        if (escape != null && escape.detached()) {
            closed = true;
            target.detach();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (closeStdinOnEof) {
            target.closeStdin();
        } else {
            target.detach();
        }
    }
}
