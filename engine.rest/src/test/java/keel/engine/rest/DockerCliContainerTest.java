package keel.engine.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import keel.engine.rest.DockerCliProcess.Result;
import keel.engine.api.container.HostConfig;

/**
 * The real docker CLI (28.x) running containers against the server with a fake engine: create, run (attached,
 * interactive, with a terminal, auto-removed, exit codes), ps, inspect, logs, the life cycle and exec. This is the
 * acceptance test of the hijacked streams: the CLI's own stdcopy demultiplexing, its half-close at the end of stdin
 * and its wait-before-start ordering all have to work for these commands to finish with the right output and code.
 */
class DockerCliContainerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture(dir.resolve("srv"));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private ProcessBuilder cli(List<String> command) throws Exception {
        return DockerCliProcess.isolated(new ProcessBuilder(command), dir);
    }

    private List<String> dockerCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", api.host()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Result docker(String... args) throws Exception {
        return dockerWithInput(null, args);
    }

    /** Runs the CLI with {@code input} (or nothing) on a pipe as its stdin. */
    private Result dockerWithInput(String input, String... args) throws Exception {
        return DockerCliProcess.run(dir, api.host(), Map.of(), input, args);
    }

    /**
     * Runs the CLI on a 24x80 pseudo-terminal (python's pty: the CLI insists on a real terminal for -t), answering
     * each expected text with keystrokes; the terminal's output comes back as stdout.
     */
    private Result dockerOnTerminal(List<String> dialogue, String... args) throws Exception {
        Path script = Path.of(getClass().getResource("pty_run.py").toURI());
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), "24", "80", "45"));
        cmd.addAll(dialogue);
        cmd.add("--");
        cmd.addAll(dockerCommand(args));
        ProcessBuilder pb = cli(cmd);
        Path out = dir.resolve("tty-out");
        Path err = dir.resolve("tty-err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " on a terminal did not finish");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    // --- create, start, inspect, ps ------------------------------------------------------------------------------

    @Test
    void createStartPsAndInspect() throws Exception {
        Result created = docker("create", "--name", "web", "-e", "A=1", "-m", "256m", "--cpus", "1.5", "--ulimit",
                "nofile=1024:2048", "--cap-add", "NET_ADMIN", "--log-opt", "max-size=10m", "--init", "--tmpfs",
                "/run:size=64m", "-v", "/srv:/srv:ro", "-p", "8080:80", "--restart", "on-failure:3", "busybox",
                "sleep").ok();
        String id = created.out().strip();
        assertTrue(id.matches("[0-9a-f]{64}"), created.out());
        HostConfig h = api.containers.lastCreate.hostConfig();
        assertEquals(268435456L, h.memory());
        assertEquals(1_500_000_000L, h.nanoCpus());
        assertEquals(List.of(new HostConfig.Ulimit("nofile", 1024, 2048)), h.ulimits());
        // The CLI normalises capability names.
        assertEquals(List.of("CAP_NET_ADMIN"), h.capAdd());
        assertEquals(Map.of("max-size", "10m"), h.logConfig().config());
        assertEquals(Boolean.TRUE, h.init());
        assertEquals(Map.of("/run", "size=64m"), h.tmpfs());
        assertEquals(List.of("/srv:/srv:ro"), h.binds());
        assertEquals("8080", h.portBindings().get("80/tcp").get(0).hostPort());
        assertEquals(new HostConfig.RestartPolicy("on-failure", 3), h.restartPolicy());
        assertEquals(List.of("A=1"), api.containers.lastCreate.config().env());
        assertEquals(List.of("sleep"), api.containers.lastCreate.config().cmd());

        assertEquals("web", docker("start", "web").ok().out().strip());
        Result ps = docker("ps").ok();
        assertTrue(ps.out().matches("(?s).*" + id.substring(0, 12) + "\\s+busybox\\s+\"sleep\"\\s+.*Up 3 seconds\\s+"
                + "443/tcp, 0\\.0\\.0\\.0:8080->80/tcp\\s+web\\s*"), ps.out());

        Result inspect = docker("inspect", "web").ok();
        JsonNode d = JSON.readTree(inspect.out()).get(0);
        assertEquals(id, d.get("Id").asText());
        assertEquals("/web", d.get("Name").asText());
        assertTrue(d.at("/State/Running").asBoolean());
        Result f = docker("inspect", "-f", "{{.State.Status}} {{.HostConfig.Memory}} {{.NetworkSettings.IPAddress}} "
                + "{{.State.OOMKilled}} {{.Config.Image}}", "web").ok();
        assertEquals("running 268435456 172.17.0.2 false busybox", f.out().strip());

        Result missing = docker("inspect", "nothing");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("No such object: nothing"), missing.err());
    }

    @Test
    void psAllAndFormats() throws Exception {
        docker("create", "--name", "idle", "busybox", "echo", "x").ok();
        docker("run", "-d", "--name", "busy", "busybox", "sleep").ok();
        Result all = docker("ps", "-a", "--format", "{{.Names}}|{{.Status}}|{{.Command}}|{{.Ports}}").ok();
        assertTrue(all.out().contains("idle|Created|\"echo x\"|443/tcp, 0.0.0.0:8080->80/tcp"), all.out());
        assertTrue(all.out().contains("busy|Up 3 seconds|\"sleep\"|443/tcp, 0.0.0.0:8080->80/tcp"), all.out());
        Result q = docker("ps", "-q").ok();
        assertEquals(1, q.out().strip().lines().count(), q.out());
        docker("ps", "-a", "--filter", "status=exited").ok();
        assertEquals(Map.of("status", List.of("exited")), api.containers.lastFilters);
    }

    // --- run ------------------------------------------------------------------------------------------------------

    @Test
    void runPrintsTheOutputAndRemovesTheContainer() throws Exception {
        Result r = docker("run", "--rm", "busybox", "echo", "hi").ok();
        assertEquals("hi\n", r.out());
        assertEquals("", r.err());
        // The CLI attaches and waits before it starts; with --rm it waits for the removal.
        List<String> calls = api.containers.calls;
        int attach = indexOf(calls, "attach ");
        int waitRemoved = indexOf(calls, "wait ");
        int start = indexOf(calls, "start ");
        assertTrue(attach >= 0 && attach < start && waitRemoved < start, calls.toString());
        assertTrue(calls.get(waitRemoved).endsWith("REMOVED"), calls.toString());
        assertTrue(api.containers.containers.isEmpty(), "auto-removed");
        assertEquals(Boolean.TRUE, api.containers.lastCreate.hostConfig().autoRemove());
    }

    @Test
    void runPassesTheExitCodeAndStderrOn() throws Exception {
        Result three = docker("run", "busybox", "sh", "-c", "exit 3");
        assertEquals(3, three.exit(), three.err());
        assertEquals("", three.out());

        Result err = docker("run", "--rm", "busybox", "stderr", "oops");
        assertEquals(0, err.exit(), err.err());
        assertEquals("", err.out());
        assertEquals("oops\n", err.err());
    }

    @Test
    void runInteractiveEchoesPipedStdin() throws Exception {
        Result r = dockerWithInput("hello\nworld\n", "run", "-i", "--rm", "busybox", "cat").ok();
        assertEquals("hello\nworld\n", r.out());
        assertEquals(Boolean.TRUE, api.containers.lastCreate.config().openStdin());
        assertEquals(Boolean.TRUE, api.containers.lastCreate.config().stdinOnce());
        assertTrue(api.containers.lastAttach.stdin());
    }

    @Test
    void runDetachedThenLogsAndWait() throws Exception {
        String id = docker("run", "-d", "--name", "job", "busybox", "echo", "done").ok().out().strip();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        assertEquals("0", docker("wait", "job").ok().out().strip());
        assertEquals("done\n", docker("logs", "job").ok().out());
        Result ts = docker("logs", "-t", "--since", "2020-01-01T00:00:00Z", "--tail", "5", "job").ok();
        assertEquals("2026-11-23T10:00:00.000000000Z done\n", ts.out());
        assertEquals(5, api.containers.lastLogs.tail());
        assertEquals(1577836800L * 1_000_000_000L, api.containers.lastLogs.sinceNanos());

        docker("run", "-d", "--name", "noisy", "busybox", "stderr", "to-stderr").ok();
        docker("wait", "noisy").ok();
        Result split = docker("logs", "noisy");
        assertEquals(0, split.exit());
        assertEquals("", split.out());
        assertEquals("to-stderr\n", split.err());
    }

    @Test
    void startAttachedPrintsTheOutputAndTheExitCode() throws Exception {
        docker("create", "--name", "once", "busybox", "echo", "again").ok();
        assertEquals("again\n", docker("start", "-a", "once").ok().out());
        docker("create", "--name", "fails", "busybox", "exit", "4").ok();
        assertEquals(4, docker("start", "-a", "fails").exit());
    }

    @Test
    void runWithATerminal() throws Exception {
        Result r = dockerOnTerminal(List.of("/ # ", "hello\\r", "HELLO", "exit 5\\r"), "run", "-it", "--name", "term",
                "busybox", "sh");
        assertEquals(5, r.exit(), "output: " + r.out() + " err: " + r.err());
        assertTrue(r.out().contains("/ # hello\r\nHELLO\r\n/ # exit 5"), r.out());
        assertEquals(Boolean.TRUE, api.containers.lastCreate.config().tty());
        assertEquals(List.of(24, 80), api.containers.lastCreate.hostConfig().consoleSize());
    }

    // --- life cycle --------------------------------------------------------------------------------------------

    @Test
    void lifeCycleCommands() throws Exception {
        docker("run", "-d", "--name", "web", "busybox", "sleep").ok();
        assertEquals("web", docker("pause", "web").ok().out().strip());
        assertTrue(docker("ps", "--format", "{{.Status}}").ok().out().contains("(Paused)"));
        assertEquals("web", docker("unpause", "web").ok().out().strip());
        Result top = docker("top", "web").ok();
        assertTrue(top.out().matches("(?s)UID\\s+PID\\s+PPID.*root\\s+4242\\s+4200.*sleep.*"), top.out());
        docker("rename", "web", "api").ok();
        assertTrue(api.containers.calls.contains("rename /web api"));
        assertEquals("api", docker("stop", "-t", "2", "api").ok().out().strip());
        assertTrue(api.containers.calls.contains("stop /api t=2 signal=null"));
        assertEquals("143", docker("wait", "api").ok().out().strip());
        docker("start", "api").ok();
        assertEquals("api", docker("kill", "-s", "SIGHUP", "api").ok().out().strip());
        assertTrue(api.containers.calls.contains("kill /api signal=SIGHUP"));
        Result again = docker("kill", "api");
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("is not running"), again.err());
        docker("start", "api").ok();
        Result busy = docker("rm", "api");
        assertEquals(1, busy.exit());
        assertTrue(busy.err().contains("container is running"), busy.err());
        assertEquals("api", docker("rm", "-f", "-v", "api").ok().out().strip());
        assertTrue(api.containers.containers.isEmpty());
        Result gone = docker("stop", "api");
        assertNotEquals(0, gone.exit());
        assertTrue(gone.err().contains("No such container: api"), gone.err());
    }

    // --- exec -----------------------------------------------------------------------------------------------------

    @Test
    void execWithPipedStdinAndExitCode() throws Exception {
        docker("run", "-d", "--name", "box", "busybox", "sleep").ok();
        Result cat = dockerWithInput("abc\n", "exec", "-i", "box", "cat").ok();
        assertEquals("abc\n", cat.out());
        Result echo = docker("exec", "box", "echo", "from", "exec").ok();
        assertEquals("from exec\n", echo.out());
        Result code = docker("exec", "box", "exit", "7");
        assertEquals(7, code.exit(), code.err());
        Result detached = docker("exec", "-d", "box", "echo", "quiet").ok();
        assertEquals("", detached.out());
        Result notRunning = docker("exec", "nope", "true");
        assertEquals(1, notRunning.exit());
        assertTrue(notRunning.err().contains("No such container: nope"), notRunning.err());
    }

    @Test
    void execWithATerminal() throws Exception {
        docker("run", "-d", "--name", "box", "busybox", "sleep").ok();
        Result r = dockerOnTerminal(List.of("/ # ", "ls\\r", "LS", "\\x04"), "exec", "-it", "box", "sh");
        assertEquals(0, r.exit(), "output: " + r.out() + " err: " + r.err());
        assertTrue(r.out().contains("/ # ls\r\nLS\r\n/ # "), r.out());
        FakeContainerService.FakeExec exec = api.containers.execs.values().iterator().next();
        assertEquals(Boolean.TRUE, exec.config.tty());
        assertEquals(List.of(24, 80), exec.config.consoleSize());
    }

    private static int indexOf(List<String> calls, String prefix) {
        synchronized (calls) {
            for (int i = 0; i < calls.size(); i++) {
                if (calls.get(i).startsWith(prefix)) {
                    return i;
                }
            }
        }
        return -1;
    }
}
