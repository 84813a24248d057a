package keel.runtime.linux.internal.stdio;

import java.io.IOException;
import java.io.InputStream;

import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * Reads a file descriptor we own (a pipe's read end, a pty master) with blocking read(2). A pty master reports
 * EIO once no process holds the terminal any more: that is end of file, not an error.
 */
public final class FdInputStream extends InputStream {

    private final LinuxKernel k;
    private final int fd;
    private volatile boolean closed;

    public FdInputStream(LinuxKernel k, int fd) {
        this.k = k;
        this.fd = fd;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            try {
                int n = k.read(fd, b, off, len);
                return n == 0 ? -1 : n;
            } catch (ErrnoException e) {
                if (e.errno() == LinuxKernel.EINTR) {
                    continue;
                }
                if (e.errno() == LinuxKernel.EIO || e.errno() == LinuxKernel.EBADF && closed) {
                    return -1;
                }
                throw e;
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            k.close(fd);
        }
    }
}
