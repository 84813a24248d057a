package keel.engine.core.internal.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import keel.engine.api.container.Attachment;
import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ExecConfig;
import keel.engine.api.container.ExecDetails;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.StreamSink;
import keel.engine.api.errors.EngineException;
import keel.engine.api.oci.Process;
import keel.engine.api.oci.Spec;
import keel.engine.api.runtime.ExecLaunch;
import keel.engine.api.runtime.ExecProcess;
import keel.engine.api.runtime.ExitStatus;
import keel.engine.api.runtime.RunningContainer;
import keel.engine.core.internal.container.attach.AttachInput;
import keel.engine.core.internal.container.attach.DetachKeys;
import keel.engine.core.internal.image.disk.AtomicFiles;

/**
 * {@code docker exec}: sessions created against a running container, started once, inspected until the container
 * stops (as Docker, which forgets a container's execs when it stops). The process is built by the spec side from
 * the container's own OCI process (see {@link ContainerSpecs#execProcess}).
 *
 * <p>An exec's output is not logged: it is copied from the runtime's streams to the client by one short-lived
 * thread per stream, ending after both streams are at EOF and the exit code is known (so that the client, which
 * inspects the exec as soon as its stream ends, finds the code).
 */
final class ExecSessions {

    private final ContainerEngine engine;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    ExecSessions(ContainerEngine engine) {
        this.engine = engine;
    }

    /** One exec. Mutable fields are guarded by the session's monitor. */
    static final class Session {
        final String id;
        final ContainerRecord container;
        final ExecConfig config;
        final List<String> cmd;
        final List<String> env;
        final String user;
        final String workingDir;
        final boolean tty;
        final boolean privileged;
        final boolean openStdin;
        final boolean openStdout;
        final boolean openStderr;
        final String detachKeysText;
        final byte[] detachKeys;
        final List<Integer> consoleSize;
        boolean running;
        Integer exitCode;
        long pid;
        ExecProcess process;

        Session(String id, ContainerRecord container, ExecConfig c, List<String> env, String user, String workingDir,
                byte[] keys) {
            this.id = id;
            this.container = container;
            this.config = c;
            this.cmd = List.copyOf(c.cmd());
            this.env = env;
            this.user = user;
            this.workingDir = workingDir;
            this.tty = Boolean.TRUE.equals(c.tty());
            this.privileged = Boolean.TRUE.equals(c.privileged());
            this.openStdin = Boolean.TRUE.equals(c.attachStdin());
            this.openStdout = Boolean.TRUE.equals(c.attachStdout());
            this.openStderr = Boolean.TRUE.equals(c.attachStderr());
            this.detachKeysText = c.detachKeys() == null ? "" : c.detachKeys();
            this.detachKeys = keys;
            this.consoleSize = c.consoleSize();
        }
    }

    String create(ContainerRecord r, String ref, ExecConfig c) {
        if (c == null || c.cmd() == null || c.cmd().isEmpty()) {
            throw EngineException.invalid("No exec command specified");
        }
        ContainerConfig config;
        long pid;
        synchronized (r) {
            if (!r.running) {
                throw EngineException.conflict("container " + r.id + " is not running");
            }
            if (r.paused) {
                throw EngineException.conflict("Container " + ref + " is paused, unpause the container before exec");
            }
            if (r.restarting) {
                throw EngineException.conflict("Container " + r.id
                        + " is restarting, wait until the container is running");
            }
            config = r.config;
            pid = r.pid;
        }
        byte[] keys;
        try {
            keys = DetachKeys.parse(c.detachKeys());
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid("Invalid escape keys (" + c.detachKeys() + ") provided");
        }
        if (c.user() != null && !c.user().isEmpty()) {
            engine.specs.checkUser(c.user(), rootfs(pid));
        }
        List<String> env = c.env() == null ? List.of() : List.copyOf(c.env());
        String user = c.user() == null || c.user().isEmpty() ? nz(config.user()) : c.user();
        String workingDir = c.workingDir() == null || c.workingDir().isEmpty() ? nz(config.workingDir())
                : c.workingDir();
        String id = AtomicFiles.randomHex();
        sessions.put(id, new Session(id, r, c, env, user, workingDir, keys));
        synchronized (r) {
            r.execIds.add(id);
        }
        return id;
    }

    private Session session(String id) {
        Session s = id == null ? null : sessions.get(id);
        if (s == null) {
            throw EngineException.notFound("No such exec instance: " + id);
        }
        return s;
    }

    Attachment start(String execId, boolean detach, StreamSink sink) {
        Session s = session(execId);
        synchronized (s) {
            if (s.exitCode != null) {
                throw EngineException.conflict("exec command " + s.id + " has already run");
            }
            if (s.running) {
                throw EngineException.conflict("exec command " + s.id + " is already running");
            }
            s.running = true;
        }
        ContainerRecord r = s.container;
        RunningContainer proc;
        Spec spec;
        long pid;
        ContainerConfig config;
        HostConfig hostConfig;
        synchronized (r) {
            proc = r.running && r.run != null ? r.run.process : null;
            spec = r.run == null ? null : r.run.spec;
            pid = r.pid;
            config = r.config;
            hostConfig = r.hostConfig;
            if (r.running && r.paused) {
                proc = null;
            }
        }
        ExecProcess ep;
        try {
            if (proc == null) {
                throw EngineException.conflict("container " + r.id + " is not running");
            }
            if (spec == null || spec.process() == null) {
                throw EngineException.system("the runtime spec of container " + r.id + " is not available", null);
            }
            Process p = engine.specs.execProcess(spec, s.config, rootfs(pid), config, hostConfig);
            ep = proc.exec(new ExecLaunch(s.id, p, s.openStdin));
        } catch (IOException | RuntimeException e) {
            StartErrors why = StartErrors.classify(e);
            synchronized (s) {
                s.running = false;
                // Docker: the runtime's error decides (126, 127, 128); anything before it leaves 126.
                s.exitCode = e instanceof EngineException ? StartErrors.EXIT_EACCESS : why.exitCode();
            }
            synchronized (r) {
                r.execIds.remove(s.id);
            }
            throw why.error();
        }
        synchronized (s) {
            s.process = ep;
            s.pid = ep.pid();
        }
        return copyStreams(s, ep, detach, sink);
    }

