package keel.runtime.linux.internal.container;

import static keel.runtime.linux.internal.syscall.LinuxKernel.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import keel.runtime.linux.internal.cgroups.CgroupManager;
import keel.runtime.linux.internal.process.Rlimits;
import keel.runtime.linux.internal.rootfs.ContainerMounts;
import keel.runtime.linux.internal.rootfs.PathMasks;
import keel.runtime.linux.internal.rootfs.PlannedMount;
import keel.runtime.linux.internal.rootfs.ProcMount;
import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * What is done to a spawned child while it waits at the {@link SpawnBarrier}, on a throwaway thread (it enters
 * the container's mount namespace, which no pooled thread may keep):
 * <ol>
 * <li>on the host: a pidfd, the v2 cgroup (whole processes only), rlimits (per process, so they cannot be set on
 * the launch thread without changing the JVM's), oom_score_adj;</li>
 * <li>in the container's namespaces: /proc for its PID namespace and the mounts below it, sysctls (which resolve
 * to the namespaces of the writer, hence setns into the child's net/ipc/uts), read-only and masked paths;</li>
 * <li>release.</li>
 * </ol>
 * On any failure the child is killed before it can exec, and the launch reports the error.
 */
final class PreExecSteps implements Runnable {

    /** The container-side part (absent for an exec, whose container is already set up). */
    record InContainer(List<PlannedMount> deferredMounts, Map<String, String> sysctl, List<String> readonlyPaths,
            List<String> maskedPaths) {}

    /** The longest a created container's process is held before its start (the engine discards far sooner). */
    static final long MAX_HOLD_MILLIS = 10 * 60 * 1000L;

    private final LinuxKernel k;
    private final LaunchSync sync;
    private final SpawnBarrier barrier;
    private final CgroupManager placeProcess;
    private final List<Rlimits.Limit> rlimits;
    private final long uid, gid;
    private final Integer oomScoreAdj;
    private final InContainer container;
    /** Filled by the launch thread before it signals spawning (proc and what is below it). */
    volatile List<PlannedMount> deferred = List.of();

    PreExecSteps(LinuxKernel k, LaunchSync sync, SpawnBarrier barrier, CgroupManager placeProcess,
            List<Rlimits.Limit> rlimits, long uid, long gid, Integer oomScoreAdj, InContainer container) {
        this.k = k;
        this.sync = sync;
        this.barrier = barrier;
        this.placeProcess = placeProcess;
        this.rlimits = rlimits;
        this.uid = uid;
        this.gid = gid;
        this.oomScoreAdj = oomScoreAdj;
        this.container = container;
    }

    @Override
    public void run() {
        try {
            if (!sync.awaitSpawning()) {
                return;
            }
            long child = findChild();
            if (child < 0) {
                return; // the spawn failed before cloning: the launch thread reports it
            }
            sync.childPid = child;
            int pidfd = k.pidfdOpen(child, 0);
            sync.childPidfd = pidfd;
            onHost(child);
            if (container != null) {
                inContainer(pidfd);
            }
            sync.holding();
            if (!sync.awaitGo(MAX_HOLD_MILLIS)) {
                throw new ErrnoException("the created container was discarded before its start", ECANCELED,
                        "Operation canceled");
            }
            barrier.release(pidfd);
        } catch (Throwable t) {
            sync.preExecError = t;
            killChild();
        } finally {
            sync.preExecEnded();
        }
    }

    /**
     * The launch thread's only child, from /proc/self/task/TID/children, once the barrier says it passed its first
     * file actions (it is listed from then on; until then this thread sleeps in poll(2) rather than spin on /proc
     * against the launch thread for the CPU).
     */
    private long findChild() throws IOException {
        if (!barrier.awaitChild(sync::launchDone)) {
            return -1;
        }
        Path children = Path.of("/proc/self/task/" + sync.launchTid + "/children");
        long spins = 0;
        while (true) {
            String s;
            try {
                s = Files.readString(children, StandardCharsets.US_ASCII).trim();
            } catch (NoSuchFileException e) {
                return -1; // the launch thread is gone
            }
            if (!s.isEmpty()) {
                return Long.parseLong(s.split(" ")[0]);
            }
            if (sync.launchDone()) {
                return -1;
            }
            if (++spins < 200) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    private void onHost(long child) throws IOException {
        if (placeProcess != null) {
            placeProcess.addProcess(child);
        }
        if (!rlimits.isEmpty()) {
            setRlimits(child);
        }
        if (oomScoreAdj != null) {
            try {
                Files.writeString(Path.of("/proc/" + child + "/oom_score_adj"), Integer.toString(oomScoreAdj));
            } catch (IOException e) {
                throw new IOException("failed to write \"" + oomScoreAdj + "\" to oom_score_adj: " + e.getMessage(),
                        e);
            }
        }
    }

    /**
     * prlimit(2) on another process needs CAP_SYS_RESOURCE, or real ids equal to the target's. The child already
     * runs as the container's user, so this thread borrows that uid and gid as its <em>real</em> ids, keeping
     * effective uid 0 (and so its capabilities), and gives them back after.
     */
    private void setRlimits(long child) throws ErrnoException {
        boolean borrow = uid != 0 || gid != 0;
        if (borrow) {
            k.setresgid(gid, -1, -1);
            k.setresuid(uid, -1, -1);
        }
        try {
            for (Rlimits.Limit l : rlimits) {
                try {
                    k.prlimit(child, l.resource(), l.soft(), l.hard());
                } catch (ErrnoException e) {
                    throw new ErrnoException("error setting rlimit type " + l.resource(), e.errno(),
                            e.goStyleReason());
                }
            }
        } finally {
            if (borrow) {
                k.setresuid(0, -1, -1);
                k.setresgid(0, -1, -1);
            }
        }
    }

    private void inContainer(int pidfd) throws IOException {
        int pidns = k.open("/proc/self/task/" + sync.launchTid + "/ns/pid_for_children", O_RDONLY | O_CLOEXEC, 0);
        try {
            k.unshare(CLONE_FS); // setns(CLONE_NEWNS) refuses a thread sharing its fs_struct
            k.setns(pidfd, CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS);
            ContainerMounts mounts = new ContainerMounts(k);
            for (PlannedMount m : deferred) {
                try {
                    if (m.isProc()) {
                        new ProcMount(k).mount(m, pidns, mounts);
                    } else {
                        mounts.mount(m);
                    }
                } catch (ErrnoException e) {
                    throw new ErrnoException("mount \"" + (m.mount().source() == null ? m.type() : m.mount().source())
                            + "\" to rootfs at \"" + m.destination() + "\"", e.errno(), e.goStyleReason());
                }
            }
            writeSysctls();
            PathMasks masks = new PathMasks(k);
            masks.readonly(container.readonlyPaths());
            masks.mask(container.maskedPaths());
        } finally {
            k.close(pidns);
        }
    }

    private void writeSysctls() throws IOException {
        if (container.sysctl() == null) {
            return;
        }
        for (Map.Entry<String, String> e : container.sysctl().entrySet()) {
            String key = e.getKey();
            if (key.isEmpty() || key.contains("..") || key.startsWith("/") || key.startsWith(".")) {
                throw new IOException("invalid sysctl " + key);
            }
            Path file = Path.of("/proc/sys/" + key.replace('.', '/'));
            try {
                Files.writeString(file, e.getValue());
            } catch (IOException ex) {
                throw new IOException("write sysctl key " + key + ": " + ex.getMessage(), ex);
            }
        }
    }

    private void killChild() {
        try {
            if (sync.childPidfd >= 0) {
                k.pidfdSendSignal(sync.childPidfd, SIGKILL);
            }
        } catch (ErrnoException e) {
            // gone already
        }
    }
}
