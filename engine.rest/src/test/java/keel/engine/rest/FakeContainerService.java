package keel.engine.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import keel.engine.api.container.AttachOptions;
import keel.engine.api.container.Attachment;
import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ContainerDetails;
import keel.engine.api.container.ContainerService;
import keel.engine.api.container.ContainerState;
import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.CreateRequest;
import keel.engine.api.container.CreateResult;
import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.ExecConfig;
import keel.engine.api.container.ExecDetails;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.LogOptions;
import keel.engine.api.container.MountPoint;
import keel.engine.api.container.NetworkSettings;
import keel.engine.api.container.PruneReport;
import keel.engine.api.container.StreamSink;
import keel.engine.api.container.TopResult;
import keel.engine.api.container.WaitCondition;
import keel.engine.api.container.WaitResult;
import keel.engine.api.errors.EngineException;
import keel.engine.api.image.ImageDetails;

/**
 * A ContainerService whose containers "run" tiny programs in threads, picked by the command's first word, so the
 * REST layer and the real docker CLI can be driven end to end:
 * <ul>
 * <li>{@code echo ARGS} prints its arguments; {@code stderr MSG} prints to stderr; {@code exit N} (or
 * {@code sh -c "exit N"}) exits with N;</li>
 * <li>{@code cat} copies stdin to stdout until stdin ends;</li>
 * <li>{@code sh} with a terminal is a toy shell: prompt {@code / # }, echoes what is typed, answers each line in
 * upper case, {@code exit N} exits, ^D or the end of input exits 0;</li>
 * <li>{@code sleep} runs until stopped (143) or killed (137).</li>
 * </ul>
 * Exit codes are recorded before the streams end, as an engine must (the CLI reads an exec's exit code as soon as
 * its stream ends). Every call is recorded in {@link #calls}.
 */
final class FakeContainerService implements ContainerService {
    static final String IMAGE_ID = "sha256:" + "ab".repeat(32);
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<String, FakeContainer> containers = Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, FakeExec> execs = Collections.synchronizedMap(new LinkedHashMap<>());
    volatile CreateRequest lastCreate;
    volatile String lastCreateName;
    volatile LogOptions lastLogs;
    volatile AttachOptions lastAttach;
    volatile Map<String, List<String>> lastFilters;
    /** NetworkSettings.Ports of every container's inspect; tests of docker port set their own. */
    volatile Map<String, List<HostConfig.PortBinding>> ports = Map.of("80/tcp",
            List.of(new HostConfig.PortBinding("0.0.0.0", "8080")));
    /** The Ports of every row of the list. */
    volatile List<ContainerSummary.Port> summaryPorts = List.of(new ContainerSummary.Port("0.0.0.0", 80, 8080, "tcp"),
            new ContainerSummary.Port(null, 443, null, "tcp"));
    private final AtomicInteger counter = new AtomicInteger();

    // --- programs -------------------------------------------------------------------------------------------------

    /** What a "process" sees: its stdin and ways to write. */
    static final class Proc {
        final InputStream stdin;
        final boolean tty;
        private final Output out;

        Proc(InputStream stdin, boolean tty, Output out) {
            this.stdin = stdin;
            this.tty = tty;
            this.out = out;
        }

        void out(String s) {
            out.write(tty ? 0 : 1, s.getBytes(StandardCharsets.UTF_8));
        }

        void err(String s) {
            out.write(tty ? 0 : 2, s.getBytes(StandardCharsets.UTF_8));
        }

        void out(byte[] b) {
            out.write(tty ? 0 : 1, b);
        }
    }

    @FunctionalInterface
    interface Output {
        void write(int stream, byte[] bytes);
    }

    @FunctionalInterface
    interface Program {
        int run(Proc p) throws Exception;
    }

