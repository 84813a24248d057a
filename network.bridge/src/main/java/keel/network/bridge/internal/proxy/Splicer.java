package keel.network.bridge.internal.proxy;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * splice(2) for the userland proxy: bytes move from one socket into a pipe and from the pipe into the other socket
 * inside the kernel, instead of being copied into the JVM and back out (what halves a proxied connection's
 * throughput). It needs the sockets' descriptors, which the JDK keeps private: keeld opens {@code sun.nio.ch} to
 * unnamed modules for that; without it, or without the native binding, {@link #available()} is false and the
 * proxy copies through buffers as before.
 */
final class Splicer {

    private static final Logger LOG = Logger.getLogger(Splicer.class.getName());

    static final int SPLICE_F_MOVE = 1;
    static final int SPLICE_F_NONBLOCK = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int F_SETPIPE_SZ = 1031;
    static final int EAGAIN = 11;
    /** What a pipe holds in flight; the kernel's pipe-max-size default, so no privilege is needed. */
    static final int PIPE_SIZE = 1 << 20;

    /** The calls we bind, with the man pages' signatures. */
    public interface LibC {
        @SaveError
        int pipe2(@Out int[] fds, int flags);

        @SaveError
        @ssize_t
        long splice(int fdIn, Pointer offIn, int fdOut, Pointer offOut, @size_t long len, int flags);

        @SaveError
        int fcntl(int fd, int cmd, int arg);

        int close(int fd);

        String strerror(int errnum);
    }

    private static final class Holder {
        static final Splicer INSTANCE = load();
    }

    private final LibC libc;
    private final Runtime runtime;
    private final Method fdVal;

    private Splicer(LibC libc, Method fdVal) {
        this.libc = libc;
        this.runtime = libc == null ? null : Runtime.getRuntime(libc);
        this.fdVal = fdVal;
    }

    /** The process-wide splicer; one that is not {@link #available()} when the JVM or the platform refuse. */
    static Splicer instance() {
        return Holder.INSTANCE;
    }

    private static Splicer load() {
        try (SocketChannel probe = SocketChannel.open()) {
            Method m = probe.getClass().getMethod("getFDVal");
            m.setAccessible(true); // InaccessibleObjectException unless sun.nio.ch is opened to us
            if ((int) m.invoke(probe) < 0) {
                throw new IllegalStateException("no descriptor");
            }
            LibC libc = LibraryLoader.create(LibC.class).load(Platform.getNativePlatform().getStandardCLibraryName());
            return new Splicer(libc, m);
        } catch (Exception | LinkageError e) {
            LOG.log(Level.INFO, "the port proxy copies through buffers: splice(2) is not usable here (" + e + ")");
            return new Splicer(null, null);
        }
    }

    boolean available() {
        return libc != null;
    }

    int fd(SocketChannel channel) throws IOException {
        try {
            return (int) fdVal.invoke(channel);
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot read the descriptor of a socket", e);
        }
    }

    /** A kernel pipe: its two ends and how many bytes it holds. */
    record KernelPipe(int readEnd, int writeEnd, int capacity) {}

    /** A non-blocking pipe, sized to {@link #PIPE_SIZE} where the kernel allows. */
    KernelPipe pipe() throws IOException {
        int[] fds = new int[2];
        if (libc.pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
            throw error("pipe2");
        }
        int size = libc.fcntl(fds[1], F_SETPIPE_SZ, PIPE_SIZE); // best effort: the default works, only slower
        return new KernelPipe(fds[0], fds[1], size > 0 ? size : 64 * 1024);
    }

    /**
     * Moves up to {@code len} bytes; returns how many moved, 0 at end of input, -1 when either side would block.
     */
    long splice(int from, int to, long len) throws IOException {
        long n = libc.splice(from, null, to, null, len, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        if (n >= 0) {
            return n;
        }
        int errno = LastError.getLastError(runtime);
        if (errno == EAGAIN) {
            return -1;
        }
        throw new IOException("splice: " + libc.strerror(errno));
    }

    void close(int fd) {
        if (fd >= 0) {
            libc.close(fd);
        }
    }

    private IOException error(String call) {
        int errno = LastError.getLastError(runtime);
        return new IOException(call + ": " + libc.strerror(errno));
    }
}
