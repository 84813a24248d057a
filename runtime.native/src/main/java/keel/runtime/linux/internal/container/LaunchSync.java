package keel.runtime.linux.internal.container;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The hand-offs between the threads of one launch: the launch thread (which enters the container's namespaces,
 * builds its root and spawns), the pre-exec thread (which finishes the child at the barrier) and the caller.
 * Only latches and volatile fields: the launch thread may not start threads once it is in a new PID namespace,
 * and completing a CompletableFuture there could run a dependent action that does.
 */
final class LaunchSync {

    /** The launch thread's TID (its /proc/self/task/TID/children lists the child). */
    volatile int launchTid;
    /** The child's host PID and a pidfd to it, found by the pre-exec thread. */
    volatile long childPid = -1;
    volatile int childPidfd = -1;
    /** What the launch thread ended with: the spawned PID, or an error. */
    volatile long spawnedPid = -1;
    volatile Throwable launchError;
    volatile Throwable preExecError;
    /** The pty master the launch thread opened in the container's devpts, or -1. */
    volatile int ttyMaster = -1;
    /** Set by the launch thread right before it calls posix_spawn. */
    private final CountDownLatch spawning = new CountDownLatch(1);
    private final CountDownLatch launchDone = new CountDownLatch(1);
    /** Counted down by the pre-exec thread when it holds the child at the barrier, or when it ends without. */
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch preExecDone = new CountDownLatch(1);
    private volatile boolean holding;
    /** Lets the pre-exec thread release the held child; {@code discarded} says to kill it instead. */
    private final CountDownLatch go = new CountDownLatch(1);
    private volatile boolean discarded;

    void spawning() {
        spawning.countDown();
    }

    void launchFinished(long pid, Throwable error) {
        this.spawnedPid = pid;
        this.launchError = error;
        launchDone.countDown();
        spawning.countDown(); // wakes the pre-exec thread if the launch failed before spawning
    }

    /** Waits until the launch thread spawns; false when it finished (failed) without spawning. */
    boolean awaitSpawning() throws InterruptedException {
        while (!spawning.await(100, TimeUnit.MILLISECONDS)) {
            // keep waiting: mounting a large rootfs can take a while
        }
        return launchDone.getCount() != 0 || spawnedPid > 0;
    }

    /** The pre-exec thread: the child waits at the barrier with everything done but its release. */
    void holding() {
        holding = true;
        held.countDown();
    }

    /** The pre-exec thread ends (a failure, or after the release): whoever waits for the hold stops waiting. */
    void preExecEnded() {
        held.countDown();
        preExecDone.countDown();
    }

    /**
     * Waits until the launch thread (and the pre-exec thread, if any) said they are done: their last act, so
     * that the caller need not wait for the threads to be torn down (Thread.join) before it goes on.
     */
    boolean awaitDone(boolean withPreExec, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        if (!launchDone.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return false;
        }
        return !withPreExec || preExecDone.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Waits until the child is held, or the pre-exec thread ended without holding it (false). */
    boolean awaitHeld(long timeoutMillis) throws InterruptedException {
        return held.await(timeoutMillis, TimeUnit.MILLISECONDS) && holding;
    }

    /** Start: the held child may run its executable. */
    void go() {
        go.countDown();
    }

    /** Discard: the held child is killed instead of released. */
    void discard() {
        discarded = true;
        go.countDown();
    }

    /**
     * The pre-exec thread, holding the child: true to release it, false to kill it. A hold nobody ends within
     * {@code maxMillis} is given up, so that an engine that lost track of it cannot leave a process waiting forever.
     */
    boolean awaitGo(long maxMillis) throws InterruptedException {
        return go.await(maxMillis, TimeUnit.MILLISECONDS) && !discarded;
    }

    boolean launchDone() {
        return launchDone.getCount() == 0;
    }
}
