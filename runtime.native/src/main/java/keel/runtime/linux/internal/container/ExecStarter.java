package keel.runtime.linux.internal.container;

import static keel.runtime.linux.internal.syscall.LinuxKernel.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import keel.engine.api.runtime.ExecLaunch;
import keel.engine.api.runtime.ExecProcess;
import keel.runtime.linux.internal.process.ProcessPlan;
import keel.runtime.linux.internal.stdio.FdInputStream;
import keel.runtime.linux.internal.stdio.FdOutputStream;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * {@code docker exec}: a fresh thread enters the container (cgroups, every namespace through the container's
 * pidfd) and spawns the OCI process there with its own user, capabilities, environment and terminal. The start
 * barrier is only used when something must be set on the child by PID (rlimits, oom_score_adj, a v2 cgroup).
 */
final class ExecStarter {

    private final RuntimeContext ctx;
    private final LinuxContainer container;
    private final Path stateDir;

    ExecStarter(RuntimeContext ctx, LinuxContainer container, Path stateDir) {
        this.ctx = ctx;
        this.container = container;
        this.stateDir = stateDir;
    }

    ExecProcess exec(ExecLaunch launch) throws IOException {
        LinuxKernel k = ctx.kernel();
        ProcessPlan process = ProcessPlan.of(launch.process(), ctx.lastCap());
        List<Integer> childFds = new ArrayList<>();
        List<Integer> ourFds = new ArrayList<>();
        SpawnBarrier barrier = null;
        boolean ok = false;
        try {
            InputStream stdout = null, stderr = null;
            OutputStream stdin = null;
            ChildStdio stdio = null;
            if (!process.terminal()) {
                int in;
                if (launch.openStdin()) {
                    int[] p = k.pipe2(O_CLOEXEC);
                    childFds.add(p[0]);
                    ourFds.add(p[1]);
                    in = p[0];
                    stdin = new FdOutputStream(k, p[1], true);
                } else {
                    in = k.open("/dev/null", O_RDONLY | O_CLOEXEC, 0);
                    childFds.add(in);
                }
                int[] out = k.pipe2(O_CLOEXEC);
                childFds.add(out[1]);
                ourFds.add(out[0]);
                int[] err = k.pipe2(O_CLOEXEC);
                childFds.add(err[1]);
                ourFds.add(err[0]);
                stdout = new FdInputStream(k, out[0]);
                stderr = new FdInputStream(k, err[0]);
                if (process.uid() != 0) {
                    for (int fd : childFds) {
                        k.fchown(fd, process.uid(), process.gid());
                    }
                }
                stdio = ChildStdio.fds(in, out[1], err[1]);
            }
            boolean v2 = !container.cgroup().placesThreads();
            boolean needsBarrier = v2 || !process.rlimits().isEmpty() || process.oomScoreAdj() != null;
            LaunchSync sync = new LaunchSync();
            PreExecSteps preExec = null;
            if (needsBarrier) {
                barrier = SpawnBarrier.create(k, stateDir, process.uid(), process.gid());
                preExec = new PreExecSteps(k, sync, barrier, v2 ? container.cgroup() : null, process.rlimits(),
                        process.uid(), process.gid(), process.oomScoreAdj(), null);
            }
            int namespaces = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID
                    | CLONE_NEWCGROUP;
            int rows = 0, columns = 0;
            if (launch.process().consoleSize() != null) {
                rows = launch.process().consoleSize().height();
                columns = launch.process().consoleSize().width();
            }
            ExecSetup setup = new ExecSetup(k, sync, container.cgroup(), container.pidfd(), namespaces, process,
                    stdio, rows, columns, barrier);
            Launches.Spawned spawned = Launches.run(k, ctx.launchThreads(), "exec-" + launch.execId(), setup, preExec,
                    sync);
            int master = spawned.ttyMaster();
            if (process.terminal()) {
                stdout = new FdInputStream(k, k.dup(master));
                stdin = launch.openStdin() ? new FdOutputStream(k, k.dup(master), true) : null;
            }
            LinuxExec exec = new LinuxExec(k, spawned.pid(), spawned.pidfd(), master, stdout, stderr, stdin);
            ctx.reaper().watch(spawned.pidfd(), exec::processExited);
            ok = true;
            return exec;
        } finally {
            for (int fd : childFds) {
                k.close(fd);
            }
            if (!ok) {
                for (int fd : ourFds) {
                    k.close(fd);
                }
            }
            if (barrier != null) {
                barrier.close();
            }
        }
    }
}
