package keel.engine.core.internal.container;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import keel.engine.api.container.AttachOptions;
import keel.engine.api.container.Attachment;
import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ContainerDetails;
import keel.engine.api.container.ContainerService;
import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.CreateRequest;
import keel.engine.api.container.CreateResult;
import keel.engine.api.container.ExecConfig;
import keel.engine.api.container.ExecDetails;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.HostConfig.LogConfig;
import keel.engine.api.container.LogOptions;
import keel.engine.api.container.PruneReport;
import keel.engine.api.container.StreamSink;
import keel.engine.api.container.TopResult;
import keel.engine.api.container.WaitCondition;
import keel.engine.api.container.WaitResult;
import keel.engine.api.errors.EngineException;
import keel.engine.api.logging.ContainerLog;
import keel.engine.api.logging.LogContext;
import keel.engine.api.logging.LogDriver;
import keel.engine.api.network.SandboxFactory;
import keel.engine.api.oci.Spec;
import keel.engine.api.runtime.ContainerLaunch;
import keel.engine.api.runtime.ContainerRuntime;
import keel.engine.api.runtime.ExitStatus;
import keel.engine.api.runtime.RunningContainer;
import keel.engine.api.runtime.RuntimeInfo;
import keel.engine.api.runtime.Stdio;
import keel.engine.api.storage.LayerStore;
import keel.engine.core.internal.container.attach.AttachedClient;
import keel.engine.core.internal.container.attach.ContainerStreams;
import keel.engine.core.internal.container.output.ContainerOutput;
import keel.engine.core.internal.container.output.OutputPump;
import keel.engine.core.internal.container.spec.OciSpecJson;
import keel.engine.core.internal.container.spec.SpecRequest;
import keel.engine.core.internal.image.ImageUsage;
import keel.engine.core.internal.image.Images;
import keel.engine.core.internal.image.disk.AtomicFiles;
import keel.engine.core.internal.image.disk.SpreadDirectories;
import keel.engine.core.internal.storage.ActiveStorage;

/**
 * The engine's containers with Docker's semantics: create, the start/exit state machine, stop and kill, removal,
 * waits, attach and logs, and the recovery of containers after a daemon restart. Listing, inspection, exec and top
 * are in their own classes; this one owns the records and their lifecycle.
 *
 * <p>Threads: API calls run on the caller's thread; exits are handled on a small lifecycle pool (never on the
 * runtime's reaper thread); output goes through the one {@link OutputPump}; clients are written to from a shared
 * pool. Loading the containers at startup happens on a thread of its own; API calls wait for it, bounded.
 */
public final class ContainerEngine implements ContainerService, ImageUsage, ContainerCounts {

    private static final System.Logger LOG = System.getLogger(ContainerEngine.class.getName());
    static final int DEFAULT_STOP_TIMEOUT = 10;
    /** How long API calls wait for the containers to be loaded at startup. */
    static final long LOAD_WAIT_SECONDS = 60;
    /** How long an exit waits for its output to be drained before cleaning up anyway. */
    static final long DRAIN_WAIT_SECONDS = 60;
    /** Threads handling exits, restarts and recoveries (none while idle). */
    static final int LIFECYCLE_THREADS = 8;
    static final String STDOUT_SPOOL = "stdout.spool";
    static final String STDERR_SPOOL = "stderr.spool";
    static final String SPOOL_OFFSETS = "spool.offsets";

    final ContainerSettings settings;
    final Images images;
    final ActiveStorage storage;
    final Drivers<ContainerRuntime> runtimes;
    final Drivers<LogDriver> logDrivers;
    final ContainerNetworking networking;
    private final Supplier<SandboxFactory> sandboxes;
    final ContainerSpecs specs;
    final OutputPump pump;
    final Clock clock;
    final ContainerIndex index = new ContainerIndex();
    final NameGenerator names = new NameGenerator();
    final ExecSessions execs;
    private final ExecutorService lifecycle;
    /**
     * Finishes removals after the container is reported removed (unmount, driver layer, directories, runtime
     * state, network namespace), one at a time; what a crash leaves undone is swept at the next start.
     */
    private final ExecutorService janitor;
    private final ExecutorService clientWriters;
    /** Mounts root filesystems while the network sandbox is made (a few threads; beyond, the caller mounts). */
    private final ExecutorService mounts;
    private final IdleCollector idle = new IdleCollector();
    private final java.util.concurrent.ScheduledExecutorService restarts;
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private final List<String> recoveryNotes = new ArrayList<>();
    /** Stopped containers whose restart policy starts them with the daemon, once their runtime is here. */
    private final List<ContainerRecord> startupRestarts = new ArrayList<>();
    private volatile boolean closed;
    /** What the last daemon left in the exec root for containers that no longer exist (swept once). */
    private ExecRootLeftovers leftovers = ExecRootLeftovers.NONE;
    /**
     * Guards {@link #leftovers}. Not the engine's monitor: a container's removal adds to them while it holds the
     * container's op lock, and recoverPending takes op locks while it holds the engine's monitor.
     */
    private final Object leftoversLock = new Object();

