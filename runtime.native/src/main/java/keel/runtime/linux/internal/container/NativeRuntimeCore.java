package keel.runtime.linux.internal.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import keel.engine.api.runtime.ContainerLaunch;
import keel.engine.api.runtime.CreatedContainer;
import keel.engine.api.runtime.RunningContainer;
import keel.engine.api.runtime.RuntimeInfo;
import keel.runtime.linux.internal.cgroups.CgroupLayout;
import keel.runtime.linux.internal.cgroups.CgroupManager;
import keel.runtime.linux.internal.cgroups.CgroupManagers;
import keel.runtime.linux.internal.reaper.ProcessReaper;
import keel.runtime.linux.internal.rootfs.MountInfo;
import keel.runtime.linux.internal.state.ContainerState;
import keel.runtime.linux.internal.state.PidfdAnchor;
import keel.runtime.linux.internal.state.ProcStat;
import keel.runtime.linux.internal.state.StateStore;
import keel.runtime.linux.internal.stdio.FdOutputStream;
import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.JnrLinuxKernel;
import keel.runtime.linux.internal.syscall.LinuxKernel;
import keel.runtime.linux.internal.tty.PtyPump;

/**
 * The native runtime without its OSGi face: starts, adopts and deletes containers. One instance owns the reaper
 * thread, the terminal pump thread and a small pool for exit handling; closing it stops watching but leaves every
 * container running, for the next instance (or daemon) to adopt.
 */
