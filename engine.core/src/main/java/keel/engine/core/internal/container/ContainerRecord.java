package keel.engine.core.internal.container;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ContainerState;
import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.WaitCondition;
import keel.engine.api.container.WaitResult;
import keel.engine.core.internal.container.attach.ContainerStreams;
import keel.engine.core.internal.image.DockerTime;

/**
 * One container in memory: what {@code config.v2.json} holds, its state machine (Docker's container/state.go), the
 * waiters on it, and its current run.
 *
 * <p>Locking: {@link #op} serializes lifecycle operations (start, exit handling, remove, rename) and may be held
 * across I/O; the monitor of this object guards the fields and is held only briefly. Nobody waits for an exit while
 * holding {@link #op}, since handling the exit takes it.
 */
final class ContainerRecord {

    /** Go's zero time as Docker prints it for "not yet". */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    final String id;
    final Instant created;
    final Path dir;
    final ReentrantLock op = new ReentrantLock();
    /** Orders writes of the container's files with the removal of its directory (a late write must not revive it). */
    final Object disk = new Object();
    final ContainerStreams streams;

    // Persisted (guarded by this)
    String name;
    String path;
    List<String> args;
    ContainerConfig config;
    HostConfig hostConfig;
    String imageId;
    String driver;
    String runtime;
    String logPath = "";
    String hostnamePath = "";
    String hostsPath = "";
    String resolvConfPath = "";
    int restartCount;
    boolean hasBeenStartedBefore;
    boolean hasBeenManuallyStopped;
    String sandboxId = "";
    String sandboxKey = "";
    Map<String, EndpointSettings> networks = new LinkedHashMap<>();
    long runGeneration;

    // State (guarded by this)
    boolean running;
    boolean paused;
    boolean restarting;
    boolean oomKilled;
    boolean dead;
    long pid;
    int exitCode;
    String error = "";
    Instant startedAt;
    Instant finishedAt;

    // Not persisted (guarded by this)
    boolean removalInProgress;
    boolean removed;
    /** A restart is stopping the container: its exit must not trigger AutoRemove. */
    boolean manualRestart;
    /** The user stopped or killed the run: its exit must not trigger the restart policy (Docker's ExitOnNext). */
    boolean exitOnNext;
    /** The restart policy's current backoff. */
    long restartDelayMillis;
    /** A start the restart policy scheduled; cancelled when the user stops the container meanwhile. */
    java.util.concurrent.Future<?> pendingRestart;
    Run run;
    /** The first start, made ahead right after create; guarded by {@link #op}. */
    PreparedStart prepared;
    /**
     * Found at daemon start: a start made ahead (or cut short) by a daemon that died left runtime state, a network
     * namespace or a bundle for this container, which is not running; removed before its next start. Guarded by
     * {@link #op}.
     */
    boolean leftAhead;
    final Set<String> execIds = new LinkedHashSet<>();
    private final List<Waiter> waiters = new ArrayList<>();

    private record Waiter(WaitCondition condition, CompletableFuture<WaitResult> result) {}

    ContainerRecord(String id, Instant created, Path dir, ContainerStreams streams) {
        this.id = id;
        this.created = created;
        this.dir = dir;
        this.streams = streams;
    }

    // ------------------------------------------------------------------------------------------------------------
    // State strings (Docker's State.StateString and State.String)

    synchronized String status() {
        if (running) {
            if (paused) {
                return "paused";
            }
            return restarting ? "restarting" : "running";
        }
        if (removalInProgress) {
            return "removing";
        }
        if (dead) {
            return "dead";
        }
        return startedAt == null ? "created" : "exited";
    }

    /** What docker ps shows in its STATUS column. */
    synchronized String statusText(Instant now) {
        if (running) {
            if (paused) {
                return "Up " + HumanDuration.of(Duration.between(startedAt, now)) + " (Paused)";
            }
            if (restarting) {
                return "Restarting (" + exitCode + ") " + HumanDuration.of(Duration.between(finishedAt, now))
                        + " ago";
            }
            return "Up " + HumanDuration.of(Duration.between(startedAt == null ? now : startedAt, now));
        }
        if (removalInProgress) {
            return "Removal In Progress";
        }
        if (dead) {
            return "Dead";
        }
        if (startedAt == null) {
            return "Created";
        }
        if (finishedAt == null) {
            return "";
        }
        return "Exited (" + exitCode + ") " + HumanDuration.of(Duration.between(finishedAt, now)) + " ago";
    }

    synchronized ContainerState stateView() {
        return new ContainerState(status(), running, paused, restarting, oomKilled, dead, pid, exitCode,
                error == null ? "" : error, time(startedAt), time(finishedAt));
    }

    static String time(Instant t) {
        return t == null ? ZERO_TIME : DockerTime.format(t);
    }

