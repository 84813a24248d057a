package keel.runtime.linux.internal.container;

import static keel.runtime.linux.internal.syscall.LinuxKernel.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import keel.engine.api.oci.Linux;
import keel.engine.api.oci.Mount;
import keel.engine.api.oci.Spec;
import keel.engine.api.runtime.ContainerLaunch;
import keel.engine.api.runtime.ContainerStartException;
import keel.engine.api.runtime.CreatedContainer;
import keel.engine.api.runtime.Stdio;
import keel.runtime.linux.internal.cgroups.CgroupLayout;
import keel.runtime.linux.internal.cgroups.CgroupManager;
import keel.runtime.linux.internal.process.ProcessPlan;
import keel.runtime.linux.internal.rootfs.CgroupView;
import keel.runtime.linux.internal.rootfs.PlannedMount;
import keel.runtime.linux.internal.rootfs.RootfsSetup;
import keel.runtime.linux.internal.state.ContainerState;
import keel.runtime.linux.internal.state.PidfdAnchor;
import keel.runtime.linux.internal.state.ProcStat;
import keel.runtime.linux.internal.state.StateStore;
import keel.runtime.linux.internal.stdio.FdOutputStream;
import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * Starts a container from its bundle: reads and checks config.json, makes the cgroup, opens the standard
 * streams, and runs the launch and pre-exec threads. On any failure everything made so far (cgroup, child,
 * descriptors, barrier) is undone before the error is thrown: a failed start leaves nothing behind.
 */
public final class ContainerStarter {

    private static final Map<String, Integer> NAMESPACES = Map.of("pid", CLONE_NEWPID, "network", CLONE_NEWNET,
            "mount", CLONE_NEWNS, "ipc", CLONE_NEWIPC, "uts", CLONE_NEWUTS, "user", CLONE_NEWUSER,
            "cgroup", CLONE_NEWCGROUP, "time", CLONE_NEWTIME);