    private Attachment copyStreams(Session s, ExecProcess ep, boolean detach, StreamSink sink) {
        AtomicBoolean detached = new AtomicBoolean(detach || sink == null);
        AtomicBoolean ended = new AtomicBoolean(detach || sink == null);
        Object writeLock = new Object();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                synchronized (writeLock) {
                    ContainerEngine.endQuietly(sink);
                }
            }
        };
        List<InputStream> outputs = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        List<Boolean> wanted = new ArrayList<>();
        if (ep.stdout() != null) {
            outputs.add(ep.stdout());
            numbers.add(s.tty ? 0 : 1);
            wanted.add(s.openStdout);
        }
        if (ep.stderr() != null && !s.tty) {
            outputs.add(ep.stderr());
            numbers.add(2);
            wanted.add(s.openStderr);
        }
        AtomicInteger remaining = new AtomicInteger(outputs.size() + 1);
        Runnable done = () -> {
            if (remaining.decrementAndGet() == 0) {
                end.run();
            }
        };
        ep.exit().whenComplete((status, error) -> {
            ExitStatus st = status != null ? status : ExitStatus.unknown(String.valueOf(error));
            synchronized (s) {
                s.running = false;
                s.exitCode = st.exitCode();
            }
            synchronized (s.container) {
                s.container.execIds.remove(s.id);
            }
            done.run();
        });
        for (int i = 0; i < outputs.size(); i++) {
            InputStream in = outputs.get(i);
            int number = numbers.get(i);
            boolean forward = wanted.get(i);
            Thread t = new Thread(() -> {
                byte[] buf = new byte[32 * 1024];
                try {
                    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                        if (n == 0 || !forward || detached.get()) {
                            continue; // keep reading: a full pipe would stop the process
                        }
                        boolean more;
                        synchronized (writeLock) {
                            try {
                                more = !ended.get() && sink.write(number, buf, 0, n);
                                if (more) {
                                    sink.flush(); // a read returns what the process wrote: pass it on now
                                }
                            } catch (IOException | RuntimeException e) {
                                more = false;
                            }
                        }
                        if (!more) {
                            detached.set(true);
                        }
                    }
                } catch (IOException e) {
                    // the stream broke: the process is gone or the runtime closed it
                } finally {
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        // nothing to do
                    }
                    done.run();
                }
            }, "keel-exec-" + s.id.substring(0, 12) + "-" + (number == 2 ? "stderr" : "stdout"));
            t.setDaemon(true);
            t.start();
        }
        OutputStream input = null;
        if (!detach && s.openStdin && ep.stdin() != null) {
            input = new AttachInput(new AttachInput.Target() {
                @Override
                public OutputStream stdin() {
                    return ep.stdin();
                }

                @Override
                public void closeStdin() throws IOException {
                    ep.stdin().close();
                }

                @Override
                public void detach() {
                    detached.set(true);
                    end.run();
                }
            }, s.tty ? s.detachKeys : null, !s.tty);
        }
        OutputStream in = input;
        return new Attachment() {
            @Override
            public OutputStream stdin() {
                return in;
            }

            @Override
            public void close() {
                detached.set(true);
                end.run();
            }
        };
    }

    private static Path rootfs(long pid) {
        return Path.of("/proc", Long.toString(pid), "root");
    }

    ExecDetails inspect(String id) {
        Session s = session(id);
        synchronized (s) {
            return new ExecDetails(s.id, s.running, s.exitCode, new ExecDetails.ProcessConfig(s.tty, s.cmd.get(0),
                    s.cmd.subList(1, s.cmd.size()), s.privileged, s.user), s.openStdin, s.openStderr, s.openStdout,
                    false, s.container.id, s.detachKeysText, s.pid);
        }
    }

    void resize(String id, int height, int width) {
        Session s = session(id);
        ExecProcess p;
        synchronized (s) {
            p = s.process;
        }
        if (p == null) {
            throw EngineException.invalid("exec process is not started");
        }
        try {
            p.resize(height, width);
        } catch (IOException e) {
            throw EngineException.system("cannot resize exec " + id + ": " + e.getMessage(), e);
        }
    }

    /** The container stopped (or was removed): its execs are forgotten, as Docker does. */
    void containerStopped(ContainerRecord r) {
        List<String> ids;
        synchronized (r) {
            ids = new ArrayList<>(r.execIds);
            r.execIds.clear();
        }
        ids.forEach(sessions::remove);
        sessions.values().removeIf(s -> s.container == r && !s.running);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