    static Instant parseTime(String s) {
        if (s == null || s.isEmpty() || s.startsWith("0001-01-01")) {
            return null;
        }
        return Instant.parse(s);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Transitions

    synchronized void setRunning(long pid, Instant at) {
        this.error = "";
        this.paused = false;
        this.running = true;
        this.restarting = false;
        this.exitCode = 0;
        this.pid = pid;
        this.oomKilled = false;
        this.startedAt = at;
        this.hasBeenStartedBefore = true;
    }

    /** The process ended; {@link #notifyStopped} then wakes the waiters (once the state is on disk). */
    synchronized void setStopped(int code, boolean oom, String why, Instant at) {
        this.running = false;
        this.paused = false;
        this.restarting = false;
        this.pid = 0;
        this.finishedAt = at;
        this.exitCode = code;
        this.oomKilled = oom;
        if (why != null && !why.isEmpty()) {
            this.error = why;
        }
    }

    /**
     * The process ended and the restart policy starts it again after a delay: Docker counts the container as
     * running (and restarting) meanwhile; waiters for its exit are woken as for any exit.
     */
    synchronized void setRestarting(int code, boolean oom, Instant at) {
        this.running = true;
        this.restarting = true;
        this.paused = false;
        this.pid = 0;
        this.finishedAt = at;
        this.exitCode = code;
        this.oomKilled = oom;
    }

    /** Wakes NOT_RUNNING and NEXT_EXIT waiters with the exit code. */
    synchronized void notifyStopped() {
        notifyWaiters(false);
    }

    /** A start failed: Docker records the error and an exit code, and leaves the rest (a never-started container stays "created"). */
    synchronized void setStartFailed(int code, String message) {
        this.error = message;
        this.exitCode = code;
        this.running = false;
        this.pid = 0;
    }

    synchronized void setRemoved() {
        this.removed = true;
        notifyWaiters(true);
    }

    /** Registers a waiter; completes it at once when the condition already holds. */
    synchronized CompletableFuture<WaitResult> await(WaitCondition condition) {
        CompletableFuture<WaitResult> f = new CompletableFuture<>();
        boolean met = switch (condition) {
            case NOT_RUNNING -> !running;
            case REMOVED -> removed;
            case NEXT_EXIT -> false;
        };
        if (met) {
            f.complete(result());
        } else {
            Waiter w = new Waiter(condition, f);
            waiters.add(w);
            // a waiter its client cancelled (it went away) is dropped now, not when the container next exits
            f.whenComplete((r, e) -> {
                if (f.isCancelled()) {
                    synchronized (this) {
                        waiters.remove(w);
                    }
                }
            });
        }
        return f;
    }

    private WaitResult result() {
        return new WaitResult(exitCode, error == null || error.isEmpty() ? null : error);
    }

    /** Docker notifies stop waiters on every exit, and all waiters on removal. */
    private void notifyWaiters(boolean removal) {
        WaitResult r = result();
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
            Waiter w = it.next();
            if (removal || w.condition != WaitCondition.REMOVED) {
                it.remove();
                w.result.complete(r);
            }
        }
    }

    /**
     * Whether the container's records need not survive a crash: it was created with {@code --rm} (AutoRemove), so
     * the next start removes it unless it is still running, as dockerd's restore does. Its files are written
     * atomically but not flushed; whatever a power cut leaves of them is removed.
     */
    synchronized boolean ephemeral() {
        return hostConfig != null && Boolean.TRUE.equals(hostConfig.autoRemove());
    }

    synchronized boolean isRunning() {
        return running;
    }

    synchronized boolean isPaused() {
        return paused;
    }

    synchronized String name() {
        return name;
    }

    /** Docker's {@code Path} and {@code Args} from entrypoint and cmd. */
    static String[] entrypointAndArgs(ContainerConfig c) {
        List<String> all = new ArrayList<>();
        if (c.entrypoint() != null) {
            all.addAll(c.entrypoint());
        }
        if (c.cmd() != null) {
            all.addAll(c.cmd());
        }
        return all.toArray(new String[0]);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Persistence

    synchronized StoredContainer toStored() {
        return new StoredContainer(id, DockerTime.format(created), path, args, config,
                new StoredContainer.State(running, paused, restarting, oomKilled, dead, pid, exitCode, error,
                        time(startedAt), time(finishedAt)),
                imageId, new StoredContainer.Network(sandboxId, sandboxKey, new LinkedHashMap<>(networks)), logPath,
                name, driver, "linux", restartCount, hasBeenStartedBefore, hasBeenManuallyStopped, hostnamePath,
                hostsPath, resolvConfPath, runtime, runGeneration);
    }

    static ContainerRecord fromStored(StoredContainer s, HostConfig hostConfig, Path dir, ContainerStreams streams) {
        ContainerRecord r = new ContainerRecord(s.id(), Instant.parse(s.created()), dir, streams);
        r.name = s.name();
        r.path = s.path();
        r.args = s.args() == null ? List.of() : s.args();
        r.config = s.config() == null ? ContainerConfig.EMPTY : s.config();
        r.hostConfig = hostConfig == null ? HostConfig.EMPTY : hostConfig;
        r.imageId = s.image();
        r.driver = s.driver();
        r.runtime = s.runtime();
        r.logPath = nz(s.logPath());
        r.hostnamePath = nz(s.hostnamePath());
        r.hostsPath = nz(s.hostsPath());
        r.resolvConfPath = nz(s.resolvConfPath());
        r.restartCount = s.restartCount();
        r.hasBeenStartedBefore = s.hasBeenStartedBefore();
        r.hasBeenManuallyStopped = s.hasBeenManuallyStopped();
        r.runGeneration = s.runGeneration();
        if (s.networkSettings() != null) {
            r.sandboxId = nz(s.networkSettings().sandboxID());
            r.sandboxKey = nz(s.networkSettings().sandboxKey());
            if (s.networkSettings().networks() != null) {
                r.networks = new LinkedHashMap<>(s.networkSettings().networks());
            }
        }
        StoredContainer.State st = s.state();
        if (st != null) {
            r.running = st.running();
            r.paused = st.paused();
            r.restarting = st.restarting();
            r.oomKilled = st.oomKilled();
            r.dead = st.dead();
            r.pid = st.pid();
            r.exitCode = st.exitCode();
            r.error = nz(st.error());
            r.startedAt = parseTime(st.startedAt());
            r.finishedAt = parseTime(st.finishedAt());
        }
        return r;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
