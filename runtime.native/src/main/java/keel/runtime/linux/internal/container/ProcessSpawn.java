package keel.runtime.linux.internal.container;

import java.util.ArrayList;
import java.util.List;

import keel.runtime.linux.internal.process.ExecutableLookup;
import keel.runtime.linux.internal.process.HomeDirectory;
import keel.runtime.linux.internal.process.ProcessPlan;
import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;
import keel.runtime.linux.internal.syscall.SpawnRequest;
import keel.engine.api.runtime.ContainerStartException;

/**
 * The last steps of a launch (container or exec), on the launch thread once its root is the container's: find
 * the executable, become the container's user, posix_spawn. Shared by {@link ContainerSetup} and
 * {@link ExecSetup}.
 */
final class ProcessSpawn {

    private ProcessSpawn() {}

    /** A pty master we keep and the path of its slave, as the container sees it. */
    record Terminal(int master, String slave) {}

    /** A pty in the container's devpts (the caller's /dev/ptmx is the container's). */
    static Terminal openTerminal(LinuxKernel k, ProcessPlan p, int rows, int columns) throws ErrnoException {
        int master = k.posixOpenpt(LinuxKernel.O_RDWR | LinuxKernel.O_NOCTTY | LinuxKernel.O_CLOEXEC);
        try {
            k.unlockpt(master);
            String slave = k.ptsname(master);
            if (rows > 0 && columns > 0) {
                k.setWindowSize(master, rows, columns);
            }
            if (p.uid() != 0) {
                // runc's fixStdioPermissions: the user must be able to open its own terminal.
                k.chown(slave, p.uid(), -1);
            }
            return new Terminal(master, slave);
        } catch (ErrnoException e) {
            k.close(master);
            throw e;
        }
    }

    /** The working directory must exist in the container (runc's wording when it does not). */
    static void checkCwd(LinuxKernel k, String cwd) throws ContainerStartException {
        try {
            if (!k.stat(cwd, true).isDirectory()) {
                throw new ContainerStartException("chdir to cwd (\"" + cwd + "\") set in config.json failed: not a"
                        + " directory");
            }
        } catch (ErrnoException e) {
            throw new ContainerStartException("chdir to cwd (\"" + cwd + "\") set in config.json failed: "
                    + e.goStyleReason(), e);
        }
    }

    static long spawn(LinuxKernel k, ProcessPlan p, ChildStdio stdio, SpawnBarrier barrier, LaunchSync sync)
            throws ContainerStartException, ErrnoException {
        List<String> env = HomeDirectory.withHome(p.env(), p.uid(), k);
        String path = ExecutableLookup.find(p.args().get(0), ExecutableLookup.pathOf(env), p.cwd(),
                file -> k.statIfExists(file, true));
        List<SpawnRequest.FileAction> actions = new ArrayList<>();
        if (barrier != null) {
            actions.add(new SpawnRequest.Fchdir(barrier.dirFd()));
        }
        actions.addAll(stdio.actions()); // 0, 1 and 2, then closefrom(3): nothing of the JVM's is kept
        if (barrier != null) {
            actions.addAll(barrier.holdActions());
        }
        actions.add(new SpawnRequest.Chdir(p.cwd()));
        if (barrier != null) {
            actions.add(new SpawnRequest.CloseFrom(SpawnBarrier.HOLD_FD));
        }
        SpawnRequest request = new SpawnRequest(path, p.args(), env, actions, true);
        sync.spawning();
        p.credentials().apply(k);
        k.umask(p.umask());
        try {
            return k.posixSpawn(request);
        } catch (ErrnoException e) {
            // The working directory was checked before: what fails here is the execve (ENOEXEC, a missing
            // interpreter, EACCES for the user), reported as runc does.
            throw new ContainerStartException("exec " + path + ": " + e.goStyleReason(), e);
        }
    }
}
