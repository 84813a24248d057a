package keel.runtime.linux.internal.reaper;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * One thread for every container and exec process: an epoll set of pidfds (a pidfd turns readable when its
 * process exits) and waitid(P_PIDFD) on the one that did. It never waits on "any child" (waitpid(-1) or P_ALL),
 * which would steal the exit status of processes the JDK's ProcessBuilder (or any other library in the daemon)
 * started and waits for by PID.
 *
 * <p>For a process that is not our child (adopted after a daemon restart), waitid fails with ECHILD and the
 * watcher gets null: it asks the pidfd itself (PIDFD_INFO_EXIT) instead.
 */
public final class ProcessReaper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProcessReaper.class.getName());

    private final LinuxKernel k;
    private final Executor callbacks;
    private final int epfd;
    private final int wakeFd;
    private final Map<Integer, Consumer<LinuxKernel.WaitResult>> watched = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param callbacks runs the exit callbacks, so that a slow one (cgroup removal, draining a terminal) never
     *                  delays the next exit
     */
    public ProcessReaper(LinuxKernel k, Executor callbacks) throws ErrnoException {
        this.k = k;
        this.callbacks = callbacks;
        this.epfd = k.epollCreate();
        this.wakeFd = k.eventfd(0, LinuxKernel.O_CLOEXEC | LinuxKernel.O_NONBLOCK);
        k.epollAdd(epfd, wakeFd, LinuxKernel.EPOLLIN, -1);
        this.thread = new Thread(this::loop, "keel-runtime-reaper");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Calls {@code onExit} once the process behind {@code pidfd} has exited, with its reaped status or null when
     * it is not our child. The caller keeps owning the pidfd.
     */
    public void watch(int pidfd, Consumer<LinuxKernel.WaitResult> onExit) throws ErrnoException {
        if (closed) {
            throw new IllegalStateException("reaper closed");
        }
        watched.put(pidfd, onExit);
        try {
            k.epollAdd(epfd, pidfd, LinuxKernel.EPOLLIN, pidfd);
        } catch (ErrnoException e) {
            watched.remove(pidfd);
            throw e;
        }
    }

    /** Stops watching (the process is then neither reaped nor reported). */
    public void unwatch(int pidfd) {
        if (watched.remove(pidfd) != null) {
            try {
                k.epollDelete(epfd, pidfd);
            } catch (ErrnoException e) {
                // closed already
            }
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
                LOG.log(Level.SEVERE, "epoll_wait failed; exits are no longer detected", e);
                return;
            }
            for (int i = 0; i < n; i++) {
                int fd = (int) data[i];
                if (fd < 0) {
                    continue; // the wake-up eventfd: re-check closed
                }
                Consumer<LinuxKernel.WaitResult> onExit = watched.remove(fd);
                if (onExit == null) {
                    continue;
                }
                try {
                    k.epollDelete(epfd, fd);
                } catch (ErrnoException e) {
                    // already gone from the set
                }
                LinuxKernel.WaitResult status = reap(fd);
                callbacks.execute(() -> {
                    try {
                        onExit.accept(status);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "exit callback failed", e);
                    }
                });
            }
        }
    }

    private LinuxKernel.WaitResult reap(int pidfd) {
        try {
            return k.waitid(LinuxKernel.P_PIDFD, pidfd, LinuxKernel.WEXITED | LinuxKernel.WNOHANG);
        } catch (ErrnoException e) {
            if (e.errno() != LinuxKernel.ECHILD) {
                LOG.log(Level.WARNING, "waitid(P_PIDFD) failed", e);
            }
            return null;
        }
    }

    /**
     * Stops the thread without reaping anything still watched: the processes keep running (a new daemon adopts
     * them) and the pidfds stay their owners'.
     */
    @Override
    public void close() {
        closed = true;
        byte[] one = {1, 0, 0, 0, 0, 0, 0, 0};
        try {
            k.write(wakeFd, one, 0, 8);
        } catch (ErrnoException e) {
            // the thread will still see closed on its next wake-up
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watched.clear();
        k.close(wakeFd);
        k.close(epfd);
    }

    /** The shell's view of a wait status: the exit code, or 128 + the signal that killed the process. */
    public static int exitCode(LinuxKernel.WaitResult r) {
        return r.code() == LinuxKernel.CLD_EXITED ? r.status() : 128 + r.status();
    }

    /** The same from a wait(2)-encoded status (PIDFD_INFO_EXIT, /proc/PID/stat's exit_code). */
    public static int exitCodeOfWaitStatus(int status) {
        int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }
}
