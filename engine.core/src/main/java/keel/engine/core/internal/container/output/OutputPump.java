package keel.engine.core.internal.container.output;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Moves every running container's output from its spool files to its log and attached clients, on ONE thread.
 *
 * <p><b>Why spools and one thread.</b> A container writes to regular files (see {@link keel.engine.api.runtime.Stdio}),
 * so it never blocks on the daemon and never dies of SIGPIPE when the daemon restarts; a thread (or two goroutines,
 * as dockerd's copier has) per container would cost a stack each. Here the cost of a container is its
 * {@link ContainerOutput}: four file descriptors and a few objects; a line buffer only while a line is unfinished.
 *
 * <p><b>Waking up.</b> The pump sleeps in poll(2) on an inotify instance that watches the spool <i>files</i> (IN_MODIFY)
 * and on an eventfd other threads signal. Watching the files rather than the container directories (as a
 * {@link java.nio.file.WatchService} would) means the pump's own writes to the json-file log, which lives in the same
 * directory, do not wake it again, and no extra JDK poller thread is needed. The kernel coalesces repeated events,
 * so a chatty container costs one wake-up per batch. On queue overflow every spool is read.
 *
 * <p><b>Fairness and back-pressure.</b> Each wake-up reads at most {@value #ROUND_BUDGET} bytes per container
 * before moving on to the next, so one flood does not starve the others. When an attached client falls behind
 * ({@link OutputTarget#throttled}), that container's spools are left alone until the client catches up: as in
 * Docker, a slow attach holds up that container's output (and log) only, but unlike Docker the container itself
 * keeps running, because its writes go to a file.
 *
 * <p><b>Space.</b> Consumed spool bytes are given back to the filesystem with fallocate(PUNCH_HOLE) once a MiB has
 * accumulated; the spools are truncated when the container has exited and been drained.
 */
public final class OutputPump implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OutputPump.class.getName());

    static final int READ_CHUNK = 64 * 1024;
    static final int ROUND_BUDGET = 256 * 1024;
    static final long PUNCH_THRESHOLD = 1024 * 1024;
    static final long BLOCK = 4096;
    /** How long an exited container waits for a slow client before the client is detached (Docker waits 2 s). */
    static final long SLOW_CLIENT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How often outputs without an inotify watch (limit reached) are looked at. */
    static final long POLL_MILLIS = 250;

    private final SpoolKernel kernel;
    private final LongSupplier clock;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Map<Integer, ContainerOutput.Stream> byWatch = new HashMap<>();
    private final Set<ContainerOutput> outputs = new LinkedHashSet<>();
    private final Set<ContainerOutput> ready = new LinkedHashSet<>();
    private final byte[] buffer = new byte[READ_CHUNK];
    private SpoolKernel.Watcher watcher;
    private Thread thread;
    private volatile boolean closing;
    private boolean punching = true;
    private long nextPoll;

    /** @param clock nanoseconds since the epoch, for message times */
    public OutputPump(SpoolKernel kernel, LongSupplier clock) {
        this.kernel = kernel;
        this.clock = clock;
    }

    /** The wall clock in nanoseconds since the epoch (microsecond resolution on Linux). */
    public static long wallClockNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * A pump on libc (inotify, fallocate), or on polling when libc cannot be bound. libc is bound when the pump
     * starts, not here: binding takes a moment, and this is called while a component activates.
     */
    public static OutputPump onThisHost() {
        return new OutputPump(new SpoolKernel() {
            private SpoolKernel kernel;

            private synchronized SpoolKernel kernel() {
                if (kernel == null) {
                    try {
                        kernel = new JnrSpoolKernel();
                    } catch (RuntimeException | LinkageError e) {
                        LOG.log(Level.WARNING, "libc is not available to the output pump ({0}); polling spool "
                                + "files instead", e.toString());
                        kernel = new PollingSpoolKernel(100);
                    }
                }
                return kernel;
            }

            @Override
            public Watcher newWatcher() throws IOException {
                return kernel().newWatcher();
            }

            @Override
            public void punchHole(java.nio.file.Path file, long offset, long length) throws IOException {
                kernel().punchHole(file, offset, length);
            }
        }, OutputPump::wallClockNanos);
    }

    public synchronized void start() throws IOException {
        if (thread != null) {
            return;
        }
        watcher = kernel.newWatcher();
        thread = new Thread(this::loop, "keel-output-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts reading a container's spools from the consumed offsets recorded next to them. */
    public void register(ContainerOutput o) {
        submit(() -> open(o));
    }

    /**
     * The process has exited: reads what is left, passes unfinished lines on, truncates the spools and closes them.
     * The returned future (also {@link ContainerOutput#finished()}) completes after the last delivery.
     */
    public CompletableFuture<Void> finish(ContainerOutput o) {
        submit(() -> {
            if (!o.registered) {
                o.finished.complete(null);
                return;
            }
            o.finishing = true;
            ready.add(o);
        });
        return o.finished;
    }

    /**
     * Stops reading a container without draining it (the daemon is going away, the container keeps running): the
     * consumed offsets are saved so that the next daemon resumes exactly there.
     */
    public CompletableFuture<Void> detach(ContainerOutput o) {
        submit(() -> {
            if (o.registered) {
                persist(o);
                close(o);
            }
            o.finished.complete(null);
        });
        return o.finished;
    }

    /** Looks at a container's spools again (a throttling client caught up). */
    public void wake(ContainerOutput o) {
        submit(() -> {
            if (o.registered) {
                ready.add(o);
            }
        });
    }

    /** Detaches every container (offsets saved) and stops the thread. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = thread;
            closing = true;
        }
        if (t == null) {
            return;
        }
        watcher.wake();
        try {
            t.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void submit(Runnable task) {
        tasks.add(task);
        SpoolKernel.Watcher w = watcher;
        if (w != null) {
            w.wake();
        }
    }

    private void loop() {
        try {
            while (!closing) {
                runTasks();
                long timeout = ready.isEmpty() ? idleTimeout() : 0;
                int[] fired = watcher.await(timeout);
                for (int wd : fired) {
                    if (wd == SpoolKernel.OVERFLOW) {
                        ready.addAll(outputs);
                    } else {
                        ContainerOutput.Stream s = byWatch.get(wd);
                        if (s != null) {
                            ready.add(s.owner);
                        }
                    }
                }
                addPolled();
                runTasks();
                round();
            }
        } catch (IOException | RuntimeException | Error e) {
            LOG.log(Level.ERROR, "the output pump failed; container output is no longer read until restart", e);
        } finally {
            runTasks();
            for (ContainerOutput o : new ArrayList<>(outputs)) {
                persist(o);
                close(o);
                o.finished.complete(null);
            }
            watcher.close();
        }
    }

    private long idleTimeout() {
        for (ContainerOutput o : outputs) {
            if (o.polled || (o.finishing && o.throttledSince != 0)) {
                return POLL_MILLIS;
            }
        }
        return -1;
    }

    private void addPolled() {
        long now = System.nanoTime();
        if (now - nextPoll < 0) {
            return;
        }
        nextPoll = now + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
        for (ContainerOutput o : outputs) {
            if (o.polled || (o.finishing && o.throttledSince != 0)) {
                ready.add(o);
            }
        }
    }

    private void runTasks() {
        for (Runnable r = tasks.poll(); r != null; r = tasks.poll()) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "output pump task failed", e);
            }
        }
    }

    private void round() {
        List<ContainerOutput> batch = new ArrayList<>(ready);
        ready.clear();
        for (ContainerOutput o : batch) {
            if (!outputs.contains(o)) {
                continue;
            }
            boolean more = pump(o);
            if (more) {
                ready.add(o);
            } else if (o.finishing && !o.target.throttled()) {
                complete(o);
            }
        }
    }

    private void open(ContainerOutput o) {
        if (o.registered || o.finished.isDone()) {
            return;
        }
        try {
            long[] consumed = ContainerOutput.readOffsets(o.offsetsFile);
            o.offsets = FileChannel.open(o.offsetsFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            openStream(o.stdout, consumed[0]);
            openStream(o.stderr, consumed[1]);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "cannot read the output of container " + o.containerId, e);
            close(o);
            o.finished.complete(null);
            return;
        }
        o.registered = true;
        outputs.add(o);
        for (ContainerOutput.Stream s : new ContainerOutput.Stream[] {o.stdout, o.stderr}) {
            try {
                s.wd = watcher.watch(s.path);
                byWatch.put(s.wd, s);
            } catch (IOException e) {
                if (!o.polled) {
                    LOG.log(Level.WARNING, "cannot watch {0} ({1}); it is polled instead", s.path, e.getMessage());
                }
                o.polled = true;
            }
        }
        ready.add(o);
    }

    private static void openStream(ContainerOutput.Stream s, long consumed) throws IOException {
        s.channel = FileChannel.open(s.path, StandardOpenOption.READ, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        s.offset = consumed;
        s.punched = 0;
    }

    /** Reads a batch of one container's spools; returns whether more is waiting. */
    private boolean pump(ContainerOutput o) {
        if (o.target.throttled()) {
            if (o.finishing) {
                long now = System.nanoTime();
                if (o.throttledSince == 0) {
                    o.throttledSince = now;
                } else if (now - o.throttledSince > SLOW_CLIENT_GRACE_NANOS) {
                    o.target.dropSlowClients();
                }
            }
            if (o.target.throttled()) {
                return false;
            }
        }
        o.throttledSince = 0;
        int budget = ROUND_BUDGET;
        boolean progressed = false;
        boolean more = false;
        for (ContainerOutput.Stream s : new ContainerOutput.Stream[] {o.stdout, o.stderr}) {
            try {
                long size = s.channel.size();
                if (size < s.offset) {
                    // Truncated behind our back (a new run, or an operator): nothing before size can be unread.
                    s.offset = size;
                }
                while (budget > 0 && s.offset < size) {
                    int want = (int) Math.min(Math.min(buffer.length, size - s.offset), budget);
                    int n = s.channel.read(ByteBuffer.wrap(buffer, 0, want), s.offset);
                    if (n <= 0) {
                        break;
                    }
                    s.offset += n;
                    budget -= n;
                    progressed = true;
                    o.target.raw(s.number, buffer, 0, n);
                    s.splitter.feed(buffer, 0, n, clock, o.target::log);
                    if (o.target.throttled()) {
                        budget = 0;
                    }
                }
                if (s.offset < size && !o.target.throttled()) {
                    more = true;
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "reading " + s.path + " failed", e);
            }
        }
        if (progressed) {
            persist(o);
            punch(o);
        }
        return more;
    }

    private void punch(ContainerOutput o) {
        if (!punching) {
            return;
        }
        for (ContainerOutput.Stream s : new ContainerOutput.Stream[] {o.stdout, o.stderr}) {
            long end = (s.consumed() / BLOCK) * BLOCK;
            if (end - s.punched >= PUNCH_THRESHOLD) {
                try {
                    kernel.punchHole(s.path, s.punched, end - s.punched);
                    s.punched = end;
                } catch (IOException e) {
                    punching = false;
                    LOG.log(Level.WARNING, "cannot give consumed spool space back ({0}); spools shrink only when "
                            + "their container is restarted", e.getMessage());
                    return;
                }
            }
        }
    }

    private void persist(ContainerOutput o) {
        if (o.offsets == null) {
            return;
        }
        try {
            ContainerOutput.writeOffsets(o.offsets, o.stdout.consumed(), o.stderr.consumed());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot record the consumed output offsets of container " + o.containerId, e);
        }
    }

    /** The process exited and everything it wrote was delivered: pass unfinished lines on, truncate, close. */
    private void complete(ContainerOutput o) {
        for (ContainerOutput.Stream s : new ContainerOutput.Stream[] {o.stdout, o.stderr}) {
            s.splitter.flush(clock, o.target::log);
            try {
                if (s.channel != null) {
                    s.channel.truncate(0);
                }
                s.offset = 0;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot truncate " + s.path, e);
            }
        }
        persist(o);
        close(o);
        o.finished.complete(null);
    }

    private void close(ContainerOutput o) {
        outputs.remove(o);
        ready.remove(o);
        o.registered = false;
        for (ContainerOutput.Stream s : new ContainerOutput.Stream[] {o.stdout, o.stderr}) {
            if (s.wd >= 0) {
                byWatch.remove(s.wd);
                watcher.unwatch(s.wd);
                s.wd = -1;
            }
            closeQuietly(s.channel);
            s.channel = null;
        }
        closeQuietly(o.offsets);
        o.offsets = null;
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** For tests and diagnostics: containers being read now (only meaningful on the pump's thread). */
    int size() {
        return outputs.size();
    }
}
