package keel.runtime.linux.internal.stdio;

import java.io.IOException;
import java.io.OutputStream;

import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * Writes a file descriptor we own (a pipe's write end, a pty master). A descriptor in non-blocking mode (the pty
 * master the shared pump reads) is waited on with poll(2) when full. Closing it gives the reader EOF (pipe).
 */
public final class FdOutputStream extends OutputStream {

    private final LinuxKernel k;
    private final int fd;
    private final boolean ownsFd;
    private volatile boolean closed;

    /**
     * @param ownsFd close the descriptor on {@link #close()} (false for a pty master the container object closes)
     */
    public FdOutputStream(LinuxKernel k, int fd, boolean ownsFd) {
        this.k = k;
        this.fd = fd;
        this.ownsFd = ownsFd;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (len > 0) {
            try {
                int n = k.write(fd, b, off, len);
                off += n;
                len -= n;
            } catch (ErrnoException e) {
                if (e.errno() == LinuxKernel.EINTR) {
                    continue;
                }
                if (e.errno() == LinuxKernel.EAGAIN) {
                    k.poll(fd, LinuxKernel.POLLOUT, 100);
                    continue;
                }
                throw e;
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (ownsFd) {
                k.close(fd);
            }
        }
    }
}
