package keel.runtime.linux.internal.container;

import static keel.runtime.linux.internal.syscall.LinuxKernel.*;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;
import keel.runtime.linux.internal.syscall.SpawnRequest;

/**
 * Holds a spawned child between clone and execve: its file actions fchdir into a private directory, set up the
 * standard streams and close everything else, then open() a FIFO there, which blocks until {@link #release} opens
 * the write end. Just before, the child opens
 * and closes (by reopening the same descriptor number) the write end of a second FIFO, {@code ready}, whose read
 * end the daemon holds: the hang-up that poll(2) then reports tells the daemon that the child exists, without
 * polling /proc for it. Meanwhile the daemon finishes
 * what only works once the child exists (its /proc in its PID namespace, limits set on it by PID, its v2
 * cgroup), without any code of ours running in the child: posix_spawn's file actions are the whole "init".
 *
 * <p>The directory lives on the host, outside the container's root; only the child's file actions reach it,
 * through a descriptor, before the child changes to its working directory.
 */
final class SpawnBarrier implements AutoCloseable {

    private static final String FIFO = "release";
    private static final String READY = "ready";
    private static final AtomicLong COUNTER = new AtomicLong();

    private final LinuxKernel k;
    private final Path dir;
    private final int dirFd;
    /** The read end of {@code ready}, non-blocking: POLLHUP once a writer came and went. */
    private final int readyFd;

    private SpawnBarrier(LinuxKernel k, Path dir, int dirFd, int readyFd) {
        this.k = k;
        this.dir = dir;
        this.dirFd = dirFd;
        this.readyFd = readyFd;
    }

    /**
     * @param uid the child's user: it opens the FIFO after the launch thread dropped to it
     */
    static SpawnBarrier create(LinuxKernel k, Path parent, long uid, long gid) throws ErrnoException {
        Path dir = parent.resolve(".spawn-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        k.mkdir(dir.toString(), 0711);
        try {
            k.chmod(dir.toString(), 0711);
            String fifo = dir.resolve(FIFO).toString();
            k.mknod(fifo, S_IFIFO | 0600, 0, 0);
            k.chown(fifo, uid, gid);
            String ready = dir.resolve(READY).toString();
            k.mknod(ready, S_IFIFO | 0600, 0, 0);
            k.chown(ready, uid, gid);
            int readyFd = k.open(ready, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
            int fd;
            try {
                fd = k.open(dir.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
            } catch (ErrnoException e) {
                k.close(readyFd);
                throw e;
            }
            return new SpawnBarrier(k, dir, fd, readyFd);
        } catch (ErrnoException e) {
            removeDir(k, dir);
            throw e;
        }
    }

    /**
     * The child's file actions that hold it, run after it changed into the directory ({@link #dirFd}, by fchdir) and
     * closed every descriptor it inherited but its standard streams: a process held for long (a container created
     * ahead of its start) must not keep the daemon's descriptors (its API socket, for one) open. Both FIFOs land on
     * descriptor 3, the first free one: posix_spawn closes a target descriptor before opening onto it, so opening
     * {@code release} there is what closes the write end of {@code ready}. The child opens {@code ready} without
     * blocking, since the daemon holds its read end.
     */
    List<SpawnRequest.FileAction> holdActions() {
        return List.of(new SpawnRequest.Open(HOLD_FD, READY, O_WRONLY, 0),
                new SpawnRequest.Open(HOLD_FD, FIFO, O_RDONLY, 0));
    }

    /** Where the held child keeps the barrier's FIFOs (closed again by a closefrom(3) once it is released). */
    static final int HOLD_FD = 3;

    /**
     * Waits until the child has run its first file actions (it exists, and waits at {@code release} or is about
     * to); false when {@code launchDone} says the launch ended first (the spawn failed before or at them).
     */
    boolean awaitChild(java.util.function.BooleanSupplier launchDone) throws ErrnoException {
        while (true) {
            int revents = k.poll(readyFd, POLLIN, 10);
            if ((revents & POLLHUP) != 0) {
                return true;
            }
            if (launchDone.getAsBoolean()) {
                // one last look: the child may have passed the actions just before the launch ended
                return (k.poll(readyFd, POLLIN, 0) & POLLHUP) != 0;
            }
        }
    }

    int dirFd() {
        return dirFd;
    }

    /**
     * Lets the child go on to execve. Waits for it to reach its open() (non-blocking opens until then), and gives
     * up if it died first.
     */
    void release(int childPidfd) throws ErrnoException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                k.close(k.openat(dirFd, FIFO, O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0));
                return;
            } catch (ErrnoException e) {
                if (e.errno() != ENXIO) { // ENXIO: no reader yet
                    throw e;
                }
            }
            if (k.poll(childPidfd, POLLIN, 0) != 0) {
                throw new ErrnoException("child exited before its exec", ESRCH, "No such process");
            }
            if (System.nanoTime() > deadline) {
                throw new ErrnoException("child never reached the start barrier", EAGAIN, "Timed out");
            }
            LockSupport.parkNanos(20_000);
        }
    }

    @Override
    public void close() {
        k.close(dirFd);
        k.close(readyFd);
        removeDir(k, dir);
    }

    private static void removeDir(LinuxKernel k, Path dir) {
        for (String name : new String[] {FIFO, READY}) {
            try {
                k.unlink(dir.resolve(name).toString());
            } catch (ErrnoException e) {
                // not made
            }
        }
        try {
            k.rmdir(dir.toString());
        } catch (ErrnoException e) {
            // not made
        }
    }
}
