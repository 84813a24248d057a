package keel.runtime.linux.internal.container;

import static keel.runtime.linux.internal.syscall.LinuxKernel.*;

import java.util.List;

import keel.engine.api.oci.Linux;
import keel.runtime.linux.internal.cgroups.CgroupManager;
import keel.runtime.linux.internal.process.ProcessPlan;
import keel.runtime.linux.internal.rootfs.PlannedMount;
import keel.runtime.linux.internal.rootfs.RootfsSetup;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * The launch thread of a container: a fresh platform thread that becomes the container's "runc init" without
 * being a process. It joins the container's cgroups (v1, by TID), enters or creates its namespaces (a thread can
 * unshare everything but a user namespace), builds and pivots into its root, and spawns the process, which
 * inherits all of it. Its mount namespace dies with it and the child.
 *
 * <p>After unshare(CLONE_NEWPID) this thread can no longer create threads (the kernel refuses CLONE_THREAD
 * across PID namespaces), so everything it calls was loaded and warmed before.
 */
final class ContainerSetup implements Runnable {

    /** A namespace to join: an open namespace file and its CLONE_NEW* type. */
    record Join(int fd, int type) {}

    private final LinuxKernel k;
    private final LaunchSync sync;
    private final CgroupManager cgroup;
    private final List<Join> joins;
    private final int unshareFlags;
    private final RootfsSetup rootfs;
    private final List<Linux.Device> devices;
    private final boolean coreLink;
    private final String hostname, domainname;
    private final ProcessPlan process;
    private final ChildStdio stdio;
    private final int rows, columns;
    private final SpawnBarrier barrier;
    private final PreExecSteps preExec;

    ContainerSetup(LinuxKernel k, LaunchSync sync, CgroupManager cgroup, List<Join> joins, int unshareFlags,
            RootfsSetup rootfs, List<Linux.Device> devices, boolean coreLink, String hostname, String domainname,
            ProcessPlan process, ChildStdio stdio, int rows, int columns, SpawnBarrier barrier,
            PreExecSteps preExec) {
        this.k = k;
        this.sync = sync;
        this.cgroup = cgroup;
        this.joins = joins;
        this.unshareFlags = unshareFlags;
        this.rootfs = rootfs;
        this.devices = devices;
        this.coreLink = coreLink;
        this.hostname = hostname;
        this.domainname = domainname;
        this.process = process;
        this.stdio = stdio;
        this.rows = rows;
        this.columns = columns;
        this.barrier = barrier;
        this.preExec = preExec;
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
            // Before CLONE_NEWCGROUP: the namespace's root is the cgroup the thread is in when it unshares.
            cgroup.addThread(tid);
        }
        for (Join j : joins) {
            k.setns(j.fd(), j.type());
        }
        k.unshare(unshareFlags);
        k.umask(0); // modes below (devices, mount points) are exactly what is asked
        rootfs.prepare();
        rootfs.pivot();
        List<PlannedMount> deferred = rootfs.mountAll();
        rootfs.devices(devices, coreLink);
        if (hostname != null && !hostname.isEmpty()) {
            k.sethostname(hostname);
        }
        if (domainname != null && !domainname.isEmpty()) {
            k.setdomainname(domainname);
        }
        // runc creates a missing working directory (as root, before dropping privileges).
        rootfs.containerMounts().mkdirAll(process.cwd(), 0755);
        ChildStdio childStdio = stdio;
        if (process.terminal()) {
            ProcessSpawn.Terminal t = ProcessSpawn.openTerminal(k, process, rows, columns);
            sync.ttyMaster = t.master();
            childStdio = ChildStdio.terminal(t.slave());
            // /dev/console is the container's terminal, as with runc.
            rootfs.containerMounts().createFile("/dev/console");
            k.mount(t.slave(), "/dev/console", null, MS_BIND, null);
        }
        rootfs.finish();
        ProcessSpawn.checkCwd(k, process.cwd());
        preExec.deferred = deferred;
        return ProcessSpawn.spawn(k, process, childStdio, barrier, sync);
    }
}
