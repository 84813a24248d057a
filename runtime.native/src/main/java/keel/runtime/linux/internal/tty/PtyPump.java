package keel.runtime.linux.internal.tty;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * Copies what every terminal container writes (its pty master) to its stdout spool file, all of them from one
 * epoll thread: a terminal's output has to be read by someone or the container blocks, and a thread per
 * container would cost a stack per container for no benefit.
 */
public final class PtyPump implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PtyPump.class.getName());

    private final LinuxKernel k;
    private final int epfd;
    private final int wakeFd;
    private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    private final class Stream {
        final int master;
        final FileChannel out;
        final CompletableFuture<Void> drained = new CompletableFuture<>();
        final byte[] buf = new byte[16384];
        boolean done;

        Stream(int master, FileChannel out) {
            this.master = master;
            this.out = out;
        }

        /** Reads everything the master has now; finishes on EIO (no process holds the terminal any more). */
        synchronized void drain(boolean hangup) {
            if (done) {
                return;
            }
            while (true) {
                int n;
                try {
                    n = k.read(master, buf, 0, buf.length);
                } catch (ErrnoException e) {
                    if (e.errno() == LinuxKernel.EINTR) {
                        continue;
                    }
                    if (e.errno() == LinuxKernel.EAGAIN && !hangup) {
                        return;
                    }
                    finish();
                    return;
                }
                if (n <= 0) {
                    finish();
                    return;
                }
                try {
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot write terminal output to the spool file", e);
                }
            }
        }

        synchronized void finish() {
            if (done) {
                return;
            }
            done = true;
            streams.remove(master);
            try {
                k.epollDelete(epfd, master);
            } catch (ErrnoException e) {
                // not registered any more
            }
            try {
                out.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing spool file", e);
            }
            drained.complete(null);
        }
    }

    public PtyPump(LinuxKernel k) throws ErrnoException {
        this.k = k;
        this.epfd = k.epollCreate();
        this.wakeFd = k.eventfd(0, LinuxKernel.O_CLOEXEC | LinuxKernel.O_NONBLOCK);
        k.epollAdd(epfd, wakeFd, LinuxKernel.EPOLLIN, -1);
        this.thread = new Thread(this::loop, "keel-runtime-pty");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts copying {@code master} (made non-blocking here) to the end of {@code spool}. */
    public void attach(int master, Path spool) throws IOException {
        FileChannel out = FileChannel.open(spool, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        k.setFileStatusFlags(master, LinuxKernel.O_RDWR | LinuxKernel.O_NONBLOCK);
        Stream s = new Stream(master, out);
        streams.put(master, s);
        try {
            k.epollAdd(epfd, master, LinuxKernel.EPOLLIN | LinuxKernel.EPOLLHUP, master);
        } catch (ErrnoException e) {
            streams.remove(master);
            out.close();
            throw e;
        }
    }

    /**
     * Waits (up to {@code patience}) until the terminal's last output has been copied, then stops copying it.
     * The caller closes the master afterwards.
     */
    public void detach(int master, Duration patience) {
        Stream s = streams.get(master);
        if (s == null) {
            return;
        }
        try {
            s.drained.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // A process outside the container's PID namespace may still hold the terminal: take what is there.
            s.drain(false);
            s.finish();
        } catch (Exception e) {
            s.finish();
        }
    }

    private void loop() {
        int[] events = new int[64];
        long[] data = new long[64];
        while (!closed) {
            int n;
            try {
                n = k.epollWait(epfd, events, data, -1);
            } catch (ErrnoException e) {
                LOG.log(Level.SEVERE, "epoll_wait failed; terminal output is no longer copied", e);
                return;
            }
            for (int i = 0; i < n; i++) {
                if (data[i] < 0) {
                    continue;
                }
                Stream s = streams.get((int) data[i]);
                if (s != null) {
                    s.drain((events[i] & (LinuxKernel.EPOLLHUP | LinuxKernel.EPOLLERR)) != 0);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            k.write(wakeFd, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 0, 8);
        } catch (ErrnoException e) {
            // the thread sees closed on its next wake-up
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Stream s : streams.values()) {
            s.finish();
        }
        k.close(wakeFd);
        k.close(epfd);
    }
}
