package keel.itest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Containers with the real docker CLI against a real keeld: what a user types, what the process in the
 * container observes (namespaces, capabilities, limits), and what the CLI reports (output, exit codes, state).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainersWithDockerCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    KeelDaemon d;

    @BeforeAll
    void start() throws Exception {
        d = KeelDaemon.start();
        Images.loadBusybox(d);
    }

    @AfterAll
    void stop() throws Exception {
        Cli.docker(d, "rm", "-f", "oomer", "bomber", "logger", "sleeper", "execs");
        d.close();
    }

    @Test
    void runRmEchoPrintsHiAndLeavesNothing() throws Exception {
        Cli.Result r = Cli.docker(d, "run", "--rm", "--name", "echoer", "busybox", "echo", "hi").ok();
        assertEquals("hi\n", r.out());
        assertEquals("", Cli.docker(d, "ps", "-aq", "--filter", "name=echoer").ok().out(), "--rm removes it");
    }

    @Test
    void exitCodesAreTheContainersAndDockersOwn() throws Exception {
        assertEquals(3, Cli.docker(d, "run", "--rm", "busybox", "sh", "-c", "exit 3").exit());
        assertEquals(0, Cli.docker(d, "run", "--rm", "busybox", "true").exit());
        Cli.Result missing = Cli.docker(d, "run", "--rm", "busybox", "no-such-command");
        assertEquals(127, missing.exit(), missing.err());
        assertTrue(missing.err().contains("executable file not found"), missing.err());
        Cli.Result notExecutable = Cli.docker(d, "run", "--rm", "busybox", "/etc/passwd");
        assertEquals(126, notExecutable.exit(), notExecutable.err());
        assertEquals(125, Cli.docker(d, "run", "--rm", "--memory", "1k", "busybox", "true").exit());
        // Killed by a signal: 128 + the signal, as docker reports it. (From outside: the kernel protects a PID
        // namespace's init from signals sent inside it.)
        Cli.docker(d, "run", "-d", "--name", "killed", "busybox", "sleep", "300").ok();
        Cli.docker(d, "kill", "killed").ok();
        assertEquals("137\n", Cli.docker(d, "wait", "killed").ok().out());
        Cli.docker(d, "rm", "killed").ok();
    }

    @Test
    void theProcessSeesOnlyItsOwnContainer() throws Exception {
        String out = Cli.docker(d, "run", "--rm", "--hostname", "boxy", "busybox", "sh", "-c",
                "ps -o pid,comm; echo ---; hostname; grep CapBnd /proc/self/status; ls /proc/self/fd").ok().out();
        String[] parts = out.split("---\n");
        List<String> processes = parts[0].lines().skip(1).map(String::trim).toList();
        assertEquals(List.of("1 sh", "2 ps"), processes, out);
        assertTrue(parts[1].startsWith("boxy\n"), out);
        assertTrue(parts[1].contains("CapBnd:\t00000000a80425fb"), out);
        assertEquals(List.of("0", "1", "2", "3"), parts[1].lines().skip(2).toList(), "no daemon fd leaks in");
    }

    @Test
    void outOfMemoryIs137AndOomKilled() throws Exception {
        Cli.Result r = Cli.docker(d, "run", "--name", "oomer", "--memory", "16m", "--memory-swap", "16m", "busybox",
                "sh", "-c", "x=a; while true; do x=$x$x; done");
        assertEquals(137, r.exit(), r.err());
        JsonNode state = JSON.readTree(Cli.docker(d, "inspect", "oomer").ok().out()).get(0).get("State");
        assertTrue(state.get("OOMKilled").asBoolean(), state.toString());
        assertEquals(137, state.get("ExitCode").asInt());
        Cli.docker(d, "rm", "oomer").ok();
    }

    @Test
    void pidsLimitStopsAForkBomb() throws Exception {
        // A bounded fork bomb: each shell forks two more, 12 levels deep, and gives up when fork fails.
        Cli.Result r = Cli.docker(d, "run", "--name", "bomber", "--pids-limit", "20", "busybox", "sh", "-c",
                "b() { [ $1 -gt 0 ] && { b $(($1-1)) & b $(($1-1)) & wait; }; }; b 12 2>/dev/null; "
                        + "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max; echo done");
        assertTrue(r.out().contains("20"), r.out() + r.err());
        assertTrue(r.out().contains("done"), r.out());
        Cli.docker(d, "rm", "-f", "bomber").ok();
    }

    @Test
    void logsFollowShowLinesAsTheyComeAndEndWithTheContainer() throws Exception {
        Cli.docker(d, "run", "-d", "--name", "logger", "busybox", "sh", "-c",
                "for i in 1 2 3; do echo line$i; sleep 0.3; done; echo err >&2").ok();
        Cli.Result follow = Cli.docker(d, "logs", "-f", "logger").ok();
        assertEquals("line1\nline2\nline3\n", follow.out());
        assertEquals("err\n", follow.err());
        // --tail counts entries of both streams, as docker's: the last two are line3 (stdout) and err (stderr).
        Cli.Result tail = Cli.docker(d, "logs", "--tail", "2", "logger").ok();
        assertEquals("line3\n", tail.out());
        assertEquals("err\n", tail.err());
        String withTimes = Cli.docker(d, "logs", "-t", "logger").ok().out();
        assertTrue(withTimes.lines().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z line\\d")), withTimes);
        Path logPath = Path.of(JSON.readTree(Cli.docker(d, "inspect", "logger").ok().out()).get(0).get("LogPath")
                .asText());
        String firstLine = Files.readAllLines(logPath).get(0);
        assertTrue(firstLine.matches("\\{\"log\":\"line1\\\\n\",\"stream\":\"stdout\",\"time\":\"\\S+Z\"}"),
                firstLine);
        Cli.docker(d, "rm", "logger").ok();
    }

    @Test
    void stopSendsTermThenKillAndReportsTheExit() throws Exception {
        Cli.docker(d, "run", "-d", "--name", "sleeper", "busybox", "sh", "-c",
                "trap 'echo bye; exit 42' TERM; while true; do sleep 0.1; done").ok();
        Cli.docker(d, "stop", "sleeper").ok();
        assertEquals("42\n", Cli.docker(d, "wait", "sleeper").ok().out());
        assertEquals("bye\n", Cli.docker(d, "logs", "sleeper").ok().out());
        String status = Cli.docker(d, "ps", "-a", "--filter", "name=sleeper", "--format", "{{.Status}}").ok().out();
        assertTrue(status.startsWith("Exited (42)"), status);
        Cli.docker(d, "rm", "sleeper").ok();
    }

    @Test
    void execRunsInTheContainerWithItsOwnExitCode() throws Exception {
        Cli.docker(d, "run", "-d", "--name", "execs", "busybox", "sleep", "300").ok();
        assertEquals("hello\n", Cli.docker(d, "exec", "execs", "echo", "hello").ok().out());
        assertEquals(5, Cli.docker(d, "exec", "execs", "sh", "-c", "exit 5").exit());
        Path input = Files.createTempFile(d.root, "stdin", ".txt");
        Files.writeString(input, "piped\n");
        assertEquals("piped\n", Cli.dockerWithInput(d, input, "exec", "-i", "execs", "cat").ok().out());
        String ps = Cli.docker(d, "exec", "execs", "ps", "-o", "pid,comm").ok().out();
        assertTrue(ps.contains("1 sleep"), ps);
        Cli.Result missing = Cli.docker(d, "exec", "execs", "no-such-command");
        assertEquals(127, missing.exit(), missing.err());
        assertTrue((missing.out() + missing.err()).contains("executable file not found"), missing.toString());
        String top = Cli.docker(d, "top", "execs").ok().out();
        assertTrue(top.contains("sleep 300"), top);
        Cli.docker(d, "pause", "execs").ok();
        assertEquals("paused\n", Cli.docker(d, "inspect", "-f", "{{.State.Status}}", "execs").ok().out());
        Cli.docker(d, "unpause", "execs").ok();
        Cli.docker(d, "rm", "-f", "execs").ok();
    }

    @Test
    void interactiveShellInARealTerminal() throws Exception {
        // The docker CLI under a pty: the terminal goes raw, the shell prompt comes back, commands run, exit ends it.
        String script = "[{\"expect\":\"# \"},{\"send\":\"stty size; echo inside-$((6*7))\\r\"},"
                + "{\"expect\":\"inside-42\"},{\"send\":\"exit 4\\r\"}]";
        Session s = pty(script, "run", "-it", "--rm", "busybox", "sh");
        assertTrue(s.output().contains("24 80"), s.output());
        assertTrue(s.output().contains("inside-42"), s.output());
        assertEquals(4, s.exit(), s.output());
    }

    @Test
    void execInteractiveInARealTerminal() throws Exception {
        Cli.docker(d, "run", "-d", "--name", "ttyexec", "busybox", "sleep", "300").ok();
        try {
            String script = "[{\"expect\":\"# \"},{\"send\":\"tty; echo $((2+3))x\\r\"},{\"expect\":\"5x\"},"
                    + "{\"send\":\"exit\\r\"}]";
            Session s = pty(script, "exec", "-it", "ttyexec", "sh");
            assertTrue(s.output().contains("/dev/pts/"), s.output());
            assertEquals(0, s.exit(), s.output());
        } finally {
            Cli.docker(d, "rm", "-f", "ttyexec");
        }
    }

    record Session(String output, int exit) {}

    Session pty(String script, String... dockerArgs) throws Exception {
        Path helper = Path.of(getClass().getResource("/pty_session.py").toURI());
        List<String> cmd = new ArrayList<>(List.of("python3", helper.toString(), "24", "80", script, "--", "docker",
                "-H", d.host()));
        cmd.addAll(List.of(dockerArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DOCKER_CONFIG", d.root.resolve("docker-config").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        int at = out.lastIndexOf("\nEXIT ");
        assertTrue(at >= 0, out);
        return new Session(out.substring(0, at), Integer.parseInt(out.substring(at + 6).trim()));
    }
}
