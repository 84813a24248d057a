package keel.runtime.linux.internal.thread;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Single-use platform threads, started ahead of need. A container's launch thread unshares namespaces and pivots
 * into the container's root, its pre-exec thread enters the container's mount namespace, a network namespace is
 * made by unsharing: none of these threads may ever run anything else, so they cannot come from a pool. What a
 * pool would save, the 100 to 300 microseconds between {@code Thread.start()} and the first line of the task,
 * is saved here instead by keeping a few threads started and parked, each of which runs exactly one task and
 * ends. Until it is handed its task a spare has done nothing but park: its kernel thread is as fresh as a new one.
 *
 * <p>The caller replaces the spares taken ({@link #replenish}) once its tasks are handed over, so that it makes the
 * new threads while the tasks run instead of before. When spares run out (many starts at once), tasks get a thread made for them, as before.
 */
public final class FreshThreads {

    private final String spareName;
    private final int spares;
    private final ConcurrentLinkedQueue<Spare> idle = new ConcurrentLinkedQueue<>();
    /** Spares parked or being started. */
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean closed;

    /** @param spares how many threads to keep parked (0: every task gets a new thread) */
    public FreshThreads(String spareName, int spares) {
        this.spareName = spareName;
        this.spares = spares;
    }

    /**
     * Runs {@code task} on a thread that ran nothing before and ends after it, named {@code name}. Returns the
     * thread (to join).
     */
    public Thread start(String name, Runnable task) {
        Spare s = closed ? null : idle.poll();
        Thread t;
        if (s != null) {
            count.decrementAndGet();
            s.thread.setName(name);
            s.task = task;
            LockSupport.unpark(s.thread);
            t = s.thread;
        } else {
            t = new Thread(task, name);
            t.setDaemon(true);
            t.start();
        }
        return t;
    }

    /** Starts spares until there are enough (called after a hand-off, and once to fill the set). */
    public void replenish() {
        while (!closed) {
            int n = count.get();
            if (n >= spares || !count.compareAndSet(n, n + 1)) {
                if (n >= spares) {
                    return;
                }
                continue;
            }
            Spare s = new Spare();
            Thread t = new Thread(s::park, spareName);
            t.setDaemon(true);
            s.thread = t;
            t.start();
            idle.add(s);
        }
    }

    /** Lets the parked spares end; later tasks get threads of their own. */
    public void close() {
        closed = true;
        for (Spare s = idle.poll(); s != null; s = idle.poll()) {
            s.task = () -> { };
            LockSupport.unpark(s.thread);
        }
    }

    private static final class Spare {
        volatile Thread thread;
        volatile Runnable task;

        void park() {
            while (task == null) {
                LockSupport.park(this);
            }
            task.run();
        }
    }
}