    public ContainerEngine(ContainerSettings settings, Images images, ActiveStorage storage,
            Drivers<ContainerRuntime> runtimes, Drivers<LogDriver> logDrivers,
            keel.engine.core.internal.network.ContainerNetworks networks, Supplier<SandboxFactory> sandboxes,
            ContainerSpecs specs, OutputPump pump, Clock clock) {
        this.settings = settings;
        this.images = images;
        this.storage = storage;
        this.runtimes = runtimes;
        this.logDrivers = logDrivers;
        this.networking = new ContainerNetworking(networks, this);
        this.sandboxes = sandboxes;
        this.specs = specs;
        this.pump = pump;
        this.clock = clock;
        // Bounded: a burst of exits queues up instead of making a thread each; idle threads go after 30 s.
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(LIFECYCLE_THREADS,
                LIFECYCLE_THREADS, 30, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
                threads("keel-container-lifecycle"));
        pool.allowCoreThreadTimeOut(true);
        this.lifecycle = pool;
        java.util.concurrent.ThreadPoolExecutor cleaner = new java.util.concurrent.ThreadPoolExecutor(1, 1, 30,
                TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), threads("keel-container-janitor"));
        cleaner.allowCoreThreadTimeOut(true);
        this.janitor = cleaner;
        this.mounts = new java.util.concurrent.ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS,
                new java.util.concurrent.SynchronousQueue<>(), threads("keel-container-mount"));
        this.clientWriters = Executors.newCachedThreadPool(threads("keel-attach-writer"));
        this.restarts = Executors.newSingleThreadScheduledExecutor(threads("keel-container-restart"));
        this.execs = new ExecSessions(this);
        runtimes.onArrival((name, rt) -> schedule(this::recoverPending));
        logDrivers.onArrival((name, d) -> schedule(this::recoverPending));
    }

    /** Runs a task on the lifecycle pool unless the engine is closed. */
    private void schedule(Runnable task) {
        if (closed) {
            return;
        }
        try {
            lifecycle.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // closed meanwhile: the next engine recovers what this one leaves
        }
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ============================================================================================================
    // Opening and closing

    /**
     * Loads the containers on a thread of its own and recovers those that were running (the runtime adopts them,
     * their output is read from where it was left). Returns at once.
     */
    public CompletableFuture<Void> open() {
        Thread t = new Thread(() -> {
            try {
                pump.start();
                load();
                loaded.complete(null);
                recoverPending();
            } catch (Throwable e) {
                LOG.log(Level.ERROR, "loading the containers failed", e);
                loaded.completeExceptionally(e);
            }
        }, "keel-container-load");
        t.setDaemon(true);
        t.start();
        return loaded;
    }

    /**
     * Stops reading output and closes logs; containers keep running (their output waits in the spools) and are
     * adopted by the next daemon.
     */
    public void close() {
        closed = true;
        networking.close();
        List<CompletableFuture<Void>> detached = new ArrayList<>();
        for (ContainerRecord r : index.all()) {
            Run run;
            synchronized (r) {
                run = r.run;
            }
            if (run != null) {
                detached.add(pump.detach(run.output));
            }
        }
        try {
            CompletableFuture.allOf(detached.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "detaching container output took too long", e);
        }
        pump.close();
        for (ContainerRecord r : index.all()) {
            Run run;
            synchronized (r) {
                run = r.run;
            }
            if (run != null && run.log != null) {
                closeQuietly(run.log);
            }
            for (AttachedClient c : r.streams.clients()) {
                c.close();
            }
        }
        restarts.shutdownNow();
        lifecycle.shutdown();
        try {
            // an exit being handled or a removal under way finishes; new ones are left to the next engine
            if (!lifecycle.awaitTermination(10, TimeUnit.SECONDS)) {
                lifecycle.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ContainerRecord r : index.all()) {
            boolean locked;
            try {
                locked = r.op.tryLock(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                locked = false;
            }
            if (locked) {
                try {
                    PreparedStart ahead = takeAhead(r);
                    if (ahead != null) {
                        discardRun(r, ahead.run);
                    }
                } finally {
                    r.op.unlock();
                }
            }
        }
        mounts.shutdown();
        idle.close();
        janitor.shutdown();
        try {
            if (!janitor.awaitTermination(10, TimeUnit.SECONDS)) {
                janitor.shutdownNow(); // the next engine sweeps what is left
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clientWriters.shutdown();
    }

    /** For tests: waits until the removals handed to the janitor so far are finished. */
    void awaitJanitor() throws InterruptedException, ExecutionException {
        janitor.submit(() -> { }).get();
    }

    private void awaitLoaded() {
        idle.touch();
        try {
            loaded.get(LOAD_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EngineException.unavailable("interrupted while the containers are being loaded");
        } catch (TimeoutException e) {
            throw EngineException.unavailable("the containers are still being loaded; try again");
        } catch (ExecutionException e) {
            throw EngineException.system("loading the containers failed: " + e.getCause().getMessage(), e.getCause());
        }
        if (closed) {
            throw EngineException.unavailable("the container service is stopping");
        }
    }

    ContainerRecord lookup(String ref) {
        awaitLoaded();
        return index.lookup(ref);
    }

    // ============================================================================================================
    // Loading and recovery

    private void load() throws IOException {
        Path root = settings.containersRoot();
        Files.createDirectories(root);
        // one subdirectory per container in each: spread them over the filesystem (see SpreadDirectories)
        SpreadDirectories.mark(root);
        SpreadDirectories.mark(settings.bundleDir("x").getParent());
        SpreadDirectories.mark(settings.runtimeStateDir(settings.defaultRuntime(), "x").getParent());
        List<ContainerRecord> doomed = new ArrayList<>();
        /** Containers whose record is unreadable but durable: kept for the operator, and so is their layer. */
        java.util.Set<String> unreadable = new java.util.HashSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.startsWith(AtomicFiles.TEMP_PREFIX)) {
                    AtomicFiles.removeTree(dir); // a removal or write cut short by a crash
                    continue;
                }
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                if (!Files.exists(dir.resolve(ContainerFiles.CONFIG))) {
                    // A create cut short before its record was written (the client never got the ID), or the
                    // unflushed record of a --rm container lost to a power cut: nothing anyone can use.
                    if (keel.engine.core.internal.image.layer.Digests.isHex64(name)) {
                        LOG.log(Level.WARNING, "removing the directory of container {0}: it has no record", name);
                        AtomicFiles.removeTree(AtomicFiles.retire(dir, false));
                    }
                    continue;
                }
                ContainerRecord r;
                try {
                    StoredContainer s = ContainerFiles.readConfig(dir);
                    r = ContainerRecord.fromStored(s, ContainerFiles.readHostConfig(dir), dir,
                            new ContainerStreams(s.id(), clientWriters));
                } catch (IOException | RuntimeException e) {
                    HostConfig hc = ContainerFiles.readHostConfigIfWhole(dir);
                    if (hc == null || Boolean.TRUE.equals(hc.autoRemove())) {
                        // Only the records of a --rm container are written without flushes, and only a power cut
                        // tears them (durable records are flushed before they replace the old version).
                        LOG.log(Level.WARNING, "removing container {0}: its record was not written to disk before "
                                + "a crash, and it was to be removed anyway (--rm)", name);
                        AtomicFiles.removeTree(AtomicFiles.retire(dir, false));
                    } else {
                        LOG.log(Level.ERROR, "cannot read container " + name + "; it is ignored", e);
                        unreadable.add(name);
                    }
                    continue;
                }
                if (r.name == null || index.byName(r.name) != null) {
                    String fixed = index.reserveGenerated(r.id, names);
                    LOG.log(Level.WARNING, "container {0} had a name in use ({1}); renamed {2}", r.id, r.name, fixed);
                    r.name = fixed;
                }
                index.add(r);
                if (!r.running) {
                    markLeftAhead(r); // before a removal below can run
                }
                if (r.dead || (r.ephemeral() && !r.running)) {
                    // dead: a removal cut short. --rm and not running: dockerd's restore removes those too (their
                    // intermediate states were not flushed, so this is also what repairs them after a power cut).
                    doomed.add(r);
                }
            }
        }
        removeOrphanLayers(unreadable);
        ExecRootLeftovers found = ExecRootLeftovers.find(settings, index, unreadable);
        synchronized (leftoversLock) {
            leftovers = found;
        }
        // after the leftovers are listed: a removal may add the exec-root files of its container to them
        for (ContainerRecord r : doomed) {
            schedule(() -> {
                try {
                    removeInternal(r, true, r.id);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "cannot remove container " + r.id, e);
                }
            });
        }
        List<ContainerRecord> runningAtLoad = new ArrayList<>();
        for (ContainerRecord r : index.all()) {
            boolean running;
            synchronized (r) {
                running = r.running;
            }
            if (running) {
                prepareRecovery(r);
                runningAtLoad.add(r);
            } else if (restartsWithTheDaemon(r)) {
                synchronized (startupRestarts) {
                    startupRestarts.add(r);
                }
            }
        }
        // before any adoption: the endpoints of the others are released, drivers restore the kernel's side
        networking.restore(runningAtLoad);
        Files.createDirectories(settings.execRoot());
    }

    /**
     * Read-write layers whose container is gone: a create or removal cut short, or the record of a --rm container
     * lost to a power cut while its layer's record survived.
     */
    private void removeOrphanLayers(java.util.Set<String> keep) {
        java.util.Set<String> owners;
        try {
            owners = images.containerLayerOwners();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot list the containers' read-write layers: " + e.getMessage());
            return;
        }
        for (String id : owners) {
            if (index.byId(id) == null && !keep.contains(id)) {
                try {
                    images.removeContainerLayer(id);
                    LOG.log(Level.WARNING, "removed the read-write layer of container {0}, which does not exist", id);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "cannot remove the read-write layer of missing container " + id, e);
                }
            }
        }
    }

    /**
     * A container recorded as not running has nothing in the exec root: its runs' clean-up removed it. Something
     * there is what a start made ahead, or cut short, by a daemon that died (a runtime holding a process, a network
     * namespace, a bundle): removed before the container's next start, or soon after the daemon's.
     */
    private void markLeftAhead(ContainerRecord r) {
        String runtimeName = r.runtime == null ? settings.defaultRuntime() : r.runtime;
        if (Files.exists(settings.bundleDir(r.id)) || Files.exists(settings.netnsPath(r.id))
                || Files.exists(settings.runtimeStateDir(runtimeName, r.id))) {
            r.leftAhead = true;
        }
    }

    /** Docker's restore: a stopped container whose policy says so is started when the daemon starts. */
    private static boolean restartsWithTheDaemon(ContainerRecord r) {
        synchronized (r) {
            if (r.dead || r.startedAt == null) {
                return false;
            }
            return RestartPolicies.decide(r.hostConfig.restartPolicy(), r.exitCode, r.hasBeenManuallyStopped,
                    r.finishedAt == null ? null : java.time.Duration.between(r.startedAt, r.finishedAt),
                    r.restartCount, 0).restart();
        }
    }

    /** A container recorded as running: its run is rebuilt from disk, to be adopted when its runtime is here. */
    private void prepareRecovery(ContainerRecord r) {
        String runtimeName;
        long generation;
        synchronized (r) {
            runtimeName = r.runtime == null ? settings.defaultRuntime() : r.runtime;
            generation = r.runGeneration;
        }
        Run run = new Run(generation, runtimeName, settings.runtimeStateDir(runtimeName, r.id), newOutput(r));
        run.mountId = Optional.ofNullable(safeLayer(r.id)).map(Images.ContainerLayer::mountId).orElse(null);
        run.netns = ContainerNetworking.isHost(r.hostConfig.networkMode()) ? null : settings.netnsPath(r.id);
        synchronized (r) {
            r.run = run;
        }
    }

    private Images.ContainerLayer safeLayer(String id) {
        try {
            return images.containerLayer(id);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Continues recoveries that waited for a driver: opens the log of a recovered run (its output can be read from
     * then on), and has the runtime adopt it once its log is open.
     */
    synchronized void recoverPending() {
        if (!loaded.isDone() || closed) {
            return;
        }
        ExecRootLeftovers left;
        synchronized (leftoversLock) {
            left = leftovers;
        }
        if (!left.isEmpty()) {
            left.sweep(runtimes, sandboxes.get());
        }
        for (ContainerRecord r : index.all()) {
            if (r.leftAhead) {
                schedule(() -> {
                    r.op.lock();
                    try {
                        removeLeftAhead(r);
                    } finally {
                        r.op.unlock();
                    }
                });
            }
        }
        List<ContainerRecord> due = new ArrayList<>();
        synchronized (startupRestarts) {
            for (java.util.Iterator<ContainerRecord> it = startupRestarts.iterator(); it.hasNext();) {
                ContainerRecord r = it.next();
                String rt = r.runtime == null ? settings.defaultRuntime() : r.runtime;
                if (runtimes.get(rt) != null && logDriver(logConfig(r).type()) != null) {
                    it.remove();
                    due.add(r);
                }
            }
        }
        for (ContainerRecord r : due) {
            schedule(() -> {
                try {
                    startInternal(r, false);
                } catch (EngineException e) {
                    LOG.log(Level.WARNING, "cannot start container " + r.id + " (restart policy): " + e.getMessage());
                }
            });
        }
        for (ContainerRecord r : index.all()) {
            r.op.lock();
            try {
                Run run;
                synchronized (r) {
                    run = r.run;
                }
                if (run == null || run.process != null || run.exiting) {
                    continue;
                }
                if (run.log == null && !openRecoveredLog(r, run)) {
                    continue;
                }
                ContainerRuntime rt = runtimes.get(run.runtimeName);
                if (rt == null) {
                    continue;
                }
                adopt(r, run, rt);
            } finally {
                r.op.unlock();
            }
        }
    }

    private boolean openRecoveredLog(ContainerRecord r, Run run) {
        LogConfig lc = logConfig(r);
        LogDriver d = logDriver(lc.type());
        if (d == null) {
            return false;
        }
        try {
            run.log = d.open(logContext(r, lc));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "cannot open the log of container " + r.id + "; its output stays in its spools", e);
            return false;
        }
        r.streams.setLog(run.log);
        r.streams.setWake(() -> pump.wake(run.output));
        pump.register(run.output);
        return true;
    }

    private void adopt(ContainerRecord r, Run run, ContainerRuntime rt) {
        run.runtime = rt;
        Optional<RunningContainer> found;
        try {
            found = rt.adopt(r.id, run.stateDir);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "runtime " + run.runtimeName + " could not look for container " + r.id, e);
            found = Optional.empty();
        }
        if (found.isPresent()) {
            RunningContainer proc = found.get();
            run.process = proc;
            run.spec = readBundleSpec(r.id);
            synchronized (r) {
                r.pid = proc.pid();
            }
            r.streams.started(proc.stdin());
            watchExit(r, run);
            LOG.log(Level.INFO, "container {0} adopted (pid {1})", r.id, proc.pid());
            return;
        }
        String why = "the container exited while the daemon was not running; its exit code is not known";
        synchronized (recoveryNotes) {
            recoveryNotes.add("container " + r.id.substring(0, 12) + ": " + why);
        }
        run.process = GONE;
        schedule(() -> handleExit(r, run, ExitStatus.unknown(why)));
    }

    /** Stands for the process of a recovered run that was found gone. */
    private static final RunningContainer GONE = new RunningContainer() {
        @Override
        public String id() {
            return "";
        }

        @Override
        public long pid() {
            return 0;
        }

        @Override
        public CompletionStage<ExitStatus> exit() {
            return new CompletableFuture<>();
        }

        @Override
        public void signal(int signal) throws IOException {
            throw new IOException("the container's process is gone");
        }

        @Override
        public OutputStream stdin() {
            return null;
        }

        @Override
        public void resize(int height, int width) {}

        @Override
        public void pause() throws IOException {
            throw new IOException("the container's process is gone");
        }

        @Override
        public void resume() throws IOException {
            throw new IOException("the container's process is gone");
        }

        @Override
        public List<Long> pids() {
            return List.of();
        }

        @Override
        public keel.engine.api.runtime.ExecProcess exec(keel.engine.api.runtime.ExecLaunch launch) throws IOException {
            throw new IOException("the container's process is gone");
        }
    };

    private Spec readBundleSpec(String id) {
        try {
            return OciSpecJson.read(Files.readAllBytes(settings.bundleDir(id).resolve("config.json")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    // ============================================================================================================
    // Create

    @Override
    public CreateResult create(String name, CreateRequest request) {
        awaitLoaded();
        ContainerConfig requested = request == null ? null : request.config();
        if (requested == null) {
            throw EngineException.invalid("Config cannot be empty in order to create a container");
        }
        HostConfig hc = request.hostConfig() == null ? HostConfig.EMPTY : request.hostConfig();
        List<String> warnings = new ArrayList<>();
        checkConfig(requested);
        warnings.addAll(specs.validate(requested, hc));

        String networkMode = ContainerNetworking.normalize(hc.networkMode());
        String runtimeName = hc.runtime() == null || hc.runtime().isEmpty() ? settings.defaultRuntime() : hc.runtime();
        if (!runtimeName.equals(settings.defaultRuntime()) && runtimes.get(runtimeName) == null) {
            throw EngineException.invalid("Unknown runtime specified " + runtimeName);
        }
        if (requested.image() == null || requested.image().isEmpty()) {
            throw EngineException.invalid("no image specified: Keel creates containers from images only");
        }
        Images.LocalImage image = images.resolve(requested.image());
        ContainerConfig merged = ImageConfigMerge.merge(requested, image.config().containerConfig());
        Map<String, keel.engine.api.container.EndpointSettings> networks = networking.plan(name, merged, hc,
                request.networkingConfig());
        LogConfig logConfig = LogConfigs.resolve(hc.logConfig(), settings, logDrivers);
        HostConfig.RestartPolicy restart = hc.restartPolicy() == null || hc.restartPolicy().name() == null
                || hc.restartPolicy().name().isEmpty() ? new HostConfig.RestartPolicy("no", 0) : hc.restartPolicy();
        HostConfig stored = withCreateDefaults(hc, logConfig, networkMode, runtimeName, restart);

        String id = newId();
        String full = name == null || name.isEmpty() ? index.reserveGenerated(id, names) : index.reserve(name, id);
        if (merged.hostname() == null || merged.hostname().isEmpty()) {
            merged = merged.toBuilder().hostname(specs.defaultHostname(id, merged, stored)).build();
        }
        String[] cmd = ContainerRecord.entrypointAndArgs(merged);
        ContainerRecord r = new ContainerRecord(id, clock.instant(), settings.containerDir(id),
                new ContainerStreams(id, clientWriters));
        r.name = full;
        r.path = cmd[0];
        r.args = List.of(cmd).subList(1, cmd.length);
        r.config = merged;
        r.hostConfig = stored;
        r.networks = networks;
        r.imageId = image.id();
        r.runtime = runtimeName;
        r.driver = storage.driverName();

        images.pin(image.id(), id);
        boolean layerMade = false;
        try {
            images.createContainerLayer(id, image.id(), r.ephemeral());
            layerMade = true;
            Files.createDirectories(r.dir);
            // Docker's 0710: the container's output and log are not for other users of the host
            Files.setPosixFilePermissions(r.dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x---"));
            ContainerFiles.writeHostConfig(r);
            ContainerFiles.write(r);
            index.add(r);
        } catch (IOException | RuntimeException e) {
            index.release(full, id);
            if (layerMade) {
                try {
                    images.removeContainerLayer(id);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            try {
                AtomicFiles.removeTree(r.dir);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof EngineException ee) {
                throw ee;
            }
            throw EngineException.system("creating container " + id + " failed: " + e.getMessage(), e);
        } finally {
            images.unpin(image.id(), id);
        }
        prepareLater(r);
        return new CreateResult(id, warnings);
    }

    /** Docker's validateContainerConfig: the stop signal must parse, every Env entry needs a name. */
    private static void checkConfig(ContainerConfig c) {
        if (c.stopSignal() != null && !c.stopSignal().isEmpty()) {
            SignalNames.parse(c.stopSignal());
        }
        if (c.env() != null) {
            for (String e : c.env()) {
                if (e.isEmpty() || e.startsWith("=")) {
                    throw EngineException.invalid("invalid environment variable: " + e);
                }
            }
        }
        if (c.workingDir() != null && !c.workingDir().isEmpty() && !c.workingDir().startsWith("/")) {
            throw EngineException.invalid("the working directory '" + c.workingDir() + "' is invalid, it needs to "
                    + "be an absolute path");
        }
    }

    private static HostConfig withCreateDefaults(HostConfig h, LogConfig log, String networkMode, String runtime,
            HostConfig.RestartPolicy restart) {
        return new HostConfig(h.binds(), h.containerIDFile(), log, networkMode, h.portBindings(), restart,
                h.autoRemove(), h.volumeDriver(), h.volumesFrom(), h.consoleSize(), h.capAdd(), h.capDrop(),
                h.cgroupnsMode(), h.dns(), h.dnsOptions(), h.dnsSearch(), h.extraHosts(), h.groupAdd(), h.ipcMode(),
                h.cgroup(), h.links(), h.oomScoreAdj(), h.pidMode(), h.privileged(), h.publishAllPorts(),
                h.readonlyRootfs(), h.securityOpt(), h.storageOpt(), h.tmpfs(), h.utsMode(), h.usernsMode(),
                h.shmSize(), h.sysctls(), runtime, h.isolation(), h.cpuShares(), h.memory(), h.nanoCpus(),
                h.cgroupParent(), h.cpuPeriod(), h.cpuQuota(), h.cpusetCpus(), h.cpusetMems(), h.devices(),
                h.memoryReservation(), h.memorySwap(), h.memorySwappiness(), h.oomKillDisable(), h.pidsLimit(),
                h.ulimits(), h.mounts(), h.maskedPaths(), h.readonlyPaths(), h.init());
    }

    /** 64 random hex digits whose 12-digit short form is not a number (Docker's stringid rule). */
    private String newId() {
        while (true) {
            String id = AtomicFiles.randomHex();
            if (id.substring(0, 12).chars().allMatch(Character::isDigit) || index.hasId(id)) {
                continue;
            }
            return id;
        }
    }

    // ============================================================================================================
    // Start

    @Override
    public void start(String ref) {
        ContainerRecord r = lookup(ref);
        startInternal(r, false);
    }

    /** Starts a container; {@code byPolicy} when its restart policy does (it is "restarting", not stopped). */
    void startInternal(ContainerRecord r, boolean byPolicy) {
        EngineException failure = null;
        boolean autoRemove = false;
        r.op.lock();
        try {
            synchronized (r) {
                if (r.paused) {
                    throw EngineException.conflict("cannot start a paused container, try unpause instead");
                }
                if (r.running && !(byPolicy && r.restarting && r.run == null)) {
                    throw new EngineException(EngineException.Kind.NOT_MODIFIED, "container is already running");
                }
                if (r.removalInProgress || r.dead) {
                    throw EngineException.conflict("container is marked for removal and cannot be started");
                }
                if (!byPolicy) {
                    // a start by the user resets the restart manager, as Docker's does
                    r.exitOnNext = false;
                    r.restartDelayMillis = 0;
                }
            }
            String runtimeName = r.runtime == null ? settings.defaultRuntime() : r.runtime;
            ContainerRuntime runtime = runtimes.get(runtimeName);
            if (runtime == null) {
                throw EngineException.unavailable("runtime " + runtimeName + " is not available: no container "
                        + "runtime of that name is registered");
            }
            LogConfig lc = logConfig(r);
            LogDriver driver = logDriver(lc.type());
            if (driver == null) {
                throw EngineException.unavailable("failed to create logger: logger: no log driver named '"
                        + lc.type() + "' is registered");
            }
            long generation;
            synchronized (r) {
                generation = r.runGeneration + 1;
            }
            PreparedStart ahead = takeAhead(r);
            if (ahead != null) {
                boolean fits;
                synchronized (r) {
                    fits = ahead.fits(r, runtime);
                }
                if (!fits) {
                    discardRun(r, ahead.run);
                    ahead = null;
                }
            }
            removeLeftAhead(r);
            Run run = ahead != null ? ahead.run
                    : new Run(generation, runtimeName, settings.runtimeStateDir(runtimeName, r.id), newOutput(r));
            try {
                launch(r, run, runtime, driver, lc, ahead);
            } catch (IOException | RuntimeException e) {
                undo(r, run);
                StartErrors why = StartErrors.classify(e);
                r.setStartFailed(why.exitCode(), why.error().getMessage());
                persist(r);
                synchronized (r) {
                    autoRemove = Boolean.TRUE.equals(r.hostConfig.autoRemove());
                }
                failure = why.error();
            }
        } finally {
            r.op.unlock();
        }
        if (failure != null) {
            if (autoRemove) {
                try {
                    removeInternal(r, true, r.id);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "cannot remove container " + r.id + " after its failed start", e);
                }
            }
            throw failure;
        }
    }

    private void launch(ContainerRecord r, Run run, ContainerRuntime runtime, LogDriver driver, LogConfig lc,
            PreparedStart ahead) throws IOException {
        ContainerConfig config;
        HostConfig hc;
        String name;
        Map<String, keel.engine.api.container.EndpointSettings> recorded;
        synchronized (r) {
            config = r.config;
            hc = r.hostConfig;
            name = r.name;
            recorded = new LinkedHashMap<>(r.networks);
        }
        keel.engine.core.internal.network.ContainerNetworks.Attached net;
        ContainerSpecs.EtcPaths etc;
        Path bundle = null;
        if (ahead != null) {
            // Made ahead: the networks are joined in the namespace the process already waits in.
            net = networking.setUp(r.id, name, config, hc, recorded, ahead.network);
            run.sandbox = net.sandbox();
            etc = ahead.etc;
            specs.rewriteNetworkFiles(config, hc, r.dir, net.etc());
        } else {
            ContainerLayer layer = layerOf(r);
            net = mountBeside(run, layer, () -> networking.setUp(r.id, name, config, hc, recorded, null));
            run.netns = net.netns();
            run.sandbox = net.sandbox();
            etc = net.sharedFilesDir() != null ? ContainerSpecs.EtcPaths.in(net.sharedFilesDir())
                    : specs.writeEtcFiles(config, hc, r.dir, net.etc());
            bundle = writeBundle(r, run, config, hc, net.sharedFilesDir());
        }
        run.log = driver.open(logContext(r, lc));
        r.streams.setLog(run.log);
        // Set first: a start that fails may leave cgroups or state behind, and delete is safe for any id.
        run.runtime = runtime;
        RunningContainer proc = ahead != null ? ahead.run.created.start()
                : runtime.start(new ContainerLaunch(r.id, bundle, run.stateDir, stdio(r, config, hc), run.spec));
        run.process = proc;

        Path logPath = run.log.path();
        synchronized (r) {
            r.run = run;
            r.runGeneration = run.generation;
            r.setRunning(proc.pid(), clock.instant());
            r.hasBeenManuallyStopped = false;
            r.logPath = logPath == null ? "" : logPath.toString();
            r.hostnamePath = etc.hostname() == null ? "" : etc.hostname().toString();
            r.hostsPath = etc.hosts() == null ? "" : etc.hosts().toString();
            r.resolvConfPath = etc.resolvConf() == null ? "" : etc.resolvConf().toString();
            r.networks = new LinkedHashMap<>(net.networks());
            r.sandboxId = net.sandboxId();
            r.sandboxKey = run.netns == null ? "" : run.netns.toString();
        }
        persist(r);
        r.streams.setWake(() -> pump.wake(run.output));
        r.streams.started(proc.stdin());
        pump.register(run.output);
        watchExit(r, run);
    }

    private ContainerLayer layerOf(ContainerRecord r) {
        Images.ContainerLayer layer = images.containerLayer(r.id);
        if (layer == null) {
            throw EngineException.system("the read-write layer of container " + r.id + " is missing", null);
        }
        return new ContainerLayer(layer.mountId(), storage.store());
    }

    private record ContainerLayer(String mountId, LayerStore store) {}

    /**
     * Mounts the container's root filesystem while {@code network} runs: the two do not depend on each other.
     * Whatever happens, the run then records the mount, for the clean-up to undo.
     */
    private <T> T mountBeside(Run run, ContainerLayer layer, IoTask<T> network) throws IOException {
        run.mountId = layer.mountId();
        CompletableFuture<Path> mounting = beside(() -> layer.store().mount(layer.mountId()));
        try {
            return network.call();
        } finally {
            run.rootfs = joinBeside(mounting); // a failed start then finds it mounted, to unmount
            run.mounted = true;
        }
    }

    /**
     * The spec and the OCI bundle of a start; also the runtime's state directory and fresh output spools.
     *
     * @param sharedFilesDir another container's /etc files ({@code --network container:<x>}), or null
     */
    private Path writeBundle(ContainerRecord r, Run run, ContainerConfig config, HostConfig hc, Path sharedFilesDir)
            throws IOException {
        buildSpec(r, run, config, hc, sharedFilesDir);
        Path bundle = writeConfigJson(r, run);
        makeRunFiles(r, run);
        return bundle;
    }

    private void buildSpec(ContainerRecord r, Run run, ContainerConfig config, HostConfig hc, Path sharedFilesDir)
            throws IOException {
        String parent = hc.cgroupParent() == null || hc.cgroupParent().isEmpty() ? settings.cgroupParent()
                : hc.cgroupParent();
        run.spec = specs.build(new SpecRequest(r.id, config, hc, run.rootfs, r.dir,
                run.netns == null ? SpecRequest.NetworkNamespace.host() : SpecRequest.NetworkNamespace.at(run.netns),
                Boolean.TRUE.equals(hc.init()) ? settings.initPath() : null,
                (parent.endsWith("/") ? parent : parent + "/") + r.id, List.of()), sharedFilesDir);
    }

    /** The bundle's config.json, from the run's spec; returns the bundle. */
    private Path writeConfigJson(ContainerRecord r, Run run) throws IOException {
        Path bundle = settings.bundleDir(r.id);
        Files.createDirectories(bundle);
        // The bundle is made anew at every start: atomic, but not worth an fsync.
        AtomicFiles.writeEphemeral(bundle.resolve("config.json"), OciSpecJson.write(run.spec));
        return bundle;
    }

    /** The runtime's state directory and fresh output spools (before the runtime opens them). */
    private void makeRunFiles(ContainerRecord r, Run run) throws IOException {
        SpreadDirectories.mark(run.stateDir.getParent()); // once per runtime
        Files.createDirectories(run.stateDir);
        ContainerOutput.resetSpools(r.dir.resolve(STDOUT_SPOOL), r.dir.resolve(STDERR_SPOOL),
                r.dir.resolve(SPOOL_OFFSETS));
    }

    interface IoTask<T> {
        T call() throws IOException;
    }

    /** Runs {@code task} on the small pool beside the caller, or in the caller when the pool is busy. */
    private <T> CompletableFuture<T> beside(IoTask<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable run = () -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        };
        try {
            mounts.execute(run);
        } catch (java.util.concurrent.RejectedExecutionException busy) {
            run.run();
        }
        return f;
    }

    /** How the process's standard streams are connected: the spools (or a terminal), stdin when asked. */
    private static Stdio stdio(ContainerRecord r, ContainerConfig config, HostConfig hc) {
        boolean tty = Boolean.TRUE.equals(config.tty());
        int height = 0;
        int width = 0;
        if (hc.consoleSize() != null && hc.consoleSize().size() == 2) {
            height = hc.consoleSize().get(0);
            width = hc.consoleSize().get(1);
        }
        return new Stdio(tty, Boolean.TRUE.equals(config.openStdin()), r.dir.resolve(STDOUT_SPOOL),
                r.dir.resolve(STDERR_SPOOL), height, width);
    }

    // ============================================================================================================
    // The first start, made ahead (see PreparedStart)

    /**
     * At most this many starts made ahead at once: each holds a process, two threads and a mount until its start,
     * and a burst of creates without starts (a script, compose creating before starting) must not pile them up.
     */
    static final int MAX_PREPARED = 32;

    /** Starts made ahead that are held now (made, not yet taken or thrown away). */
    private final AtomicInteger preparedCount = new AtomicInteger();

    /** After a create: makes its first start ahead on the lifecycle pool, unless a start comes first. */
    private void prepareLater(ContainerRecord r) {
        if (settings.prepareAheadMillis() > 0 && preparedCount.get() < MAX_PREPARED) {
            schedule(() -> prepareAhead(r));
        }
    }

    private void prepareAhead(ContainerRecord r) {
        if (!r.op.tryLock()) {
            return; // something is being done to the container already (most likely its start)
        }
        Run run = null;
        try {
            ContainerConfig config;
            HostConfig hc;
            String name;
            Map<String, keel.engine.api.container.EndpointSettings> recorded;
            long generation;
            synchronized (r) {
                if (closed || r.prepared != null || r.leftAhead || r.run != null || r.running || r.startedAt != null
                        || r.removalInProgress || r.removed || r.dead) {
                    return;
                }
                config = r.config;
                hc = r.hostConfig;
                name = r.name;
                recorded = new LinkedHashMap<>(r.networks);
                generation = r.runGeneration + 1;
            }
            if (ContainerNetworking.normalize(hc.networkMode()).startsWith("container:")) {
                return; // its namespace is the other container's at the time of the start
            }
            if (hc.sysctls() != null && !hc.sysctls().isEmpty()) {
                return; // written as the process is created: net.*.conf.default.* must see the start's interfaces
            }
            String runtimeName = r.runtime == null ? settings.defaultRuntime() : r.runtime;
            ContainerRuntime runtime = runtimes.get(runtimeName);
            if (runtime == null) {
                return; // the start reports it
            }
            Run made = new Run(generation, runtimeName, settings.runtimeStateDir(runtimeName, r.id), newOutput(r));
            run = made;
            // Side by side: the rootfs mount and the namespace on the pool, the /etc files (no addresses until the
            // start joins the networks) here.
            ContainerLayer layer = layerOf(r);
            made.mountId = layer.mountId();
            CompletableFuture<Path> mounting = beside(() -> layer.store().mount(layer.mountId()));
            CompletableFuture<keel.engine.core.internal.network.ContainerNetworks.Ahead> sandbox = beside(
                    () -> networking.prepare(r.id, config, hc));
            ContainerSpecs.EtcPaths etc;
            keel.engine.core.internal.network.ContainerNetworks.Ahead network;
            try {
                etc = specs.writeEtcFiles(config, hc, r.dir, networking.etcView(r.id, hc));
            } finally {
                // both joined whatever happens, so that the clean-up finds what they made
                try {
                    made.rootfs = joinBeside(mounting);
                    made.mounted = true;
                } finally {
                    network = joinBeside(sandbox);
                }
            }
            if (network == null) {
                return; // no sandbox factory yet: the start says so (the finally cleans up)
            }
            made.netns = network.netns();
            made.sandbox = network.sandbox();
            buildSpec(r, made, config, hc, null);
            // config.json is for the record (the runtime is handed the spec): written while the runtime works
            CompletableFuture<Path> bundle = beside(() -> writeConfigJson(r, made));
            try {
                makeRunFiles(r, made);
                made.runtime = runtime;
                made.created = runtime.create(new ContainerLaunch(r.id, settings.bundleDir(r.id), made.stateDir,
                        stdio(r, config, hc), made.spec));
            } finally {
                joinBeside(bundle); // before any clean-up removes the bundle
            }
            PreparedStart p = new PreparedStart(made, network, etc, name, config, hc, recorded);
            if (preparedCount.incrementAndGet() > MAX_PREPARED) {
                preparedCount.decrementAndGet();
                return; // a burst got there first (the finally throws this one away)
            }
            r.prepared = p;
            run = null;
            if (closed) {
                takeAhead(r); // close() may have passed this container already
                discardRun(r, p.run);
                return;
            }
            try {
                p.expiry = restarts.schedule(() -> schedule(() -> expire(r, p)), settings.prepareAheadMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // close() throws it away
            }
        } catch (IOException | RuntimeException e) {
            // The start does it all again, and reports the failure where Docker does.
            LOG.log(Level.DEBUG, "the start of container " + r.id + " could not be made ahead: " + e);
        } finally {
            if (run != null) {
                discardRun(r, run);
            }
            r.op.unlock();
        }
    }

    private void expire(ContainerRecord r, PreparedStart p) {
        r.op.lock();
        try {
            if (r.prepared == p) {
                takeAhead(r);
                discardRun(r, p.run);
            }
        } finally {
            r.op.unlock();
        }
    }

    /** Takes the start made ahead away from the container (under its op lock), to use or throw away. */
    private PreparedStart takeAhead(ContainerRecord r) {
        PreparedStart p = r.prepared;
        r.prepared = null;
        if (p != null) {
            preparedCount.decrementAndGet();
            if (p.expiry != null) {
                p.expiry.cancel(false);
            }
        }
        return p;
    }

    /** Undoes a run that never started: the held process, the namespace, bundle and mount. */
    private void discardRun(ContainerRecord r, Run run) {
        if (run.created != null) {
            run.created.discard();
        }
        cleanUp(r, run, false);
    }

    /**
     * A daemon that died left runtime state, a network namespace or a bundle for this container, which is not
     * running (see {@link ContainerRecord#leftAhead}): removed before the container starts again. Under its op
     * lock.
     */
    private void removeLeftAhead(ContainerRecord r) {
        if (!r.leftAhead) {
            return;
        }
        String runtimeName = r.runtime == null ? settings.defaultRuntime() : r.runtime;
        Run run = new Run(0, runtimeName, settings.runtimeStateDir(runtimeName, r.id), null);
        run.runtime = runtimes.get(runtimeName);
        if (run.runtime == null) {
            // the sweep does it when the runtime comes (the container may be gone from the index by then)
            synchronized (leftoversLock) {
                if (leftovers.isNone()) {
                    leftovers = ExecRootLeftovers.empty();
                }
                leftovers.add(runtimeName, r.id, settings.bundleDir(r.id), settings.netnsPath(r.id), run.stateDir);
            }
            r.leftAhead = false;
            return;
        }
        cleanUp(r, run, false);
        // kept for the next try when something stayed (a driver missing, a busy cgroup)
        r.leftAhead = Files.exists(settings.bundleDir(r.id)) || Files.exists(settings.netnsPath(r.id))
                || Files.exists(run.stateDir);
    }

    /**
     * What a task beside the caller made, waiting for it (not cut short by an interrupt: whatever the task makes,
     * the caller's clean-up must find); its failure as it was thrown.
     */
    private static <T> T joinBeside(CompletableFuture<T> task) throws IOException {
        try {
            return task.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    /** Undoes a start that failed before the process ran. */
    private void undo(ContainerRecord r, Run run) {
        r.streams.setLog(null);
        if (run.log != null) {
            closeQuietly(run.log);
        }
        if (run.created != null) {
            run.created.discard(); // nothing if it was started
        }
        cleanUp(r, run);
    }

    private ContainerOutput newOutput(ContainerRecord r) {
        return new ContainerOutput(r.id, r.dir.resolve(STDOUT_SPOOL), r.dir.resolve(STDERR_SPOOL),
                r.dir.resolve(SPOOL_OFFSETS), Boolean.TRUE.equals(r.config.tty()), r.streams);
    }

    // ============================================================================================================
    // Exit

    private void watchExit(ContainerRecord r, Run run) {
        run.process.exit().whenComplete((status, error) -> {
            ExitStatus s = status != null ? status
                    : ExitStatus.unknown("the runtime lost track of the container: " + error);
            schedule(() -> handleExit(r, run, s)); // once closed, the next engine adopts or finds it exited
        });
    }

    /**
     * The run's process exited: drain its output (so that a client sees all of it before the exit), then undo what
     * the start made, record the exit, wake the waiters, and remove the container when it asked for that.
     */
    void handleExit(ContainerRecord r, Run run, ExitStatus status) {
        synchronized (r) {
            if (r.run != run || run.exiting) {
                return;
            }
            run.exiting = true;
        }
        try {
            pump.finish(run.output).get(DRAIN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "the output of container " + r.id + " was not drained in time", e);
        }
        if (closed) {
            return;
        }
        r.op.lock();
        try {
            synchronized (r) {
                if (r.run != run) {
                    return;
                }
            }
            r.streams.stopped();
            r.streams.setLog(null);
            if (run.log != null) {
                closeQuietly(run.log);
            }
            r.streams.endClients();
            RestartPolicies.Decision restart;
            boolean autoRemove;
            Instant now = clock.instant();
            synchronized (r) {
                restart = RestartPolicies.decide(r.hostConfig.restartPolicy(), status.exitCode(),
                        r.hasBeenManuallyStopped, r.startedAt == null ? null : java.time.Duration.between(
                                r.startedAt, now), r.restartCount, r.restartDelayMillis);
                if (!restart.restart() || r.exitOnNext || r.manualRestart) {
                    restart = new RestartPolicies.Decision(false, restart.delayMillis());
                }
                autoRemove = !restart.restart() && Boolean.TRUE.equals(r.hostConfig.autoRemove())
                        && !r.manualRestart;
            }
            if (!autoRemove) {
                // The run's rootfs is unmounted (which flushes the container's writes) before its exit is
                // recorded, as the next start of the same container mounts it again.
                cleanUp(r, run);
            }
            execs.containerStopped(r);
            synchronized (r) {
                r.run = null;
                r.restartDelayMillis = restart.delayMillis();
                if (restart.restart()) {
                    r.restartCount++;
                    r.setRestarting(status.exitCode(), status.oomKilled(), now);
                } else {
                    r.setStopped(status.exitCode(), status.oomKilled(), status.error(), now);
                }
                r.manualRestart = false;
            }
            if (autoRemove) {
                // No record of the exit: the removal follows at once, and a crash before it is done removes the
                // container at the next start (AutoRemove). The run's clean-up goes with the removal, after it.
                r.notifyStopped();
                try {
                    removeInternal(r, false, r.id, run);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "cannot remove container " + r.id + " (AutoRemove)", e);
                }
                return;
            }
            persist(r);
            r.notifyStopped();
            if (restart.restart()) {
                scheduleRestart(r, restart.delayMillis());
            }
        } finally {
            r.op.unlock();
        }
    }

    /** Starts a container again after the restart policy's delay. */
    private void scheduleRestart(ContainerRecord r, long delayMillis) {
        try {
            java.util.concurrent.Future<?> f = restarts.schedule(() -> schedule(() -> restartByPolicy(r)),
                    delayMillis, TimeUnit.MILLISECONDS);
            synchronized (r) {
                r.pendingRestart = f;
            }
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the next engine starts it (its policy is looked at when containers are loaded)
        }
    }

    private void restartByPolicy(ContainerRecord r) {
        synchronized (r) {
            r.pendingRestart = null;
            if (!r.restarting || r.exitOnNext || r.removed) {
                return;
            }
        }
        try {
            startInternal(r, true);
        } catch (EngineException e) {
            LOG.log(Level.WARNING, "the restart policy could not start container " + r.id + ": " + e.getMessage());
            synchronized (r) {
                if (r.restarting && r.run == null) {
                    r.setStopped(r.exitCode, r.oomKilled, e.getMessage(), clock.instant());
                }
            }
            persist(r);
            r.notifyStopped();
        }
    }

    /** The user stops a container the restart policy is about to start: it stays stopped. */
    private boolean cancelRestart(ContainerRecord r) {
        java.util.concurrent.Future<?> pending;
        synchronized (r) {
            if (!r.restarting || r.run != null) {
                return false;
            }
            r.exitOnNext = true;
            pending = r.pendingRestart;
            r.pendingRestart = null;
            r.setStopped(r.exitCode, r.oomKilled, null, r.finishedAt == null ? clock.instant() : r.finishedAt);
        }
        if (pending != null) {
            pending.cancel(false);
        }
        persist(r);
        r.notifyStopped();
        return true;
    }

    /** Releases what a run holds: runtime state, network, bundle, the rootfs mount. Each step is best effort. */
    private void cleanUp(ContainerRecord r, Run run) {
        cleanUp(r, run, true);
    }

    /** @param record whether the record's networks follow (false for a run that never started: they stay as planned) */
    private void cleanUp(ContainerRecord r, Run run, boolean record) {
        if (run.runtime != null) {
            try {
                run.runtime.delete(r.id, run.stateDir);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "runtime " + run.runtimeName + " could not delete container " + r.id, e);
            }
        }
        Map<String, keel.engine.api.container.EndpointSettings> nets;
        synchronized (r) {
            nets = new LinkedHashMap<>(r.networks);
        }
        Map<String, keel.engine.api.container.EndpointSettings> left = networking.tearDown(r.id, nets);
        if (record) {
            synchronized (r) {
                r.networks = left; // Docker keeps the networks, without the run's endpoints and addresses
                r.sandboxId = "";
                r.sandboxKey = "";
            }
        }
        try {
            AtomicFiles.removeTree(settings.bundleDir(r.id));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove the bundle of container " + r.id, e);
        }
        if (run.mountId != null) {
            try {
                storage.store().unmount(run.mountId);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot unmount the root filesystem of container " + r.id, e);
            }
        }
    }

    void persist(ContainerRecord r) {
        synchronized (r.disk) {
            synchronized (r) {
                if (r.removed) {
                    return;
                }
            }
            if (!Files.isDirectory(r.dir)) {
                return; // being removed: writing would make the directory again
            }
            try {
                ContainerFiles.write(r);
            } catch (NoSuchFileException gone) {
                // removed meanwhile
            } catch (IOException e) {
                LOG.log(Level.ERROR, "cannot save the state of container " + r.id, e);
            }
        }
    }

    // ============================================================================================================
    // Stop, kill, restart, wait

    @Override
    public void stop(String ref, Integer timeoutSeconds, String signal) {
        ContainerRecord r = lookup(ref);
        if (!r.isRunning()) {
            throw new EngineException(EngineException.Kind.NOT_MODIFIED, "container is already stopped");
        }
        int sig = signal == null || signal.isEmpty() ? SignalNames.stopSignal(r.config.stopSignal())
                : SignalNames.parse(signal);
        try {
            stopInternal(r, sig, stopTimeout(r, timeoutSeconds));
        } catch (EngineException e) {
            throw new EngineException(e.kind() == EngineException.Kind.NOT_FOUND ? EngineException.Kind.SYSTEM
                    : e.kind(), "cannot stop container: " + ref + ": " + e.getMessage(), e);
        }
    }

    private int stopTimeout(ContainerRecord r, Integer requested) {
        if (requested != null) {
            return requested;
        }
        Integer own = r.config.stopTimeout();
        return own != null ? own : DEFAULT_STOP_TIMEOUT;
    }

    /** Docker's containerStop: the signal, the grace period (negative: forever), then SIGKILL. */
    void stopInternal(ContainerRecord r, int signal, int timeoutSeconds) {
        synchronized (r) {
            r.hasBeenManuallyStopped = true;
            r.exitOnNext = true;
        }
        if (cancelRestart(r)) {
            return;
        }
        CompletableFuture<WaitResult> stopped = r.await(WaitCondition.NOT_RUNNING);
        boolean sent = true;
        try {
            sendSignal(r, signal);
        } catch (EngineException e) {
            if (e.kind() == EngineException.Kind.CONFLICT) {
                return; // it stopped meanwhile
            }
            sent = false;
            LOG.log(Level.WARNING, "sending signal " + signal + " to container " + r.id + " failed", e);
        }
        long wait = sent ? timeoutSeconds : 2;
        if (timeoutSeconds < 0 && sent) {
            stopped.join();
            return;
        }
        if (waitFor(stopped, TimeUnit.SECONDS.toMillis(wait))) {
            return;
        }
        LOG.log(Level.INFO, "container {0} did not exit within {1}s of signal {2}: killing it", r.id, wait, signal);
        killAndWait(r);
    }

    /** SIGKILL, and wait (bounded) until the exit has been handled. */
    void killAndWait(ContainerRecord r) {
        CompletableFuture<WaitResult> stopped = r.await(WaitCondition.NOT_RUNNING);
        try {
            sendSignal(r, SignalNames.SIGKILL);
        } catch (EngineException e) {
            if (e.kind() == EngineException.Kind.CONFLICT) {
                return;
            }
            throw e;
        }
        if (!waitFor(stopped, TimeUnit.SECONDS.toMillis(10))) {
            throw EngineException.system("tried to kill container, but did not receive an exit event", null);
        }
    }

    private static boolean waitFor(CompletableFuture<WaitResult> f, long millis) {
        try {
            f.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /**
     * Sends a signal to the run's first process. A paused container is resumed after a SIGKILL or its stop signal,
     * as Docker does, so that the signal takes effect.
     */
    void sendSignal(ContainerRecord r, int signal) {
        RunningContainer proc;
        boolean paused;
        String runtimeName;
        synchronized (r) {
            if (!r.running) {
                throw EngineException.conflict("container " + r.id + " is not running");
            }
            if (signal == SignalNames.SIGKILL || signal == SignalNames.stopSignal(r.config.stopSignal())) {
                r.exitOnNext = true;
            }
        }
        if (cancelRestart(r)) {
            return; // Docker: a restarting container has no process to signal; it just does not restart
        }
        synchronized (r) {
            if (!r.running) {
                throw EngineException.conflict("container " + r.id + " is not running");
            }
            proc = r.run == null ? null : r.run.process;
            paused = r.paused;
            runtimeName = r.run == null ? r.runtime : r.run.runtimeName;
        }
        if (proc == null) {
            throw EngineException.unavailable("container " + r.id + " is waiting for runtime " + runtimeName
                    + " to adopt it after the daemon restarted; the runtime is not available");
        }
        try {
            proc.signal(signal);
        } catch (IOException e) {
            throw EngineException.system("Cannot kill container " + r.id + ": " + e.getMessage(), e);
        }
        if (paused && (signal == SignalNames.SIGKILL || signal == SignalNames.stopSignal(r.config.stopSignal()))) {
            try {
                proc.resume();
                synchronized (r) {
                    r.paused = false;
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot unpause container " + r.id, e);
            }
        }
    }

    @Override
    public void kill(String ref, String signal) {
        int sig = signal == null || signal.isEmpty() ? SignalNames.SIGKILL : SignalNames.parse(signal);
        ContainerRecord r = lookup(ref);
        try {
            if (sig == SignalNames.SIGKILL) {
                if (!r.isRunning()) {
                    throw EngineException.conflict("container " + r.id + " is not running");
                }
                killAndWait(r);
            } else {
                sendSignal(r, sig);
            }
        } catch (EngineException e) {
            throw new EngineException(e.kind(), "Cannot kill container: " + ref + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void restart(String ref, Integer timeoutSeconds, String signal) {
        ContainerRecord r = lookup(ref);
        try {
            if (r.isRunning()) {
                int sig = signal == null || signal.isEmpty() ? SignalNames.stopSignal(r.config.stopSignal())
                        : SignalNames.parse(signal);
                synchronized (r) {
                    r.manualRestart = true;
                }
                stopInternal(r, sig, stopTimeout(r, timeoutSeconds));
            }
            startInternal(r, false);
        } catch (EngineException e) {
            throw new EngineException(e.kind(), "Cannot restart container " + ref + ": " + e.getMessage(), e);
        } finally {
            synchronized (r) {
                r.manualRestart = false;
            }
        }
    }

    @Override
    public CompletionStage<WaitResult> await(String ref, WaitCondition condition) {
        ContainerRecord r = lookup(ref);
        return r.await(condition == null ? WaitCondition.NOT_RUNNING : condition);
    }

    // ============================================================================================================
    // Remove

    @Override
    public void remove(String ref, boolean force, boolean removeVolumes) {
        ContainerRecord r = lookup(ref);
        removeInternal(r, force, ref);
    }

    void removeInternal(ContainerRecord r, boolean force, String ref) {
        removeInternal(r, force, ref, null);
    }

    /**
     * Docker's removal. The container is reported removed once it is out of the records: its directory and its
     * read-write layer's record renamed away (and, for a durable container, {@code dead} on disk first: the commit
     * point a crash resumes from). The slow rest (unmount, the driver's layer, deleting directories, and the
     * clean-up of {@code exited}, a run whose exit was just handled) goes to the janitor; a crash before it is done
     * is repaired at the next start (retired directories and unnamed driver layers are removed, exec-root
     * leftovers swept).
     *
     * @param exited a run of this container that exited and was not cleaned up yet, or null
     */
    void removeInternal(ContainerRecord r, boolean force, String ref, Run exited) {
        boolean handedOver = false;
        PreparedStart ahead = null;
        synchronized (r) {
            if (r.removed) {
                return;
            }
            if (r.removalInProgress) {
                throw EngineException.conflict("removal of container " + ref + " is already in progress");
            }
            r.removalInProgress = true;
        }
        try {
            if (r.isRunning()) {
                if (!force) {
                    throw EngineException.conflict("cannot remove container \"" + ref + "\": " + (r.isPaused()
                            ? "container is paused and must be unpaused first"
                            : "container is running: stop the container before removing or force remove"));
                }
                try {
                    killAndWait(r);
                } catch (EngineException e) {
                    throw new EngineException(e.kind(), "cannot remove container \"" + ref
                            + "\": could not kill container: " + e.getMessage(), e);
                }
            }
            r.op.lock();
            try {
                ahead = takeAhead(r);
                boolean ephemeral;
                String logPath;
                synchronized (r) {
                    if (r.running || r.run != null) {
                        throw EngineException.conflict("cannot remove container \"" + ref
                                + "\": container is running: stop the container before removing or force remove");
                    }
                    ephemeral = r.ephemeral();
                    logPath = r.logPath;
                    if (!ephemeral) {
                        r.dead = true;
                    }
                }
                if (!ephemeral) {
                    persist(r);
                }
                Runnable layer;
                try {
                    layer = images.detachContainerLayer(r.id);
                } catch (RuntimeException e) {
                    synchronized (r) {
                        r.error = e.getMessage();
                    }
                    throw EngineException.system("cannot remove container \"" + ref + "\": " + e.getMessage(), e);
                }
                if (logPath != null && !logPath.isEmpty() && !Path.of(logPath).startsWith(r.dir)) {
                    removeLog(r); // a log kept outside the container's directory (which goes as a whole)
                }
                Path retired;
                try {
                    synchronized (r.disk) {
                        retired = AtomicFiles.retire(r.dir, false);
                    }
                } catch (IOException e) {
                    janitor(r.id, layer);
                    throw EngineException.system("cannot remove container \"" + ref
                            + "\": unable to remove filesystem: " + e.getMessage(), e);
                }
                index.remove(r);
                execs.containerStopped(r);
                for (AttachedClient c : r.streams.clients()) {
                    c.close();
                }
                handedOver = true;
                PreparedStart discarded = ahead;
                janitor(r.id, () -> {
                    if (exited != null) {
                        cleanUp(r, exited);
                    }
                    if (discarded != null) {
                        discardRun(r, discarded.run);
                    }
                    if (r.leftAhead) {
                        removeLeftAhead(r);
                    }
                    layer.run();
                    try {
                        AtomicFiles.removeTree(retired);
                        AtomicFiles.removeTree(settings.bundleDir(r.id));
                    } catch (IOException e) {
                        LOG.log(Level.WARNING, "cannot remove the files of container " + r.id
                                + "; the next start removes them", e);
                    }
                });
                r.setRemoved();
            } finally {
                r.op.unlock();
            }
        } finally {
            if (exited != null && !handedOver) {
                cleanUp(r, exited); // the removal failed: the run is cleaned up now, as any exit is
            }
            if (ahead != null && !handedOver) {
                discardRun(r, ahead.run);
            }
            synchronized (r) {
                r.removalInProgress = false;
            }
        }
    }

    /** Hands the rest of a removal to the janitor; runs it here when the engine is closing. */
    private void janitor(String id, Runnable task) {
        Runnable safe = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "finishing the removal of container " + id + " failed; the next start "
                        + "removes what is left", e);
            }
        };
        try {
            janitor.execute(safe);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            safe.run();
        }
    }

    /** Lets the log driver delete what it keeps outside the container's directory (best effort). */
    private void removeLog(ContainerRecord r) {
        LogConfig lc = logConfig(r);
        LogDriver d = logDriver(lc.type());
        if (d == null || lc.type().equals(NoneLogDriver.NAME)) {
            return;
        }
        try {
            ContainerLog log = d.open(logContext(r, lc));
            try {
                log.remove();
            } finally {
                closeQuietly(log);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "removing the log of container " + r.id + " failed", e);
        }
    }

    @Override
    public PruneReport prune(Map<String, List<String>> filters) {
        awaitLoaded();
        return new ContainerListing(this).prune(filters);
    }

    // ============================================================================================================
    // Pause, rename, resize

    @Override
    public void pause(String ref) {
        freeze(lookup(ref), true);
    }

    @Override
    public void unpause(String ref) {
        freeze(lookup(ref), false);
    }

    /** Pauses or resumes every process of a running container (the freezer), with Docker's errors for each. */
    private void freeze(ContainerRecord r, boolean pause) {
        r.op.lock();
        try {
            RunningContainer proc;
            synchronized (r) {
                if (pause) {
                    if (!r.running) {
                        throw EngineException.conflict("container " + r.id + " is not running");
                    }
                    if (r.paused) {
                        throw EngineException.conflict("Container " + r.id + " is already paused");
                    }
                    if (r.restarting) {
                        throw EngineException.conflict("Container " + r.id
                                + " is restarting, wait until the container is running");
                    }
                } else if (!r.paused) {
                    // Docker answers with a plain error here (500), not a conflict.
                    throw EngineException.system("Container " + r.id + " is not paused", null);
                }
                proc = r.run == null ? null : r.run.process;
            }
            if (proc == null) {
                throw EngineException.unavailable("container " + r.id + " has not been adopted by its runtime yet");
            }
            try {
                if (pause) {
                    proc.pause();
                } else {
                    proc.resume();
                }
            } catch (IOException e) {
                throw EngineException.system((pause ? "cannot pause" : "Cannot unpause") + " container " + r.id
                        + ": " + e.getMessage(), e);
            }
            synchronized (r) {
                r.paused = pause;
            }
            persist(r);
        } finally {
            r.op.unlock();
        }
    }

    @Override
    public void rename(String ref, String newName) {
        if (ref == null || ref.isEmpty() || newName == null || newName.isEmpty()) {
            throw EngineException.invalid("Neither old nor new names may be empty");
        }
        ContainerRecord r = lookup(ref);
        r.op.lock();
        try {
            String full = newName.startsWith("/") ? newName : "/" + newName;
            String old = r.name();
            if (old.equals(full)) {
                throw EngineException.invalid("Renaming a container with the same name as its current name");
            }
            try {
                index.reserve(full, r.id);
            } catch (EngineException e) {
                throw new EngineException(e.kind(), "Error when allocating new name: " + e.getMessage(), e);
            }
            index.rename(r, old, full);
            Map<String, keel.engine.api.container.EndpointSettings> nets;
            synchronized (r) {
                r.name = full;
                nets = new LinkedHashMap<>(r.networks);
            }
            nets = networking.renamed(r.id, old, full, nets); // its DNS names follow
            synchronized (r) {
                r.networks = nets;
            }
            persist(r);
        } finally {
            r.op.unlock();
        }
    }

    @Override
    public void resize(String ref, int height, int width) {
        ContainerRecord r = lookup(ref);
        RunningContainer proc;
        synchronized (r) {
            if (!r.running) {
                throw EngineException.conflict("container " + r.id + " is not running");
            }
            proc = r.run == null ? null : r.run.process;
        }
        if (height < 0 || width < 0) {
            throw EngineException.invalid("invalid terminal size " + height + "x" + width);
        }
        if (proc != null) {
            try {
                proc.resize(height, width);
            } catch (IOException e) {
                throw EngineException.system("cannot resize container " + r.id + ": " + e.getMessage(), e);
            }
        }
    }

    // ============================================================================================================
    // Inspect, list, top

    @Override
    public ContainerDetails inspect(String ref, boolean size) {
        ContainerRecord r = lookup(ref);
        return new ContainerInspector(this).inspect(r, size);
    }

    @Override
    public List<ContainerSummary> list(boolean all, int limit, boolean size, Map<String, List<String>> filters) {
        awaitLoaded();
        return new ContainerListing(this).list(all, limit, size, filters);
    }

    @Override
    public TopResult top(String ref, String psArgs) {
        ContainerRecord r = lookup(ref);
        RunningContainer proc;
        synchronized (r) {
            if (!r.running) {
                throw EngineException.conflict("container " + r.id + " is not running");
            }
            if (r.restarting) {
                throw EngineException.conflict("Container " + r.id
                        + " is restarting, wait until the container is running");
            }
            proc = r.run == null ? null : r.run.process;
        }
        if (proc == null) {
            throw EngineException.unavailable("container " + r.id + " has not been adopted by its runtime yet");
        }
        List<Long> pids;
        try {
            pids = proc.pids();
        } catch (IOException e) {
            throw EngineException.system("cannot list the processes of container " + r.id + ": " + e.getMessage(),
                    e);
        }
        return new ProcessTable(Path.of("/proc"), clock).top(pids, psArgs);
    }

    // ============================================================================================================
    // Attach and logs

    @Override
    public Attachment attach(String ref, AttachOptions options, StreamSink sink) {
        return new ContainerAttachments(this).attach(ref, options, sink);
    }

    @Override
    public void logs(String ref, LogOptions options, StreamSink sink) {
        new ContainerAttachments(this).logs(ref, options, sink);
    }

    // ============================================================================================================
    // Exec

    @Override
    public String execCreate(String ref, ExecConfig config) {
        return execs.create(lookup(ref), ref, config);
    }

    @Override
    public Attachment execStart(String execId, boolean detach, boolean tty, StreamSink sink) {
        awaitLoaded();
        return execs.start(execId, detach, sink);
    }

    @Override
    public ExecDetails execInspect(String execId) {
        awaitLoaded();
        return execs.inspect(execId);
    }

    @Override
    public void execResize(String execId, int height, int width) {
        awaitLoaded();
        execs.resize(execId, height, width);
    }

    // ============================================================================================================
    // ImageUsage and ContainerCounts

    @Override
    public int containersUsing(String imageId) {
        if (!loaded.isDone()) {
            return 0;
        }
        int n = 0;
        for (ContainerRecord r : index.all()) {
            if (imageId.equals(r.imageId)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String containerUsing(String imageId, boolean running) {
        for (ContainerRecord r : index.all()) {
            if (imageId.equals(r.imageId) && r.isRunning() == running) {
                return r.id;
            }
        }
        return null;
    }

    @Override
    public Counts counts() {
        int total = 0;
        int runningCount = 0;
        int pausedCount = 0;
        for (ContainerRecord r : index.all()) {
            total++;
            synchronized (r) {
                if (r.running && r.paused) {
                    pausedCount++;
                } else if (r.running) {
                    runningCount++;
                }
            }
        }
        return new Counts(total, runningCount, pausedCount, total - runningCount - pausedCount);
    }

    @Override
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (String name : runtimes.names()) {
            ContainerRuntime rt = runtimes.get(name);
            try {
                RuntimeInfo info = rt.info();
                if (!info.exitCodesSurviveRestart()) {
                    out.add("WARNING: runtime " + name + ": exit codes of containers that exit while the daemon is "
                            + "down are not recovered");
                }
                // docker info prints these as they come: Docker's own all start with "WARNING:".
                info.warnings().forEach(w -> out.add(w.startsWith("WARNING") ? w : "WARNING: " + w));
            } catch (RuntimeException e) {
                out.add("WARNING: runtime " + name + " cannot report its state: " + e.getMessage());
            }
        }
        if (runtimes.get(settings.defaultRuntime()) == null) {
            out.add("WARNING: the default runtime " + settings.defaultRuntime() + " is not available: containers "
                    + "cannot be started");
        }
        for (ContainerRecord r : index.all()) {
            synchronized (r) {
                if (r.run != null && r.run.process == null) {
                    out.add("WARNING: container " + r.id.substring(0, 12) + " was running when the daemon stopped "
                            + "and waits for runtime " + r.run.runtimeName + " or its log driver to be adopted");
                }
            }
        }
        synchronized (recoveryNotes) {
            out.addAll(recoveryNotes);
        }
        return out;
    }

    // ============================================================================================================
    // Helpers

    LogConfig logConfig(ContainerRecord r) {
        LogConfig lc;
        synchronized (r) {
            lc = r.hostConfig.logConfig();
        }
        if (lc == null || lc.type() == null || lc.type().isEmpty()) {
            return new LogConfig(settings.defaultLogDriver(), settings.defaultLogOptions());
        }
        return lc;
    }

    LogDriver logDriver(String type) {
        return logDrivers.get(type);
    }

    LogContext logContext(ContainerRecord r, LogConfig lc) {
        synchronized (r) {
            String bare = r.name.startsWith("/") ? r.name.substring(1) : r.name;
            List<String> cmd = new ArrayList<>();
            cmd.add(r.path);
            cmd.addAll(r.args);
            return new LogContext(r.id, bare, r.config.image() == null ? "" : r.config.image(), r.imageId,
                    String.join(" ", cmd), r.config.labels() == null ? Map.of() : r.config.labels(),
                    r.config.env() == null ? List.of() : r.config.env(), r.dir, LogConfigs.driverOptions(lc));
        }
    }

    static Attachment closedAttachment() {
        return new Attachment() {
            @Override
            public OutputStream stdin() {
                return null;
            }

            @Override
            public void close() {}
        };
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "close failed", e);
        }
    }

    static void endQuietly(StreamSink sink) {
        try {
            sink.end();
        } catch (IOException | RuntimeException ignored) {
            // the client is gone
        }
    }

    static void writeQuietly(StreamSink sink, int stream, byte[] data) {
        try {
            sink.write(stream, data, 0, data.length);
            sink.flush();
        } catch (IOException | RuntimeException ignored) {
            // the client is gone
        }
    }
}
