package keel.runtime.linux.internal.container;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

import keel.engine.api.runtime.ExecLaunch;
import keel.engine.api.runtime.ExecProcess;
import keel.engine.api.runtime.ExitStatus;
import keel.engine.api.runtime.RunningContainer;
import keel.runtime.linux.internal.cgroups.CgroupManager;
import keel.runtime.linux.internal.reaper.ProcessReaper;
import keel.runtime.linux.internal.state.PidfdAnchor;
import keel.runtime.linux.internal.state.ProcStat;
import keel.runtime.linux.internal.stdio.FdOutputStream;
import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * A container whose first process runs (started here, or adopted from an earlier daemon). Everything goes through
 * its pidfd (signals, exit) and its cgroup (processes, freezing, OOM kills): a recycled PID can never be hit.
 */
public final class LinuxContainer implements RunningContainer {

    private static final Logger LOG = Logger.getLogger(LinuxContainer.class.getName());

    private final RuntimeContext ctx;
    private final String id;
    private final long pid;
    private final int pidfd;
    private final Path stateDir;
    private final CgroupManager cgroup;
    private final boolean ownPidNamespace;
    private final boolean terminal;
    private final int ttyMaster;
    private final FdOutputStream stdin;
    private final boolean adopted;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    /** How the exit status was learnt: "waitid", "pidfd" (PIDFD_INFO_EXIT), "zombie" or "unknown". */
    private volatile String exitSource;

    LinuxContainer(RuntimeContext ctx, String id, long pid, int pidfd, Path stateDir, CgroupManager cgroup,
            boolean ownPidNamespace, boolean terminal, int ttyMaster, FdOutputStream stdin, boolean adopted) {
        this.ctx = ctx;
        this.id = id;
        this.pid = pid;
        this.pidfd = pidfd;
        this.stateDir = stateDir;
        this.cgroup = cgroup;
        this.ownPidNamespace = ownPidNamespace;
        this.terminal = terminal;
        this.ttyMaster = ttyMaster;
        this.stdin = stdin;
        this.adopted = adopted;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public CompletionStage<ExitStatus> exit() {
        return exit;
    }

    public boolean exited() {
        return exit.isDone();
    }

    /** How the exit code was found (for tests and logs). */
    public String exitSource() {
        return exitSource;
    }

    public boolean adopted() {
        return adopted;
    }

    CgroupManager cgroup() {
        return cgroup;
    }

    int pidfd() {
        return pidfd;
    }

    boolean ownPidNamespace() {
        return ownPidNamespace;
    }

    @Override
    public void signal(int signal) throws IOException {
        if (exit.isDone()) {
            throw new IOException("container " + id + " is not running");
        }
        try {
            ctx.kernel().pidfdSendSignal(pidfd, signal);
        } catch (ErrnoException e) {
            if (e.errno() == LinuxKernel.ESRCH) {
                throw new IOException("container " + id + " is not running", e);
            }
            throw e;
        }
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public void resize(int height, int width) throws IOException {
        if (ttyMaster >= 0 && !exit.isDone() && height > 0 && width > 0) {
            ctx.kernel().setWindowSize(ttyMaster, height, width);
        }
    }

    @Override
    public void pause() throws IOException {
        requireRunning();
        cgroup.freeze();
    }

    @Override
    public void resume() throws IOException {
        requireRunning();
        cgroup.thaw();
    }

    @Override
    public List<Long> pids() throws IOException {
        if (exit.isDone()) {
            return List.of();
        }
        return cgroup.pids();
    }

    @Override
    public ExecProcess exec(ExecLaunch launch) throws IOException {
        requireRunning();
        return new ExecStarter(ctx, this, stateDir).exec(launch);
    }

    private void requireRunning() throws IOException {
        if (exit.isDone()) {
            throw new IOException("container " + id + " is not running");
        }
    }

    /** The reaper's callback: {@code status} is null when the process was not our child. */
    void processExited(LinuxKernel.WaitResult status) {
        int code;
        String error = null;
        if (status != null) {
            code = ProcessReaper.exitCode(status);
            exitSource = "waitid";
        } else {
            code = exitOfForeignProcess();
            if (code < 0) {
                error = "the container's process (PID " + pid + ") exited while it was not a child of this daemon,"
                        + " and the kernel kept no exit status for it";
            }
        }
        finish(code, error);
    }

    /**
     * An adopted process is reaped by whoever is its parent now (init, a subreaper). The kernel records its exit
     * status in the pidfd when that happens (PIDFD_INFO_EXIT, Linux 6.15); until then it is a zombie whose status
     * /proc/PID/stat shows (field 52). A parent that never reaps leaves us only the latter. -1 when neither.
     */
    private int exitOfForeignProcess() {
        LinuxKernel k = ctx.kernel();
        long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
        while (true) {
            try {
                LinuxKernel.PidfdInfo info = k.pidfdGetInfo(pidfd, LinuxKernel.PIDFD_INFO_EXIT);
                if (info.hasExit()) {
                    exitSource = "pidfd";
                    return ProcessReaper.exitCodeOfWaitStatus(info.exitStatus());
                }
            } catch (ErrnoException e) {
                if (e.errno() != LinuxKernel.ESRCH) {
                    break; // no PIDFD_GET_INFO on this kernel
                }
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            java.util.Optional<ProcStat> st = ProcStat.of(pid);
            if (st.isPresent() && st.get().zombie()) {
                // Still unreaped, and the pidfd pins the PID number: it is our process.
                exitSource = "zombie";
                return ProcessReaper.exitCodeOfWaitStatus(st.get().exitCode());
            }
        } catch (IOException e) {
            // fall through
        }
        exitSource = "unknown";
        return -1;
    }

    /** Completes the exit with what is known, then cleans up. Also used by adoption of an exited container. */
    void finish(int code, String error) {
        boolean oom = false;
        try {
            oom = cgroup.oomKills() > 0;
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot read OOM kills of " + id, e);
        }
        if (!ownPidNamespace) {
            // Without its own PID namespace the kernel does not kill the rest of the container with it.
            try {
                cgroup.killAll();
            } catch (IOException e) {
                LOG.log(Level.FINE, "cannot kill the rest of " + id, e);
            }
        }
        if (ttyMaster >= 0) {
            ctx.pump().detach(ttyMaster, Duration.ofSeconds(2));
        }
        if (stdin != null) {
            stdin.close();
        }
        ctx.kernel().close(ttyMaster);
        try {
            PidfdAnchor.remove(ctx.kernel(), stateDir);
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot remove the pidfd anchor of " + id, e);
        }
        ctx.kernel().close(pidfd);
        ctx.live().remove(id, this);
        // Before the exit is reported: a restart with the same cgroupsPath (docker restart) must not race this.
        if (!cgroup.destroy(Duration.ofSeconds(5))) {
            LOG.warning("cgroup of container " + id + " is still busy; delete() will try again");
        }
        ExitStatus status = code < 0 ? ExitStatus.unknown(error) : new ExitStatus(code, oom, null);
        exit.complete(status);
    }

    /** Stops watching without touching the process (the runtime is going away; a new one adopts it). */
    void release() {
        ctx.reaper().unwatch(pidfd);
        if (ttyMaster >= 0) {
            ctx.pump().detach(ttyMaster, Duration.ZERO);
        }
        if (stdin != null) {
            stdin.close();
        }
        ctx.kernel().close(ttyMaster);
        ctx.kernel().close(pidfd);
    }
}