    static Program program(List<String> cmd) {
        List<String> c = cmd == null || cmd.isEmpty() ? List.of("sh") : cmd;
        if (c.size() >= 3 && c.get(0).equals("sh") && c.get(1).equals("-c")) {
            c = List.of(c.get(2).split(" "));
        }
        List<String> args = c.subList(1, c.size());
        switch (c.get(0)) {
            case "echo":
                return p -> {
                    p.out(String.join(" ", args) + (p.tty ? "\r\n" : "\n"));
                    return 0;
                };
            case "stderr":
                return p -> {
                    p.err(String.join(" ", args) + "\n");
                    return 0;
                };
            case "exit":
                return p -> Integer.parseInt(args.get(0));
            case "cat":
                return p -> {
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = p.stdin.read(buf)) > 0) {
                        p.out(java.util.Arrays.copyOf(buf, n));
                    }
                    return 0;
                };
            case "sleep":
                return p -> {
                    Thread.sleep(Long.MAX_VALUE);
                    return 0;
                };
            case "sh":
                return FakeContainerService::toyShell;
            default:
                return p -> 0;
        }
    }

    /** A terminal session: what a shell behind a tty in raw mode would show. */
    private static int toyShell(Proc p) throws IOException {
        p.out("/ # ");
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = p.stdin.read()) >= 0) {
            if (c == 4 && line.length() == 0) {
                return 0;
            }
            if (c == '\r' || c == '\n') {
                String typed = line.toString().trim();
                line.setLength(0);
                p.out("\r\n");
                if (typed.startsWith("exit")) {
                    return typed.length() > 4 ? Integer.parseInt(typed.substring(4).trim()) : 0;
                }
                p.out(typed.toUpperCase(Locale.ROOT) + "\r\n/ # ");
            } else {
                line.append((char) c);
                p.out(new byte[] {(byte) c});
            }
        }
        return 0;
    }

    // --- the process' stdin ---------------------------------------------------------------------------------------

    /** A pipe that any thread may write and close (java.io's piped streams tie themselves to threads). */
    static final class Pipe {
        private static final byte[] EOF = new byte[0];
        private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        private volatile boolean closed;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        final OutputStream writer = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (closed) {
                    throw new IOException("stdin is closed");
                }
                synchronized (received) {
                    received.write(b, off, len);
                }
                queue.add(java.util.Arrays.copyOfRange(b, off, off + len));
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    queue.add(EOF);
                }
            }
        };

        final InputStream reader = new InputStream() {
            private byte[] current = new byte[0];
            private int pos;
            private boolean eof;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (pos == current.length) {
                    if (eof) {
                        return -1;
                    }
                    try {
                        current = queue.take();
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException("killed");
                    }
                    pos = 0;
                    if (current == EOF) {
                        eof = true;
                        queue.add(EOF);
                        return -1;
                    }
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        };

        boolean isClosed() {
            return closed;
        }

        String received() {
            synchronized (received) {
                return received.toString(StandardCharsets.UTF_8);
            }
        }
    }

    // --- containers -----------------------------------------------------------------------------------------------

    record LogEntry(int stream, byte[] bytes) {}

    record Attached(StreamSink sink, AttachOptions options) {}

    final class FakeContainer {
        final String id;
        volatile String name;
        final CreateRequest request;
        final long created = System.currentTimeMillis() / 1000;
        String status = "created";
        boolean running;
        boolean paused;
        int exitCode;
        int killedWith;
        String startedAt = ZERO_TIME;
        String finishedAt = ZERO_TIME;
        Pipe stdin = new Pipe();
        Thread process;
        final List<Attached> attached = new ArrayList<>();
        final List<LogEntry> log = new ArrayList<>();
        final List<CompletableFuture<WaitResult>> exitWaiters = new ArrayList<>();
        final List<CompletableFuture<WaitResult>> removeWaiters = new ArrayList<>();
        final List<String> execIds = new ArrayList<>();

        FakeContainer(String id, String name, CreateRequest request) {
            this.id = id;
            this.name = name;
            this.request = request;
        }

        ContainerConfig config() {
            return request.config() == null ? ContainerConfig.EMPTY : request.config();
        }

        boolean tty() {
            return Boolean.TRUE.equals(config().tty());
        }

        List<String> cmd() {
            List<String> cmd = config().cmd();
            return cmd == null || cmd.isEmpty() ? List.of("sh") : cmd;
        }

        /** Output of the running process: to every attached client and to the log. */
        void emit(int stream, byte[] bytes) {
            List<Attached> to;
            synchronized (this) {
                log.add(new LogEntry(stream, bytes));
                to = new ArrayList<>(attached);
            }
            for (Attached a : to) {
                if (!wants(a.options.stdout(), a.options.stderr(), stream)) {
                    continue;
                }
                try {
                    if (!a.sink.write(stream, bytes, 0, bytes.length)) {
                        synchronized (this) {
                            attached.remove(a);
                        }
                    }
                } catch (IOException e) {
                    synchronized (this) {
                        attached.remove(a);
                    }
                }
            }
        }

        void start() {
            synchronized (this) {
                // Input written (and closed) by a client attached before the first start waits for the process;
                // a restart gets a fresh stdin.
                if (!status.equals("created")) {
                    stdin = new Pipe();
                }
                running = true;
                paused = false;
                killedWith = 0;
                status = "running";
                startedAt = java.time.Instant.now().toString();
                Pipe in = stdin;
                Program program = program(cmd());
                process = new Thread(() -> {
                    int code;
                    try {
                        code = program.run(new Proc(in.reader, tty(), this::emit));
                    } catch (Exception e) {
                        code = 137;
                    }
                    exited(code);
                }, "fake-container-" + id.substring(0, 12));
                process.setDaemon(true);
                process.start();
            }
        }

        /** Stops the process as a signal would: its exit code is 128 + the signal. */
        void terminate(int code) {
            Thread t;
            synchronized (this) {
                if (!running) {
                    return;
                }
                killedWith = code;
                t = process;
            }
            t.interrupt();
        }

        void exited(int code) {
            List<Attached> to;
            List<CompletableFuture<WaitResult>> waiters;
            boolean autoRemove;
            synchronized (this) {
                if (killedWith != 0) {
                    code = killedWith;
                }
                running = false;
                paused = false;
                exitCode = code;
                status = "exited";
                finishedAt = java.time.Instant.now().toString();
                to = new ArrayList<>(attached);
                attached.clear();
                waiters = new ArrayList<>(exitWaiters);
                exitWaiters.clear();
                autoRemove = request.hostConfig() != null && Boolean.TRUE.equals(request.hostConfig().autoRemove());
                notifyAll();
            }
            for (CompletableFuture<WaitResult> w : waiters) {
                w.complete(new WaitResult(code, null));
            }
            for (Attached a : to) {
                try {
                    a.sink.end();
                } catch (IOException e) {
                    // the client is gone
                }
            }
            if (autoRemove) {
                removed();
            }
        }

        void removed() {
            containers.remove(id);
            List<CompletableFuture<WaitResult>> waiters;
            synchronized (this) {
                waiters = new ArrayList<>(removeWaiters);
                removeWaiters.clear();
            }
            for (CompletableFuture<WaitResult> w : waiters) {
                w.complete(new WaitResult(exitCode, null));
            }
        }

        synchronized ContainerState state() {
            return new ContainerState(status, running, paused, false, false, false, running ? 4242 : 0, exitCode, "",
                    startedAt, finishedAt);
        }

        synchronized String humanStatus() {
            if (running) {
                return paused ? "Up 3 seconds (Paused)" : "Up 3 seconds";
            }
            return status.equals("created") ? "Created" : "Exited (" + exitCode + ") 1 second ago";
        }
    }

    /** A 64-hex ID as Docker's look, different for every seed. */
    static String hexId(String seed) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(
                    seed.getBytes(StandardCharsets.UTF_8));
            StringBuilder s = new StringBuilder();
            for (byte b : d) {
                s.append(String.format("%02x", b));
            }
            return s.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean wants(boolean stdout, boolean stderr, int stream) {
        return stream == 0 || (stream == 1 && stdout) || (stream == 2 && stderr);
    }

    FakeContainer find(String ref) {
        String r = ref.startsWith("/") ? ref.substring(1) : ref;
        synchronized (containers) {
            for (FakeContainer c : containers.values()) {
                if (c.id.equals(r) || c.name.equals("/" + r)) {
                    return c;
                }
            }
            for (FakeContainer c : containers.values()) {
                if (r.length() >= 3 && c.id.startsWith(r)) {
                    return c;
                }
            }
        }
        throw EngineException.notFound("No such container: " + ref);
    }

    /** Waits (a little) for a container to reach a state, for tests that race the CLI. */
    FakeContainer awaitContainer(String name) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            try {
                return find(name);
            } catch (EngineException e) {
                Thread.sleep(10);
            }
        }
        return find(name);
    }

    // --- ContainerService -----------------------------------------------------------------------------------------

    @Override
    public CreateResult create(String name, CreateRequest request) {
        lastCreate = request;
        lastCreateName = name;
        String n = name == null || name.isEmpty() ? "fake_" + counter.incrementAndGet() : name;
        String id = hexId(n + "#" + counter.incrementAndGet());
        calls.add("create " + n);
        synchronized (containers) {
            for (FakeContainer c : containers.values()) {
                if (c.name.equals("/" + n)) {
                    throw EngineException.conflict("Conflict. The container name \"/" + n
                            + "\" is already in use by container \"" + c.id + "\".");
                }
            }
            containers.put(id, new FakeContainer(id, "/" + n, request));
        }
        List<String> warnings = request.hostConfig() != null && request.hostConfig().memory() != null
                && request.hostConfig().memory() > 0 && request.hostConfig().memory() < 6 * 1024 * 1024
                        ? List.of("Minimum memory limit allowed is 6MB") : null;
        return new CreateResult(id, warnings);
    }

    @Override
    public void start(String id) {
        FakeContainer c = find(id);
        calls.add("start " + c.name);
        synchronized (c) {
            if (c.paused) {
                throw EngineException.conflict("cannot start a paused container, try unpause instead");
            }
            if (c.running) {
                throw new EngineException(EngineException.Kind.NOT_MODIFIED, "container is already running");
            }
        }
        c.start();
    }

    @Override
    public void stop(String id, Integer timeoutSeconds, String signal) {
        FakeContainer c = find(id);
        calls.add("stop " + c.name + " t=" + timeoutSeconds + " signal=" + signal);
        c.terminate(signal != null && signal.toUpperCase(Locale.ROOT).endsWith("KILL") ? 137 : 143);
        awaitStopped(c);
    }

    @Override
    public void restart(String id, Integer timeoutSeconds, String signal) {
        FakeContainer c = find(id);
        calls.add("restart " + c.name + " t=" + timeoutSeconds + " signal=" + signal);
        c.terminate(143);
        awaitStopped(c);
        c.start();
    }

    private static void awaitStopped(FakeContainer c) {
        synchronized (c) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (c.running && System.nanoTime() < end) {
                try {
                    c.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void kill(String id, String signal) {
        FakeContainer c = find(id);
        calls.add("kill " + c.name + " signal=" + signal);
        synchronized (c) {
            if (!c.running) {
                throw EngineException.conflict("container " + c.id + " is not running");
            }
        }
        c.terminate(128 + signalNumber(signal));
        awaitStopped(c);
    }

    static int signalNumber(String signal) {
        if (signal == null || signal.isEmpty()) {
            return 9;
        }
        String s = signal.toUpperCase(Locale.ROOT);
        if (s.startsWith("SIG")) {
            s = s.substring(3);
        }
        switch (s) {
            case "KILL":
                return 9;
            case "TERM":
                return 15;
            case "HUP":
                return 1;
            case "INT":
                return 2;
            default:
                try {
                    return Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    throw EngineException.invalid("Invalid signal: " + signal);
                }
        }
    }

    @Override
    public CompletionStage<WaitResult> await(String id, WaitCondition condition) {
        FakeContainer c = find(id);
        calls.add("wait " + c.name + " " + condition);
        CompletableFuture<WaitResult> f = new CompletableFuture<>();
        synchronized (c) {
            switch (condition) {
                case NOT_RUNNING:
                    if (!c.running) {
                        f.complete(new WaitResult(c.exitCode, null));
                    } else {
                        c.exitWaiters.add(f);
                    }
                    break;
                case NEXT_EXIT:
                    c.exitWaiters.add(f);
                    break;
                default:
                    c.removeWaiters.add(f);
            }
        }
        return f;
    }

    @Override
    public void remove(String id, boolean force, boolean removeVolumes) {
        FakeContainer c = find(id);
        calls.add("remove " + c.name + " force=" + force + " v=" + removeVolumes);
        synchronized (c) {
            if (c.running && !force) {
                throw EngineException.conflict("cannot remove container \"" + c.name + "\": container is running: "
                        + "stop the container before removing or force remove");
            }
        }
        c.terminate(137);
        awaitStopped(c);
        c.removed();
    }

    @Override
    public void pause(String id) {
        FakeContainer c = find(id);
        calls.add("pause " + c.name);
        synchronized (c) {
            if (!c.running) {
                throw EngineException.conflict("Container " + c.id + " is not running");
            }
            if (c.paused) {
                throw EngineException.conflict("Container " + c.id + " is already paused");
            }
            c.paused = true;
            c.status = "paused";
        }
    }

    @Override
    public void unpause(String id) {
        FakeContainer c = find(id);
        calls.add("unpause " + c.name);
        synchronized (c) {
            if (!c.paused) {
                throw EngineException.conflict("Container " + c.id + " is not paused");
            }
            c.paused = false;
            c.status = "running";
        }
    }

    @Override
    public void rename(String id, String newName) {
        FakeContainer c = find(id);
        calls.add("rename " + c.name + " " + newName);
        c.name = "/" + (newName.startsWith("/") ? newName.substring(1) : newName);
    }

    @Override
    public TopResult top(String id, String psArgs) {
        FakeContainer c = find(id);
        calls.add("top " + c.name + " " + psArgs);
        return new TopResult(List.of("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"),
                List.of(List.of("root", "4242", "4200", "0", "10:00", "?", "00:00:00", String.join(" ", c.cmd()))));
    }

    @Override
    public ContainerDetails inspect(String id, boolean size) {
        FakeContainer c = find(id);
        String dir = "/var/lib/keel/containers/" + c.id;
        HostConfig host = c.request.hostConfig() == null ? HostConfig.EMPTY : c.request.hostConfig();
        ContainerConfig config = c.config().toBuilder().hostname(c.id.substring(0, 12))
                .image(c.config().image() == null ? "busybox" : c.config().image()).cmd(c.cmd()).build();
        List<String> execIds;
        synchronized (c) {
            execIds = c.execIds.isEmpty() ? null : List.copyOf(c.execIds);
        }
        return new ContainerDetails(c.id, "2026-11-23T10:00:00.123456789Z", c.cmd().get(0),
                c.cmd().subList(1, c.cmd().size()), c.state(), IMAGE_ID, dir + "/resolv.conf", dir + "/hostname",
                dir + "/hosts", dir + "/" + c.id + "-json.log", c.name, 0, "vfs", "linux", "", "", "", execIds, host,
                new ImageDetails.GraphDriver("vfs", Map.of()), size ? 12L : null, size ? 4_300_000L : null,
                List.of(new MountPoint("volume", "data", "/var/lib/keel/volumes/data/_data", "/data", "local", "z",
                        true, "")),
                config, new NetworkSettings("sandbox1", "/var/run/keel/netns/sandbox1", ports,
                        Map.of("bridge", bridge())));
    }

    static EndpointSettings bridge() {
        return new EndpointSettings(null, null, "02:42:ac:11:00:02", null, null, "net" + "1".repeat(61),
                "ep" + "2".repeat(62), "172.17.0.1", "172.17.0.2", 16, "", "", 0, null);
    }

    @Override
    public List<ContainerSummary> list(boolean all, int limit, boolean size, Map<String, List<String>> filters) {
        calls.add("list all=" + all + " limit=" + limit + " size=" + size);
        lastFilters = filters;
        List<ContainerSummary> rows = new ArrayList<>();
        List<FakeContainer> snapshot;
        synchronized (containers) {
            snapshot = new ArrayList<>(containers.values());
        }
        for (FakeContainer c : snapshot) {
            if (!all && !c.running) {
                continue;
            }
            rows.add(new ContainerSummary(c.id, List.of(c.name),
                    c.config().image() == null ? "busybox" : c.config().image(), IMAGE_ID,
                    String.join(" ", c.cmd()), c.created, summaryPorts,
                    size ? 12L : null, size ? 4_300_000L : null, Map.of("app", "web"), c.state().status(),
                    c.humanStatus(), "bridge", Map.of("bridge", bridge()), List.of()));
        }
        return rows;
    }

    @Override
    public PruneReport prune(Map<String, List<String>> filters) {
        calls.add("prune " + filters);
        List<String> deleted = new ArrayList<>();
        synchronized (containers) {
            for (FakeContainer c : new ArrayList<>(containers.values())) {
                if (!c.running) {
                    containers.remove(c.id);
                    deleted.add(c.id);
                }
            }
        }
        return new PruneReport(deleted, 1024L * deleted.size());
    }

    @Override
    public void resize(String id, int height, int width) {
        FakeContainer c = find(id);
        calls.add("resize " + c.name + " " + height + "x" + width);
    }

    @Override
    public Attachment attach(String id, AttachOptions options, StreamSink sink) {
        FakeContainer c = find(id);
        lastAttach = options;
        calls.add("attach " + c.name + " stdin=" + options.stdin() + " stream=" + options.stream());
        List<LogEntry> replay;
        boolean endNow;
        Pipe in;
        synchronized (c) {
            if (c.paused) {
                throw EngineException.conflict("You cannot attach to a paused container, unpause it first");
            }
            replay = options.logs() ? new ArrayList<>(c.log) : List.of();
            endNow = !options.stream();
            if (!endNow) {
                c.attached.add(new Attached(sink, options));
            }
            in = c.stdin;
        }
        try {
            for (LogEntry e : replay) {
                if (wants(options.stdout(), options.stderr(), e.stream())) {
                    sink.write(e.stream(), e.bytes(), 0, e.bytes().length);
                }
            }
            if (endNow) {
                sink.end();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        boolean withStdin = options.stdin() && Boolean.TRUE.equals(c.config().openStdin());
        return new Attachment() {
            @Override
            public OutputStream stdin() {
                return withStdin ? in.writer : null;
            }

            @Override
            public void close() {
                synchronized (c) {
                    c.attached.removeIf(a -> a.sink == sink);
                }
            }
        };
    }

    @Override
    public void logs(String id, LogOptions options, StreamSink sink) {
        FakeContainer c = find(id);
        lastLogs = options;
        calls.add("logs " + c.name);
        List<LogEntry> entries;
        synchronized (c) {
            entries = new ArrayList<>(c.log);
        }
        if (options.tail() >= 0 && entries.size() > options.tail()) {
            entries = entries.subList(entries.size() - options.tail(), entries.size());
        }
        try {
            for (LogEntry e : entries) {
                if (!wants(options.stdout(), options.stderr(), e.stream())) {
                    continue;
                }
                byte[] b = e.bytes();
                if (options.timestamps()) {
                    byte[] ts = "2026-11-23T10:00:00.000000000Z ".getBytes(StandardCharsets.UTF_8);
                    byte[] both = new byte[ts.length + b.length];
                    System.arraycopy(ts, 0, both, 0, ts.length);
                    System.arraycopy(b, 0, both, ts.length, b.length);
                    b = both;
                }
                if (!sink.write(e.stream(), b, 0, b.length)) {
                    return;
                }
            }
            if (options.follow()) {
                // Follow: what the process writes from now on, until it exits.
                CompletableFuture<Void> done = new CompletableFuture<>();
                StreamSink forward = new StreamSink() {
                    @Override
                    public boolean write(int stream, byte[] data, int offset, int length) throws IOException {
                        return sink.write(stream, data, offset, length);
                    }

                    @Override
                    public void end() {
                        done.complete(null);
                    }
                };
                synchronized (c) {
                    if (!c.running) {
                        return;
                    }
                    c.attached.add(new Attached(forward, new AttachOptions(false, options.stdout(),
                            options.stderr(), false, true, null)));
                }
                done.get(60, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // --- exec -----------------------------------------------------------------------------------------------------

    final class FakeExec {
        final String id;
        final FakeContainer container;
        final ExecConfig config;
        volatile boolean running;
        volatile Integer exitCode;
        final Pipe stdin = new Pipe();

        FakeExec(String id, FakeContainer container, ExecConfig config) {
            this.id = id;
            this.container = container;
            this.config = config;
        }
    }

    @Override
    public String execCreate(String id, ExecConfig config) {
        FakeContainer c = find(id);
        calls.add("exec-create " + c.name + " " + config.cmd());
        synchronized (c) {
            if (!c.running) {
                throw EngineException.conflict("container " + c.id + " is not running");
            }
        }
        String execId = hexId("exec#" + counter.incrementAndGet());
        execs.put(execId, new FakeExec(execId, c, config));
        synchronized (c) {
            c.execIds.add(execId);
        }
        return execId;
    }

    private FakeExec exec(String execId) {
        FakeExec e = execs.get(execId);
        if (e == null) {
            throw EngineException.notFound("No such exec instance: " + execId);
        }
        return e;
    }

    @Override
    public Attachment execStart(String execId, boolean detach, boolean tty, StreamSink sink) {
        FakeExec e = exec(execId);
        calls.add("exec-start " + execId.substring(0, 12) + " detach=" + detach + " tty=" + tty);
        if (e.running || e.exitCode != null) {
            throw EngineException.conflict("exec " + execId + " has already been started");
        }
        e.running = true;
        Program program = program(e.config.cmd());
        Thread t = new Thread(() -> {
            int code;
            try {
                code = program.run(new Proc(e.stdin.reader, tty, (stream, bytes) -> {
                    try {
                        sink.write(stream, bytes, 0, bytes.length);
                    } catch (IOException x) {
                        // client gone
                    }
                }));
            } catch (Exception x) {
                code = 126;
            }
            // The exit code first: the CLI asks for it as soon as the stream ends.
            e.exitCode = code;
            e.running = false;
            try {
                sink.end();
            } catch (IOException x) {
                // client gone
            }
        }, "fake-exec-" + execId.substring(0, 12));
        t.setDaemon(true);
        t.start();
        boolean withStdin = Boolean.TRUE.equals(e.config.attachStdin());
        return new Attachment() {
            @Override
            public OutputStream stdin() {
                return withStdin ? e.stdin.writer : null;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public ExecDetails execInspect(String execId) {
        FakeExec e = exec(execId);
        List<String> cmd = e.config.cmd();
        return new ExecDetails(e.id, e.running, e.exitCode,
                new ExecDetails.ProcessConfig(Boolean.TRUE.equals(e.config.tty()), cmd.get(0),
                        cmd.subList(1, cmd.size()), e.config.privileged(), e.config.user()),
                Boolean.TRUE.equals(e.config.attachStdin()), Boolean.TRUE.equals(e.config.attachStderr()),
                Boolean.TRUE.equals(e.config.attachStdout()), !e.running, e.container.id, e.config.detachKeys(),
                e.running ? 4343 : 0);
    }

    @Override
    public void execResize(String execId, int height, int width) {
        exec(execId);
        calls.add("exec-resize " + execId.substring(0, 12) + " " + height + "x" + width);
    }
}
