package keel.runtime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import keel.engine.api.oci.Process;
import keel.engine.api.runtime.ContainerStartException;
import keel.engine.api.runtime.ExecLaunch;
import keel.engine.api.runtime.ExecProcess;
import keel.engine.api.runtime.ExitStatus;

/** docker exec: a new process inside a running container's namespaces and cgroups. */
class ContainerExecTest extends RuntimeFixture {

    static Process process(boolean tty, long uid, String... args) {
        List<String> caps = DockerLikeSpec.DEFAULT_CAPS;
        return new Process(tty, null, new Process.User(uid, uid, null, null, null), List.of(args),
                List.of("PATH=/bin", "WHO=exec"), "/", new Process.Capabilities(caps, caps, List.of(), caps,
                        List.of()), null, null, null, null, null);
    }

    static String all(java.io.InputStream in) throws Exception {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void anExecSeesTheContainersProcessesMountsAndHostnameAndReportsItsExitCode() throws Exception {
        Started s = start(spec("sh", "-c", "echo up; exec sleep 100"));
        ContainerProcessTest.waitForOutput(s, "up");
        ExecProcess e = s.container().exec(new ExecLaunch("e1", process(false, 0, "sh", "-c",
                "cat /proc/1/cmdline | tr '\\0' ' '; echo; hostname; echo $WHO; cat /proc/self/cgroup | "
                        + "grep -c keel-test; ls /proc | grep -cE '^[0-9]+$'; ls /proc/self/fd; echo oops >&2;"
                        + " exit 7"), false));
        String out = all(e.stdout());
        String err = all(e.stderr());
        assertEquals(ExitStatus.code(7), e.exit().toCompletableFuture().get(30, TimeUnit.SECONDS));
        String[] lines = out.split("\n");
        assertEquals("sleep 100 ", lines[0]);
        assertEquals("keeltest", lines[1]);
        assertEquals("exec", lines[2]);
        assertTrue(Integer.parseInt(lines[3]) >= 1, "not in the container's cgroups: " + out);
        assertTrue(Integer.parseInt(lines[4]) <= 4, "foreign processes: " + out);
        assertEquals(List.of("0", "1", "2", "3"), List.of(lines).subList(5, 9));
        assertEquals("oops\n", err);
        assertNull(e.stdin());
        assertTrue(e.pid() > 0);
    }

    @Test
    void anExecRunsAsItsUserWithStdin() throws Exception {
        Started s = start(spec("sleep", "100"));
        ExecProcess e = s.container().exec(new ExecLaunch("e2", process(false, 1000, "sh", "-c",
                "id -u; grep CapEff /proc/self/status; cat"), true));
        e.stdin().write("typed\n".getBytes(StandardCharsets.UTF_8));
        e.stdin().close();
        assertEquals("1000\nCapEff:\t0000000000000000\ntyped\n", all(e.stdout()));
        assertEquals(ExitStatus.code(0), e.exit().toCompletableFuture().get(30, TimeUnit.SECONDS));
    }

    @Test
    void anExecWithATerminal() throws Exception {
        Started s = start(spec("sleep", "100"));
        Process p = process(true, 0, "sh");
        ExecProcess e = s.container().exec(new ExecLaunch("e3", p, true));
        assertNull(e.stderr());
        e.resize(40, 90);
        e.stdin().write("tty; stty size; exit 3\n".getBytes(StandardCharsets.UTF_8));
        e.stdin().flush();
        String out = all(e.stdout());
        assertEquals(ExitStatus.code(3), e.exit().toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertTrue(out.contains("/dev/pts/") && out.contains("40 90"), out);
    }

    @Test
    void anExecOfAMissingProgramFailsLikeRunc() throws Exception {
        Started s = start(spec("sleep", "100"));
        ContainerStartException e = assertThrows(ContainerStartException.class,
                () -> s.container().exec(new ExecLaunch("e4", process(false, 0, "nope"), false)));
        assertEquals("exec: \"nope\": executable file not found in $PATH", e.getMessage());
    }

    @Test
    void execsDieWithTheContainer() throws Exception {
        Started s = start(spec("sleep", "100"));
        ExecProcess e = s.container().exec(new ExecLaunch("e5", process(false, 0, "sleep", "100"), false));
        s.container().signal(9);
        assertEquals(ExitStatus.code(137), s.awaitExit());
        assertEquals(ExitStatus.code(137), e.exit().toCompletableFuture().get(30, TimeUnit.SECONDS));
    }

    @Test
    void anExecWithRlimitsGoesThroughTheBarrier() throws Exception {
        Started s = start(spec("sleep", "100"));
        List<String> caps = DockerLikeSpec.DEFAULT_CAPS;
        Process p = new Process(false, null, new Process.User(1000, 1000, null, null, null),
                List.of("sh", "-c", "ulimit -n"), List.of("PATH=/bin"), "/tmp",
                new Process.Capabilities(caps, caps, List.of(), caps, List.of()),
                List.of(new Process.Rlimit("RLIMIT_NOFILE", 321, 123)), null, null, null, null);
        ExecProcess e = s.container().exec(new ExecLaunch("e6", p, false));
        assertEquals("123\n", all(e.stdout()));
        assertEquals(ExitStatus.code(0), e.exit().toCompletableFuture().get(30, TimeUnit.SECONDS));
    }
}
