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

    boolean launchDone() {
        return launchDone.getCount() == 0;
    }
}
