package keel.engine.core.internal.container.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * {@link SpoolKernel} through jnr-ffi and glibc. Paths go to C as NUL-terminated bytes of the path as the JDK holds
 * it (UTF-8 here), so no conversion happens behind our back.
 */
public final class JnrSpoolKernel implements SpoolKernel {

    /** The slice of libc we bind; signatures as in the man pages. */
    public interface LibC {
        @SaveError
        int inotify_init1(int flags);

        @SaveError
        int inotify_add_watch(int fd, @In byte[] path, int mask);

        @SaveError
        int inotify_rm_watch(int fd, int wd);

        @SaveError
        int eventfd(int initval, int flags);

        /** {@code struct pollfd[]}: int fd, short events, short revents; nfds_t is an unsigned long. */
        @SaveError
        int poll(byte[] fds, @size_t long nfds, int timeout);

        @SaveError
        @ssize_t
        long read(int fd, @Out byte[] buf, @size_t long count);

        @SaveError
        @ssize_t
        long write(int fd, @In byte[] buf, @size_t long count);

        @SaveError
        int open(@In byte[] path, int flags);

        @SaveError
        int fallocate(int fd, int mode, @off_t long offset, @off_t long len);

        int close(int fd);

        String strerror(int errnum);
    }

    static final int IN_MODIFY = 0x2, IN_IGNORED = 0x8000, IN_Q_OVERFLOW = 0x4000;
    static final int O_WRONLY = 1, O_NONBLOCK = 04000, O_CLOEXEC = 02000000;
    static final int FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2;
    static final short POLLIN = 1;
    static final int EINTR = 4, EAGAIN = 11;

    private final LibC libc;
    private final Runtime runtime;

    public JnrSpoolKernel() {
        this.libc = LibraryLoader.create(LibC.class).load(Platform.getNativePlatform().getStandardCLibraryName());
        this.runtime = Runtime.getRuntime(libc);
    }

    @Override
    public Watcher newWatcher() throws IOException {
        int in = libc.inotify_init1(O_NONBLOCK | O_CLOEXEC);
        if (in < 0) {
            throw failure("inotify_init1");
        }
        int ev = libc.eventfd(0, O_NONBLOCK | O_CLOEXEC);
        if (ev < 0) {
            IOException e = failure("eventfd");
            libc.close(in);
            throw e;
        }
        return new InotifyWatcher(in, ev);
    }

    @Override
    public void punchHole(Path file, long offset, long length) throws IOException {
        if (length <= 0) {
            return;
        }
        int fd = libc.open(c(file), O_WRONLY | O_CLOEXEC);
        if (fd < 0) {
            throw failure("open(" + file + ")");
        }
        try {
            if (libc.fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length) < 0) {
                throw failure("fallocate(" + file + ", PUNCH_HOLE)");
            }
        } finally {
            libc.close(fd);
        }
    }

    private final class InotifyWatcher implements Watcher {
        private final int inotify;
        private final int eventFd;
        private final byte[] events = new byte[16 * 1024];
        private final byte[] counter = new byte[8];
        private final byte[] one = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();
        private boolean closed;

        InotifyWatcher(int inotify, int eventFd) {
            this.inotify = inotify;
            this.eventFd = eventFd;
        }

        @Override
        public int watch(Path file) throws IOException {
            int wd = libc.inotify_add_watch(inotify, c(file), IN_MODIFY);
            if (wd < 0) {
                throw failure("inotify_add_watch(" + file + ")");
            }
            return wd;
        }

        @Override
        public void unwatch(int wd) {
            libc.inotify_rm_watch(inotify, wd);
        }

        @Override
        public int[] await(long timeoutMillis) throws IOException {
            ByteBuffer fds = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            fds.putInt(0, inotify).putShort(4, POLLIN).putInt(8, eventFd).putShort(12, POLLIN);
            byte[] raw = fds.array();
            int timeout = timeoutMillis < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, timeoutMillis);
            int n = libc.poll(raw, 2, timeout);
            if (n < 0) {
                if (LastError.getLastError(runtime) == EINTR) {
                    return new int[0];
                }
                throw failure("poll");
            }
            if (n == 0) {
                return new int[0];
            }
            ByteBuffer result = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
            if ((result.getShort(14) & POLLIN) != 0) {
                libc.read(eventFd, counter, 8); // resets the counter; EAGAIN when another read got there first
            }
            if ((result.getShort(6) & POLLIN) == 0) {
                return new int[0];
            }
            return readEvents();
        }

        /** Reads every queued {@code struct inotify_event} (wd, mask, cookie, len, name[len]). */
        private int[] readEvents() throws IOException {
            int[] wds = new int[16];
            int count = 0;
            while (true) {
                long n = libc.read(inotify, events, events.length);
                if (n < 0) {
                    int errno = LastError.getLastError(runtime);
                    if (errno == EAGAIN) {
                        break;
                    }
                    if (errno == EINTR) {
                        continue;
                    }
                    throw failure("read(inotify)");
                }
                if (n == 0) {
                    break;
                }
                ByteBuffer b = ByteBuffer.wrap(events, 0, (int) n).order(ByteOrder.nativeOrder());
                while (b.remaining() >= 16) {
                    int at = b.position();
                    int wd = b.getInt(at);
                    int mask = b.getInt(at + 4);
                    int len = b.getInt(at + 12);
                    b.position(at + 16 + len);
                    if ((mask & IN_IGNORED) != 0) {
                        continue;
                    }
                    int value = (mask & IN_Q_OVERFLOW) != 0 ? OVERFLOW : wd;
                    if (count == wds.length) {
                        wds = Arrays.copyOf(wds, count * 2);
                    }
                    wds[count++] = value;
                }
            }
            return Arrays.copyOf(wds, count);
        }

        /** Synchronized with {@link #close}: a write to a closed (and perhaps reused) descriptor must not happen. */
        @Override
        public synchronized void wake() {
            if (!closed) {
                libc.write(eventFd, one, 8);
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                libc.close(inotify);
                libc.close(eventFd);
            }
        }
    }

    private IOException failure(String what) {
        int errno = LastError.getLastError(runtime);
        return new IOException(what + ": " + libc.strerror(errno) + " (errno " + errno + ")");
    }

    private static byte[] c(Path p) {
        byte[] s = p.toString().getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(s, s.length + 1);
    }
}
