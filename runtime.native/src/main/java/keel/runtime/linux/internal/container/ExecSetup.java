package keel.runtime.linux.internal.container;

import static keel.runtime.linux.internal.syscall.LinuxKernel.*;

import keel.runtime.linux.internal.cgroups.CgroupManager;
import keel.runtime.linux.internal.process.ProcessPlan;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * The launch thread of a {@code docker exec}: joins the container's cgroups (v1, by TID), enters all its
 * namespaces at once through its pidfd (setns(2) with a pidfd, Linux 5.8), which also makes the container's root
 * this thread's root, and spawns. The time namespace is not entered: setns refuses it in a multi-threaded
 * process, and Docker sets no clock offsets, so the host's reads the same.
 */
final class ExecSetup implements Runnable {

    private final LinuxKernel k;
    private final LaunchSync sync;
    private final CgroupManager cgroup;
    private final int containerPidfd;
    private final int namespaces;
    private final ProcessPlan process;
    private final ChildStdio stdio;
    private final int rows, columns;
    private final SpawnBarrier barrier;

    ExecSetup(LinuxKernel k, LaunchSync sync, CgroupManager cgroup, int containerPidfd, int namespaces,
            ProcessPlan process, ChildStdio stdio, int rows, int columns, SpawnBarrier barrier) {
        this.k = k;
        this.sync = sync;
        this.cgroup = cgroup;
        this.containerPidfd = containerPidfd;
        this.namespaces = namespaces;
        this.process = process;
        this.stdio = stdio;
        this.rows = rows;
        this.columns = columns;
        this.barrier = barrier;
    }

    @Override
    public void run() {
        long pid = -1;
        Throwable error = null;
        try {
            pid = launch();
        } catch (Throwable t) {
            error = t;
        }
        sync.launchFinished(pid, error);
    }

    private long launch() throws Exception {
        int tid = k.gettid();
        sync.launchTid = tid;
        if (cgroup.placesThreads()) {
            cgroup.addThread(tid);
        }
        k.unshare(CLONE_FS);
        k.setns(containerPidfd, namespaces);
        ProcessSpawn.checkCwd(k, process.cwd());
        ChildStdio childStdio = stdio;
        if (process.terminal()) {
            ProcessSpawn.Terminal t = ProcessSpawn.openTerminal(k, process, rows, columns);
            sync.ttyMaster = t.master();
            childStdio = ChildStdio.terminal(t.slave());
        }
        return ProcessSpawn.spawn(k, process, childStdio, barrier, sync);
    }
}