    private final RuntimeContext ctx;
    /** Containers created and not yet started or discarded. */
    private final java.util.Set<Held> held = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ContainerStarter(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    /** The runtime closes: what it holds is discarded, not left waiting for a start that cannot come. */
    void discardAll() {
        for (Held h : List.copyOf(held)) {
            h.discard();
        }
    }

    public LinuxContainer start(ContainerLaunch launch) throws IOException {
        return create(launch, false).start();
    }

    /**
     * Creates the container and returns with its process held at the barrier, everything done but the release.
     *
     * @param recordHold whether to write the state of the held process before returning, so that a daemon that
     *                   dies before the start or discard leaves the next one a process to kill (a hold meant to
     *                   last; an immediate start does without)
     */
    public Held create(ContainerLaunch launch, boolean recordHold) throws IOException {
        LinuxKernel k = ctx.kernel();
        String id = launch.id();
        Spec spec = launch.spec() != null ? launch.spec() : SpecReader.read(launch.bundle());
        if (spec.root() == null || spec.root().path() == null) {
            throw new ContainerStartException("root must be specified in config.json");
        }
        Path rootfs = launch.bundle().resolve(spec.root().path()).normalize();
        if (!Files.isDirectory(rootfs)) {
            throw new ContainerStartException("rootfs (" + rootfs + ") does not exist");
        }
        Linux linux = spec.linux() == null
                ? new Linux(null, null, null, null, null, List.of(), null, null, null, null, null, null)
                : spec.linux();
        ProcessPlan process = ProcessPlan.of(spec.process(), ctx.lastCap());
        if (hasHooks(spec)) {
            // Refused rather than skipped: a container whose prestart hook (a GPU, a network plugin) silently did
            // not run is worse than one that does not start.
            throw new ContainerStartException("OCI hooks are not supported by the native runtime");
        }
        CgroupLayout layout = ctx.cgroups().layout();

        // Namespaces: new ones are unshared by the launch thread, joined ones entered by descriptor.
        int unshare = 0;
        List<ContainerSetup.Join> joins = new ArrayList<>();
        boolean cgroupNs = false, ownPidNs = false, ownUts = false;
        List<Integer> fds = new ArrayList<>(); // closed at the end, whatever happens
        List<PlannedMount> mounts = new ArrayList<>();
        CgroupManager cgroup = null;
        SpawnBarrier barrier = null;
        RootfsSetup rootfsSetup = null;
        FdOutputStream stdinWriter = null;
        boolean started = false;
        try {
            for (Linux.Namespace ns : linux.namespaces() == null ? List.<Linux.Namespace>of() : linux.namespaces()) {
                Integer flag = NAMESPACES.get(ns.type());
                if (flag == null) {
                    throw new ContainerStartException("namespace type " + ns.type() + " is not supported");
                }
                if (flag == CLONE_NEWUSER) {
                    throw new ContainerStartException("user namespaces are not supported by the native runtime"
                            + " (a thread of a multi-threaded process cannot unshare one)");
                }
                if (ns.path() == null || ns.path().isEmpty()) {
                    if (flag == CLONE_NEWCGROUP && layout.isV2()) {
                        continue; // see CgroupView: on v2 the namespace would be rooted at the daemon's cgroup
                    }
                    unshare |= flag;
                    cgroupNs |= flag == CLONE_NEWCGROUP;
                    ownPidNs |= flag == CLONE_NEWPID;
                    ownUts |= flag == CLONE_NEWUTS;
                } else {
                    if (flag == CLONE_NEWNS || flag == CLONE_NEWTIME) {
                        throw new ContainerStartException("joining an existing " + ns.type()
                                + " namespace is not supported by the native runtime");
                    }
                    int fd;
                    try {
                        fd = k.open(ns.path(), O_RDONLY | O_CLOEXEC, 0);
                    } catch (ErrnoException e) {
                        throw new ContainerStartException("failed to open " + ns.type() + " namespace " + ns.path()
                                + ": " + e.goStyleReason(), e);
                    }
                    fds.add(fd);
                    if (k.nsType(fd) != flag) {
                        throw new ContainerStartException(ns.path() + " is not a " + ns.type() + " namespace");
                    }
                    joins.add(new ContainerSetup.Join(fd, flag));
                }
            }
            if ((unshare & CLONE_NEWNS) == 0) {
                throw new ContainerStartException("the native runtime needs a new mount namespace");
            }
            if (spec.hostname() != null && !spec.hostname().isEmpty() && !ownUts) {
                throw new ContainerStartException("unable to set hostname without a private UTS namespace");
            }
            for (Mount m : spec.mounts() == null ? List.<Mount>of() : spec.mounts()) {
                try {
                    mounts.add(new PlannedMount(m));
                } catch (IllegalArgumentException e) {
                    throw new ContainerStartException("invalid mount " + m.destination() + ": " + e.getMessage(), e);
                }
            }
            long rootPropagation;
            try {
                rootPropagation = RootfsSetup.propagationOf(linux.rootfsPropagation());
            } catch (IllegalArgumentException e) {
                throw new ContainerStartException(e.getMessage(), e);
            }

            if (!launch.stateDir().toFile().isDirectory()) { // the engine made it: no exception to find that
                Files.createDirectories(launch.stateDir());
            }
            String cgroupsPath = linux.cgroupsPath() == null || linux.cgroupsPath().isEmpty()
                    ? "/keel/" + id : linux.cgroupsPath();
            try {
                cgroup = ctx.cgroups().forPath(cgroupsPath);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new ContainerStartException(e.getMessage(), e);
            }
            try {
                cgroup.create(linux.resources());
            } catch (IOException e) {
                cgroup = null; // create() removed what it made
                throw new ContainerStartException("unable to apply cgroup configuration: " + e.getMessage(), e);
            }
            CgroupView view = cgroupView(layout, cgroup, cgroupNs);
            rootfsSetup = new RootfsSetup(k, rootfs.toString(), mounts, rootPropagation,
                    Boolean.TRUE.equals(spec.root().readonly()), view);

            // Standard streams.
            Stdio stdio = launch.stdio();
            ChildStdio childStdio;
            int rows = 0, columns = 0;
            if (process.terminal() || stdio.tty()) {
                if (!process.terminal()) {
                    process = withTerminal(process);
                }
                childStdio = null; // the launch thread opens the slave in the container
                rows = stdio.height() > 0 ? stdio.height()
                        : spec.process().consoleSize() != null ? spec.process().consoleSize().height() : 0;
                columns = stdio.width() > 0 ? stdio.width()
                        : spec.process().consoleSize() != null ? spec.process().consoleSize().width() : 0;
            } else {
                int in;
                if (stdio.openStdin()) {
                    int[] pipe = k.pipe2(O_CLOEXEC);
                    fds.add(pipe[0]);
                    stdinWriter = new FdOutputStream(k, pipe[1], true);
                    in = pipe[0];
                } else {
                    in = k.open("/dev/null", O_RDONLY | O_CLOEXEC, 0);
                    fds.add(in);
                }
                int out = openSpool(k, stdio.stdout());
                fds.add(out);
                int err = stdio.stderr() == null ? out : openSpool(k, stdio.stderr());
                if (err != out) {
                    fds.add(err);
                }
                if (process.uid() != 0) {
                    // runc's fixStdioPermissions: the user may reopen its own /dev/stdout (/proc/self/fd/1).
                    for (int fd : stdio.openStdin() ? new int[] {in, out, err} : new int[] {out, err}) {
                        k.fchown(fd, process.uid(), process.gid());
                    }
                }
                childStdio = ChildStdio.fds(in, out, err);
            }

            barrier = SpawnBarrier.create(k, launch.stateDir(), process.uid(), process.gid());
            LaunchSync sync = new LaunchSync();
            PreExecSteps preExec = new PreExecSteps(k, sync, barrier, cgroup.placesThreads() ? null : cgroup,
                    process.rlimits(), process.uid(), process.gid(), process.oomScoreAdj(),
                    new PreExecSteps.InContainer(List.of(), linux.sysctl(), linux.readonlyPaths(),
                            linux.maskedPaths()));
            ContainerSetup setup = new ContainerSetup(k, sync, cgroup, joins, unshare, rootfsSetup,
                    linux.devices(), ctx.hostHasKcore(), spec.hostname(), spec.domainname(), process,
                    childStdio, rows, columns, barrier, preExec);
            Launches.Pending pending = Launches.begin(k, ctx.launchThreads(), id, setup, preExec, sync);
            Held held = new Held(launch, process, ownPidNs, cgroup, stdinWriter, fds, barrier, rootfsSetup, sync,
                    pending);
            if (!pending.awaitHeld()) {
                pending.finish(); // throws why
                throw new ContainerStartException("the container process was not created");
            }
            if (recordHold) {
                try {
                    held.recordHold();
                } catch (IOException | RuntimeException e) {
                    sync.discard();
                    Launches.quietly(pending::finish);
                    Launches.quietly(() -> StateStore.delete(launch.stateDir()));
                    throw Launches.asStartException(e);
                }
            }
            started = true; // from here on, the Held owns everything
            this.held.add(held);
            return held;
        } catch (ErrnoException e) {
            throw Launches.asStartException(e); // a system call failed before the launch (pipe2, open, nsType)
        } finally {
            if (!started) {
                release(k, fds, barrier, rootfsSetup, stdinWriter, cgroup, false);
            }
        }
    }

    /** What a launch holds until the process runs (or never will): descriptors, the barrier, open mount trees. */
    /** @return false when the cgroup of a launch that did not start could not be removed (still busy) */
    private static boolean release(LinuxKernel k, List<Integer> fds, SpawnBarrier barrier, RootfsSetup rootfsSetup,
            FdOutputStream stdinWriter, CgroupManager cgroup, boolean started) {
        for (int fd : fds) {
            k.close(fd);
        }
        if (barrier != null) {
            barrier.close();
        }
        if (rootfsSetup != null) {
            rootfsSetup.closeTrees();
        }
        if (!started) {
            if (stdinWriter != null) {
                stdinWriter.close();
            }
            if (cgroup != null) {
                return cgroup.destroy(Duration.ofSeconds(5));
            }
        }
        return true;
    }

    /**
     * A created container: its process waits at the barrier with everything done but the release. Owns what the
     * launch made until {@link #start} or {@link #discard}, whichever comes first and only once.
     */
    public final class Held implements CreatedContainer {

        private final ContainerLaunch launch;
        private final ProcessPlan process;
        private final boolean ownPidNs;
        private final CgroupManager cgroup;
        private final FdOutputStream stdinWriter;
        private final List<Integer> fds;
        private final SpawnBarrier barrier;
        private final RootfsSetup rootfsSetup;
        private final LaunchSync sync;
        private final Launches.Pending pending;
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        private boolean recorded;

        Held(ContainerLaunch launch, ProcessPlan process, boolean ownPidNs, CgroupManager cgroup,
                FdOutputStream stdinWriter, List<Integer> fds, SpawnBarrier barrier, RootfsSetup rootfsSetup,
                LaunchSync sync, Launches.Pending pending) {
            this.launch = launch;
            this.process = process;
            this.ownPidNs = ownPidNs;
            this.cgroup = cgroup;
            this.stdinWriter = stdinWriter;
            this.fds = fds;
            this.barrier = barrier;
            this.rootfsSetup = rootfsSetup;
            this.sync = sync;
            this.pending = pending;
        }

        /** The state of the held process and its pidfd anchor, for a daemon that finds it after this one died. */
        void recordHold() throws IOException {
            StateStore.markHeld(launch.stateDir());
            writeState(sync.childPid);
            PidfdAnchor.create(ctx.kernel(), sync.childPidfd, launch.stateDir());
            recorded = true;
        }

        private void writeState(long pid) throws IOException {
            long startTime = ProcStat.of(pid).map(ProcStat::startTime).orElse(0L);
            Map<String, String> paths = new LinkedHashMap<>();
            cgroup.paths().forEach((key, p) -> paths.put(key, p.toString()));
            StateStore.write(launch.stateDir(), new ContainerState(launch.id(), pid, startTime, cgroup.version(),
                    paths, process.terminal(), ownPidNs, launch.bundle().toString(), System.currentTimeMillis()));
        }

        @Override
        public LinuxContainer start() throws IOException {
            if (!ended.compareAndSet(false, true)) {
                throw new IllegalStateException("container " + launch.id() + " was started or discarded already");
            }
            held.remove(this);
            LinuxKernel k = ctx.kernel();
            boolean ok = false;
            try {
                sync.go();
                Launches.Spawned spawned = pending.finish();
                LinuxContainer container = takeCharge(k, spawned);
                ok = true;
                return container;
            } finally {
                // the cgroup first: while it cannot be removed, the state stays for the runtime's delete to retry
                if (release(k, fds, barrier, rootfsSetup, stdinWriter, cgroup, ok) && !ok && recorded) {
                    Launches.quietly(() -> PidfdAnchor.remove(k, launch.stateDir()));
                    Launches.quietly(() -> StateStore.delete(launch.stateDir()));
                }
            }
        }

        private LinuxContainer takeCharge(LinuxKernel k, Launches.Spawned spawned) throws IOException {
            String id = launch.id();
            Stdio stdio = launch.stdio();
            try {
                if (recorded) {
                    StateStore.unmarkHeld(launch.stateDir()); // the state and anchor of the hold are the process's
                } else {
                    writeState(spawned.pid());
                    PidfdAnchor.create(k, spawned.pidfd(), launch.stateDir());
                }
                LinuxContainer container = new LinuxContainer(ctx, id, spawned.pid(), spawned.pidfd(),
                        launch.stateDir(), cgroup, ownPidNs, process.terminal(), spawned.ttyMaster(),
                        stdio.openStdin() ? (process.terminal() ? new FdOutputStream(k, spawned.ttyMaster(), false)
                                : stdinWriter) : null, false);
                if (process.terminal()) {
                    ctx.pump().attach(spawned.ttyMaster(),
                            stdio.stdout() != null ? stdio.stdout() : Path.of("/dev/null"));
                }
                ctx.live().put(id, container);
                ctx.reaper().watch(spawned.pidfd(), container::processExited);
                return container;
            } catch (IOException | RuntimeException e) {
                // The process runs, but we could not take charge of it: stop it rather than leave it unmanaged.
                Launches.quietly(() -> k.pidfdSendSignal(spawned.pidfd(), SIGKILL));
                Launches.quietly(() -> k.waitid(P_PIDFD, spawned.pidfd(), WEXITED));
                k.close(spawned.pidfd());
                k.close(spawned.ttyMaster());
                ctx.live().remove(id);
                Launches.quietly(() -> PidfdAnchor.remove(k, launch.stateDir()));
                Launches.quietly(() -> StateStore.delete(launch.stateDir()));
                throw Launches.asStartException(e);
            }
        }

        @Override
        public void discard() {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            held.remove(this);
            LinuxKernel k = ctx.kernel();
            sync.discard();
            try {
                pending.finish();
            } catch (ContainerStartException expected) {
                // the pre-exec thread killed the child, as asked
            }
            // the cgroup first: while it cannot be removed, the state stays for the runtime's delete to retry
            if (release(k, fds, barrier, rootfsSetup, stdinWriter, cgroup, false) && recorded) {
                Launches.quietly(() -> PidfdAnchor.remove(k, launch.stateDir()));
                Launches.quietly(() -> StateStore.delete(launch.stateDir()));
            }
        }
    }

    private static boolean hasHooks(Spec spec) {
        var h = spec.hooks();
        return h != null && java.util.stream.Stream.of(h.prestart(), h.createRuntime(), h.createContainer(),
                h.startContainer(), h.poststart(), h.poststop()).anyMatch(l -> l != null && !l.isEmpty());
    }

    private static ProcessPlan withTerminal(ProcessPlan p) {
        return new ProcessPlan(p.args(), p.env(), p.cwd(), p.credentials(), p.umask(), p.rlimits(), p.oomScoreAdj(),
                true);
    }

    /** The spool file, appended to (created if missing), as the process's fd 1 or 2. */
    private static int openSpool(LinuxKernel k, Path file) throws ErrnoException {
        if (file == null) {
            return k.open("/dev/null", O_WRONLY | O_CLOEXEC, 0);
        }
        return k.open(file.toString(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    }

    static CgroupView cgroupView(CgroupLayout layout, CgroupManager cgroup, boolean cgroupNs) {
        if (layout.isV2()) {
            return new CgroupView(true, false, List.of(new CgroupView.Hierarchy("", List.of(), cgroup.paths().get(""))));
        }
        List<CgroupView.Hierarchy> hs = new ArrayList<>();
        for (Map.Entry<String, Path> e : cgroup.paths().entrySet()) {
            List<String> controllers = new ArrayList<>(layout.controllersByHierarchy().get(e.getKey()));
            hs.add(new CgroupView.Hierarchy(e.getKey(), controllers, e.getValue()));
        }
        return new CgroupView(false, cgroupNs, hs);
    }
}
