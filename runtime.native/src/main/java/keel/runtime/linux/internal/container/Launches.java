package keel.runtime.linux.internal.container;

import java.util.concurrent.TimeUnit;

import keel.engine.api.runtime.ContainerStartException;
import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/** Running the launch and pre-exec threads of one start (or exec) and turning their outcome into a result. */
final class Launches {

    private Launches() {}

    /** The spawned process, with a pidfd to it; the caller owns both. */
    record Spawned(long pid, int pidfd, int ttyMaster) {}

    /**
     * Runs both threads to the end. On failure the child (if any) is killed and reaped, its pidfd and terminal
     * closed, and the error is thrown in runc's words.
     */
    static Spawned run(LinuxKernel k, keel.runtime.linux.internal.thread.FreshThreads threads, String name,
            Runnable launch, Runnable preExec, LaunchSync sync) throws ContainerStartException {
        sync.go(); // nothing to wait for between the hold and the release
        return begin(k, threads, name, launch, preExec, sync).finish();
    }

    /** Starts the launch and pre-exec threads; {@link Pending#finish} waits for them. */
    static Pending begin(LinuxKernel k, keel.runtime.linux.internal.thread.FreshThreads threads, String name,
            Runnable launch, Runnable preExec, LaunchSync sync) {
        // The launch thread first: the pre-exec thread is only needed once it spawns, milliseconds later.
        Thread t = threads.start("keel-launch-" + name, launch);
        Thread h = preExec == null ? null : threads.start("keel-preexec-" + name, preExec);
        threads.replenish(); // while they run
        return new Pending(k, t, h, sync);
    }

    /** The threads of a launch under way. */
    static final class Pending {

        private final LinuxKernel k;
        private final Thread launch;
        private final Thread preExec;
        private final LaunchSync sync;

        private Pending(LinuxKernel k, Thread launch, Thread preExec, LaunchSync sync) {
            this.k = k;
            this.launch = launch;
            this.preExec = preExec;
            this.sync = sync;
        }

        /**
         * Waits until the child is held at the barrier (true), or the launch failed (false: {@link #finish} then
         * reports why).
         */
        boolean awaitHeld() {
            try {
                if (sync.awaitHeld(TimeUnit.SECONDS.toMillis(120))) {
                    return true;
                }
                if (!sync.launchDone() && sync.preExecError == null) {
                    giveUp();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sync.preExecError = e;
                sync.discard();
            }
            return false;
        }

        private void giveUp() {
            sync.preExecError = new ErrnoException("container start did not finish in time", LinuxKernel.EAGAIN,
                    "Timed out");
            sync.discard();
            if (sync.childPidfd >= 0) {
                quietly(() -> k.pidfdSendSignal(sync.childPidfd, LinuxKernel.SIGKILL));
            }
        }

        /**
         * Waits for both threads to end (after {@link LaunchSync#go} or {@link LaunchSync#discard}) and returns the
         * spawned process. On failure the child (if any) is killed and reaped, its pidfd and terminal closed, and
         * the error is thrown in runc's words.
         */
        Spawned finish() throws ContainerStartException {
            Thread t = launch;
            Thread h = preExec;
            try {
                if (!sync.awaitDone(h != null, TimeUnit.SECONDS.toMillis(120))) {
                    giveUp();
                    join(t, 10);
                    if (h != null) {
                        join(h, 10);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sync.preExecError = e;
            }
            Throwable error = sync.preExecError != null ? sync.preExecError : sync.launchError;
            if (error == null && sync.spawnedPid > 0 && sync.childPidfd < 0) {
                // No barrier (an exec that needs none): the pidfd is opened here, while the child cannot have been
                // reaped by anyone but us.
                try {
                    sync.childPidfd = k.pidfdOpen(sync.spawnedPid, 0);
                } catch (ErrnoException e) {
                    error = e;
                }
            }
            if (error == null && sync.childPid > 0 && sync.childPid != sync.spawnedPid) {
                error = new ErrnoException("spawned " + sync.spawnedPid + " but prepared " + sync.childPid,
                        LinuxKernel.ESRCH, "No such process");
            }
            if (error == null && sync.spawnedPid > 0) {
                return new Spawned(sync.spawnedPid, sync.childPidfd, sync.ttyMaster);
            }
            // Failed: nothing may survive.
            if (sync.childPidfd >= 0) {
                quietly(() -> k.pidfdSendSignal(sync.childPidfd, LinuxKernel.SIGKILL));
                quietly(() -> k.waitid(LinuxKernel.P_PIDFD, sync.childPidfd, LinuxKernel.WEXITED));
                k.close(sync.childPidfd);
            } else if (sync.spawnedPid > 0) {
                long pid = sync.spawnedPid;
                quietly(() -> k.kill(pid, LinuxKernel.SIGKILL));
                quietly(() -> k.waitid(LinuxKernel.P_PID, pid, LinuxKernel.WEXITED));
            }
            k.close(sync.ttyMaster);
            throw asStartException(error == null ? new IllegalStateException("the process was not started") : error);
        }
    }

    static ContainerStartException asStartException(Throwable error) {
        if (error instanceof ContainerStartException cse) {
            return cse;
        }
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        return new ContainerStartException("unable to start container process: " + message, error);
    }

    private static boolean join(Thread t, int seconds) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(seconds));
        return !t.isAlive();
    }

    interface Step {
        void run() throws Exception;
    }

    static void quietly(Step s) {
        try {
            s.run();
        } catch (Exception e) {
            // best effort clean-up
        }
    }
}