public final class NativeRuntimeCore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NativeRuntimeCore.class.getName());

    private final RuntimeContext ctx;
    private final ContainerStarter starter;
    private final boolean exitCodesSurviveRestart;
    private final List<String> warnings;

    public NativeRuntimeCore() throws IOException {
        this(JnrLinuxKernel.instance());
    }

    public NativeRuntimeCore(LinuxKernel k) throws IOException {
        warmUp(k);
        CgroupLayout layout = CgroupLayout.detect(MountInfo.ofThisThread());
        int lastCap = Integer.parseInt(readSysctl(Path.of("/proc/sys/kernel/cap_last_cap")));
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor exits = new ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "keel-runtime-exit-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ProcessReaper reaper = new ProcessReaper(k, exits);
        PtyPump pump = new PtyPump(k);
        this.ctx = new RuntimeContext(k, new CgroupManagers(k, layout), lastCap,
                Files.exists(Path.of("/proc/kcore")), reaper, pump, exits, new ConcurrentHashMap<>(),
                // two per launch (the launch thread and the pre-exec one)
                new keel.runtime.linux.internal.thread.FreshThreads("keel-launch-spare", 2));
        ctx.launchThreads().replenish();
        this.starter = new ContainerStarter(ctx);
        this.exitCodesSurviveRestart = probeExitInfo(k);
        this.warnings = warnings(layout, exitCodesSurviveRestart);
    }

    /**
     * A /proc/sys file in one read(2): sysctl handlers answer EOF to any read at a non-zero offset, and
     * Files.readString of a file whose size reads as 0 starts with a one-byte read ("40" came back as "4").
     */
    static String readSysctl(Path file) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4096);
            ch.read(b);
            return new String(b.array(), 0, b.position(), java.nio.charset.StandardCharsets.US_ASCII).trim();
        }
    }

    /**
     * The launch thread may not start threads once in its PID namespace, and must not load classes from jars
     * once its root is the container's: every native stub and class it uses is loaded here, on a thread of its
     * own (the warm-up calls change nothing, but some touch the calling thread).
     */
    private static void warmUp(LinuxKernel k) throws IOException {
        Thread t = new Thread(() -> {
            k.warmUp();
            for (Class<?> c : List.of(ContainerSetup.class, ExecSetup.class, ProcessSpawn.class,
                    ProcessSpawn.Terminal.class, ChildStdio.class, SpawnBarrier.class, LaunchSync.class,
                    PreExecSteps.class, keel.runtime.linux.internal.rootfs.RootfsSetup.class,
                    keel.runtime.linux.internal.rootfs.ContainerMounts.class,
                    keel.runtime.linux.internal.rootfs.DeviceNodes.class,
                    keel.runtime.linux.internal.rootfs.PathMasks.class,
                    keel.runtime.linux.internal.rootfs.ProcMount.class,
                    keel.runtime.linux.internal.rootfs.CgroupView.class,
                    keel.runtime.linux.internal.rootfs.PlannedMount.class,
                    keel.runtime.linux.internal.process.ExecutableLookup.class,
                    keel.runtime.linux.internal.process.HomeDirectory.class,
                    keel.runtime.linux.internal.process.Credentials.class,
                    keel.runtime.linux.internal.syscall.SpawnRequest.class,
                    keel.runtime.linux.internal.syscall.ErrnoException.class,
                    keel.engine.api.runtime.ContainerStartException.class)) {
                try {
                    Class.forName(c.getName(), true, c.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }
            try {
                keel.runtime.linux.internal.process.ExecutableLookup.find("keel-warm-up", "/nonexistent", "/",
                        p -> k.stat(p, true));
            } catch (IOException expected) {
                // only the class loading mattered
            }
            keel.runtime.linux.internal.process.HomeDirectory.withHome(List.of(), 0, k);
            Launches.asStartException(new ErrnoException("warm-up", 0, "warm-up")).getMessage();
        }, "keel-runtime-warm-up");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while warming up");
        }
    }

    /**
     * Exit codes survive a restart when the kernel can both pin a process by mounting its pidfd and report the
     * exit status through it (PIDFD_INFO_EXIT, Linux 6.15). The first is tried on our own process.
     */
    private static boolean probeExitInfo(LinuxKernel k) {
        int self = -1, tree = -1;
        try {
            self = k.pidfdOpen(k.getpid(), 0);
            k.pidfdGetInfo(self, LinuxKernel.PIDFD_INFO_PID | LinuxKernel.PIDFD_INFO_EXIT);
            tree = k.openTree(self, "", LinuxKernel.OPEN_TREE_CLONE | LinuxKernel.OPEN_TREE_CLOEXEC
                    | LinuxKernel.AT_EMPTY_PATH);
            return kernelAtLeast(6, 15);
        } catch (ErrnoException e) {
            return false;
        } finally {
            k.close(tree);
            k.close(self);
        }
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] v = System.getProperty("os.version").split("[.-]");
        try {
            int ma = Integer.parseInt(v[0]), mi = Integer.parseInt(v[1]);
            return ma > major || ma == major && mi >= minor;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static List<String> warnings(CgroupLayout layout, boolean exitInfo) {
        List<String> w = new ArrayList<>();
        switch (layout.version()) {
            case NONE -> w.add("no cgroup filesystem is mounted: containers cannot be started");
            case HYBRID -> w.add("cgroup hybrid mode: limits use the v1 controllers; the v2 hierarchy at "
                    + layout.unified() + " is not used");
            case V2 -> w.add("cgroup v2: containers get no cgroup namespace (their /sys/fs/cgroup is a bind mount"
                    + " of their own cgroup)");
            default -> { }
        }
        for (String c : List.of("memory", "cpu", "pids", "cpuset", "freezer", "devices")) {
            if (layout.version() != CgroupLayout.Version.V2 && layout.version() != CgroupLayout.Version.NONE
                    && layout.hierarchyOf(c) == null) {
                w.add("cgroup v1 controller " + c + " is not mounted: its limits cannot be applied");
            }
        }
        if (!exitInfo) {
            w.add("exit codes of containers that exit while the daemon is down are lost (needs Linux 6.15"
                    + " PIDFD_INFO_EXIT)");
        }
        w.add("seccomp profiles and AppArmor/SELinux labels in config.json are not applied by the native runtime");
        w.add("a container with a terminal loses it when the daemon stops (the pty master lives in the daemon):"
                + " the kernel hangs the terminal up (SIGHUP, then EIO) and its later output is not logged");
        return List.copyOf(w);
    }

    public RuntimeInfo info() {
        return new RuntimeInfo(ctx.cgroups().layout().version().number(), "cgroupfs", exitCodesSurviveRestart,
                warnings);
    }

    public RunningContainer start(ContainerLaunch launch) throws IOException {
        if (ctx.live().containsKey(launch.id())) {
            throw new keel.engine.api.runtime.ContainerStartException("container " + launch.id()
                    + " is already running");
        }
        return starter.start(launch);
    }

    /** Creates the container with its process held before the executable; see {@link ContainerStarter.Held}. */
    public CreatedContainer create(ContainerLaunch launch) throws IOException {
        if (ctx.live().containsKey(launch.id())) {
            throw new keel.engine.api.runtime.ContainerStartException("container " + launch.id()
                    + " is already running");
        }
        return starter.create(launch, true);
    }

    /**
     * Takes over a container from the state an earlier runtime (this daemon's or a previous one's) left. A
     * container that exited while nobody watched is returned with its exit already complete, when the kernel kept
     * the status (see {@link PidfdAnchor}); one without a trace (after a reboot) is empty.
     */
    public Optional<RunningContainer> adopt(String id, Path stateDir) throws IOException {
        LinuxContainer running = ctx.live().get(id);
        if (running != null) {
            return Optional.of(running);
        }
        Optional<ContainerState> maybe = StateStore.read(stateDir);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        ContainerState state = maybe.get();
        LinuxKernel k = ctx.kernel();
        int pidfd = PidfdAnchor.open(k, stateDir);
        if (pidfd < 0) {
            pidfd = reopenByPid(state);
            if (pidfd < 0) {
                return Optional.empty();
            }
        }
        Map<String, Path> paths = new java.util.LinkedHashMap<>();
        state.cgroupPaths().forEach((key, p) -> paths.put(key, Path.of(p)));
        CgroupManager cgroup = ctx.cgroups().forPaths(state.cgroupVersion(), paths);
        // The terminal did not survive the daemon that held its master: no stdin, no resize, no output.
        LinuxContainer c = new LinuxContainer(ctx, id, state.pid(), pidfd, stateDir, cgroup,
                state.ownPidNamespace(), state.tty(), -1, (FdOutputStream) null, true);
        ctx.live().put(id, c);
        try {
            ctx.reaper().watch(pidfd, c::processExited);
        } catch (ErrnoException e) {
            ctx.live().remove(id, c);
            k.close(pidfd);
            throw e;
        }
        if (state.tty()) {
            LOG.info("container " + id + " had a terminal; it was hung up when the previous daemon stopped");
        }
        return Optional.of(c);
    }

    /** Without an anchor (an older state): the PID, if it is still the same process (same start time). */
    private int reopenByPid(ContainerState state) {
        LinuxKernel k = ctx.kernel();
        try {
            Optional<ProcStat> before = ProcStat.of(state.pid());
            if (before.isEmpty() || before.get().startTime() != state.startTime()) {
                return -1;
            }
            int fd = k.pidfdOpen(state.pid(), 0);
            Optional<ProcStat> after = ProcStat.of(state.pid());
            if (after.isEmpty() || after.get().startTime() != state.startTime()) {
                k.close(fd); // the PID was recycled between the two looks
                return -1;
            }
            return fd;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Removes the cgroups and state of a container that has exited; refuses a running one. */
    public void delete(String id, Path stateDir) throws IOException {
        LinuxContainer live = ctx.live().get(id);
        if (live != null && !live.exited()) {
            throw new IOException("container " + id + " is still running");
        }
        Optional<ContainerState> state = StateStore.read(stateDir);
        if (state.isPresent()) {
            ContainerState s = state.get();
            boolean held = StateStore.isHeld(stateDir);
            int pidfd = PidfdAnchor.open(ctx.kernel(), stateDir);
            if (pidfd < 0 && held) {
                pidfd = reopenByPid(s);
            }
            if (pidfd >= 0) {
                try {
                    if (ctx.kernel().poll(pidfd, LinuxKernel.POLLIN, 0) == 0) {
                        if (!held) {
                            throw new IOException("container " + id + " is still running");
                        }
                        // Created by a daemon that died before starting it: it never ran, and never will.
                        ctx.kernel().pidfdSendSignal(pidfd, LinuxKernel.SIGKILL);
                        LOG.info("killed the process of container " + id + ", created but never started");
                    }
                } finally {
                    ctx.kernel().close(pidfd);
                }
            }
            Map<String, Path> paths = new java.util.LinkedHashMap<>();
            s.cgroupPaths().forEach((key, p) -> paths.put(key, Path.of(p)));
            CgroupManager cgroup = ctx.cgroups().forPaths(s.cgroupVersion(), paths);
            if (!cgroup.destroy(Duration.ofSeconds(5))) {
                throw new IOException("cgroup of container " + id + " is still busy");
            }
        }
        PidfdAnchor.remove(ctx.kernel(), stateDir);
        StateStore.delete(stateDir);
        if (Files.isDirectory(stateDir)) {
            try (Stream<Path> leftovers = Files.list(stateDir)) {
                for (Path p : leftovers.filter(p -> p.getFileName().toString().startsWith(".spawn-")).toList()) {
                    try (Stream<Path> inner = Files.list(p)) {
                        for (Path f : inner.toList()) {
                            Files.deleteIfExists(f);
                        }
                    }
                    Files.deleteIfExists(p);
                }
            }
            try {
                Files.deleteIfExists(stateDir); // the directory the engine gave, now empty
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // something not ours in it: leave it
            }
        }
    }

    /** Stops the threads; running containers are left running and can be adopted by the next instance. */
    @Override
    public void close() {
        starter.discardAll();
        for (LinuxContainer c : ctx.live().values()) {
            c.release();
        }
        ctx.live().clear();
        ctx.launchThreads().close();
        ctx.reaper().close();
        ctx.pump().close();
        ctx.exits().shutdown();
        try {
            ctx.exits().awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(Level.FINE, "native runtime closed");
    }
}
