package keel.engine.core.internal.container;

import java.io.ByteArrayInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import keel.engine.api.oci.Spec;
import keel.engine.api.runtime.ContainerLaunch;
import keel.engine.api.runtime.ContainerRuntime;
import keel.engine.api.runtime.ContainerStartException;
import keel.engine.api.runtime.ExecLaunch;
import keel.engine.api.runtime.ExecProcess;
import keel.engine.api.runtime.ExitStatus;
import keel.engine.api.runtime.RunningContainer;
import keel.engine.api.runtime.RuntimeInfo;
import keel.engine.api.runtime.Stdio;

/**
 * A runtime that runs nothing: the "command" of a container (its spec's args) says what the fake process does,
 * writing to the spool files as a real process would:
 * <ul>
 * <li>{@code echo words...}: prints the words and exits 0; {@code err words...}: the same on stderr;</li>
 * <li>{@code exit N}: exits N; {@code oom}: killed by the OOM killer (137);</li>
 * <li>{@code sleep}: runs until SIGTERM (143) or SIGKILL (137); {@code trap}: ignores SIGTERM;</li>
 * <li>{@code cat}: copies its stdin to stdout, exits 0 at EOF;</li>
 * <li>{@code nosuch}, {@code noperm}: fails to start with runc's words.</li>
 * </ul>
 */
final class FakeRuntime implements ContainerRuntime {

    final Map<String, FakeProcess> live = new ConcurrentHashMap<>();
    final List<String> deleted = new CopyOnWriteArrayList<>();
    final List<Spec> specs = new CopyOnWriteArrayList<>();
    /** What adopt returns for a process that exited while no engine watched: empty, or the exit. */
    volatile boolean keepsExitCodes;

    @Override
    public String name() {
        return "native";
    }

    @Override
    public RuntimeInfo info() {
        return new RuntimeInfo("1", "cgroupfs", keepsExitCodes, List.of());
    }

    @Override
    public RunningContainer start(ContainerLaunch launch) throws IOException {
        Spec spec = keel.engine.core.internal.container.spec.OciSpecJson.read(
                Files.readAllBytes(launch.bundle().resolve("config.json")));
        specs.add(spec);
        List<String> args = spec.process().args();
        switch (args.get(0)) {
            case "nosuch" -> throw new ContainerStartException(
                    "exec: \"nosuch\": executable file not found in $PATH");
            case "noperm" -> throw new ContainerStartException("exec: \"/etc\": permission denied");
            case "broken" -> throw new IOException("cgroup: cannot write memory.limit_in_bytes: invalid argument");
            default -> { }
        }
        Files.createDirectories(launch.stateDir());
        FakeProcess p = new FakeProcess(launch.id(), launch.stdio(), args);
        live.put(launch.id(), p);
        p.begin();
        return p;
    }

    @Override
    public Optional<RunningContainer> adopt(String id, Path stateDir) {
        FakeProcess p = live.get(id);
        if (p == null) {
            return Optional.empty();
        }
        if (p.exit.isDone() && !keepsExitCodes) {
            return Optional.empty();
        }
        return Optional.of(p);
    }

    @Override
    public void delete(String id, Path stateDir) {
        FakeProcess p = live.get(id);
        if (p != null && p.exit.isDone()) {
            live.remove(id);
        }
        deleted.add(id);
    }

    /** A fake container process. */
    static final class FakeProcess implements RunningContainer {
        final String id;
        final Stdio stdio;
        final List<String> args;
        final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        final List<Integer> signals = new CopyOnWriteArrayList<>();
        final List<List<String>> execs = new CopyOnWriteArrayList<>();
        volatile boolean paused;
        volatile int[] size = {0, 0};
        private final OutputStream stdin;

        FakeProcess(String id, Stdio stdio, List<String> args) {
            this.id = id;
            this.stdio = stdio;
            this.args = args;
            this.stdin = stdio.openStdin() ? new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (exit.isDone()) {
                        throw new IOException("broken pipe");
                    }
                    if (args.get(0).equals("cat")) {
                        append(stdio.stdout(), new String(b, off, len, StandardCharsets.UTF_8));
                    }
                }

                @Override
                public void close() {
                    if (args.get(0).equals("cat")) {
                        finish(0, false);
                    }
                }
            } : null;
        }

        void begin() {
            String rest = String.join(" ", args.subList(1, args.size()));
            switch (args.get(0)) {
                case "echo" -> {
                    append(stdio.stdout(), rest + "\n");
                    finishSoon(0);
                }
                case "err" -> {
                    append(stdio.stderr(), rest + "\n");
                    finishSoon(0);
                }
                case "exit" -> finishSoon(Integer.parseInt(args.get(1)));
                case "oom" -> CompletableFuture.runAsync(() -> finish(137, true),
                        CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
                default -> { }
            }
        }

        void finishSoon(int code) {
            CompletableFuture.runAsync(() -> finish(code, false),
                    CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
        }

        void finish(int code, boolean oom) {
            exit.complete(new ExitStatus(code, oom, null));
        }

        static void append(Path file, String s) {
            try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
                out.write(s.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public long pid() {
            return ProcessHandle.current().pid();
        }

        @Override
        public CompletionStage<ExitStatus> exit() {
            return exit;
        }

        @Override
        public void signal(int signal) throws IOException {
            if (exit.isDone()) {
                throw new IOException("no such process");
            }
            signals.add(signal);
            if (signal == 9) {
                finish(137, false);
            } else if (signal == 15 && !args.get(0).equals("trap")) {
                finish(143, false);
            } else if (signal == 1 || signal == 2) {
                finish(128 + signal, false);
            }
        }

        @Override
        public OutputStream stdin() {
            return stdin;
        }

        @Override
        public void resize(int height, int width) {
            size = new int[] {height, width};
        }

        @Override
        public void pause() {
            paused = true;
        }

        @Override
        public void resume() {
            paused = false;
        }

        @Override
        public List<Long> pids() {
            return List.of(ProcessHandle.current().pid());
        }

        @Override
        public ExecProcess exec(ExecLaunch launch) throws IOException {
            List<String> a = launch.process().args();
            execs.add(a);
            if (a.get(0).equals("nosuch")) {
                throw new ContainerStartException("exec: \"nosuch\": executable file not found in $PATH");
            }
            String out = a.get(0).equals("echo") ? String.join(" ", a.subList(1, a.size())) + "\n" : "";
            int code = a.get(0).equals("exit") ? Integer.parseInt(a.get(1)) : 0;
            CompletableFuture<ExitStatus> done = new CompletableFuture<>();
            CompletableFuture.runAsync(() -> done.complete(ExitStatus.code(code)),
                    CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
            boolean tty = Boolean.TRUE.equals(launch.process().terminal());
            List<String> env = new ArrayList<>(launch.process().env() == null ? List.of() : launch.process().env());
            return new ExecProcess() {
                @Override
                public long pid() {
                    return 4242;
                }

                @Override
                public InputStream stdout() {
                    return new ByteArrayInputStream((a.get(0).equals("env") ? String.join("\n", env) + "\n" : out)
                            .getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public InputStream stderr() {
                    return tty ? null : new ByteArrayInputStream(
                            (a.get(0).equals("err") ? "to stderr\n" : "").getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public OutputStream stdin() {
                    return launch.openStdin() ? OutputStream.nullOutputStream() : null;
                }

                @Override
                public void resize(int height, int width) {}

                @Override
                public void signal(int signal) {}

                @Override
                public CompletionStage<ExitStatus> exit() {
                    return done;
                }
            };
        }
    }
}
