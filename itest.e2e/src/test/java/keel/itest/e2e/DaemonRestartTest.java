package keel.itest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Containers across daemon restarts: created ones stay created, exited ones keep their exit codes and logs,
 * running ones keep running and are re-adopted (their output during the restart is not lost, and their exit is
 * reported with its real code), also when the daemon was killed rather than stopped.
 */
class DaemonRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void containersAreCorrectAfterAStopAndAKill() throws Exception {
        try (KeelDaemon d = KeelDaemon.start()) {
            Images.loadBusybox(d);
            Cli.docker(d, "create", "--name", "created", "busybox", "echo", "later").ok();
            assertEquals(3, Cli.docker(d, "run", "--name", "exited", "busybox", "sh", "-c", "echo before; exit 3")
                    .exit());
            Cli.docker(d, "run", "-d", "--name", "running", "busybox", "sh", "-c",
                    "i=0; while true; do echo tick$i; i=$((i+1)); sleep 0.2; done").ok();
            // Exits on its own while no daemon is running: its code must still be known afterwards.
            Cli.docker(d, "run", "-d", "--name", "exits-meanwhile", "busybox", "sh", "-c",
                    "echo going; sleep 2; exit 9").ok();
            long pid = state(d, "running").get("Pid").asLong();

            assertEquals(0, d.stop());
            Thread.sleep(3000);
            d.restart();
            check(d, pid, 9);

            // Again, but the daemon dies without a chance to save anything.
            d.kill9();
            d.restart();
            check(d, pid, 9);

            Cli.docker(d, "stop", "-t", "1", "running").ok();
            assertEquals(137, state(d, "running").get("ExitCode").asInt(), "sh ignores TERM as PID 1: killed");
            Cli.docker(d, "start", "-a", "created").ok();
            assertEquals("later\n", Cli.docker(d, "logs", "created").ok().out());
            Cli.docker(d, "rm", "-f", "created", "exited", "running", "exits-meanwhile").ok();
        }
    }

    /**
     * keeld makes a new container's first start ahead, holding its process before the executable. Killed at that
     * moment, it leaves the held process, namespace and bundle to the next daemon, which removes them: the container
     * then starts as any other, and the held process is gone.
     */
    @Test
    void aContainerCreatedJustBeforeTheDaemonIsKilledStartsAfterwards() throws Exception {
        try (KeelDaemon d = KeelDaemon.start()) {
            Images.loadBusybox(d);
            String id = Cli.docker(d, "create", "busybox", "echo", "fine").ok().out().trim();
            java.nio.file.Path state = d.execRoot.resolve("runtime/native/" + id);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!java.nio.file.Files.exists(state.resolve("held"))
                    || !java.nio.file.Files.exists(state.resolve("pidfd"))) { // the last of the hold's records
                assertTrue(System.nanoTime() < deadline, "the start was not made ahead");
                Thread.sleep(10);
            }
            long held = JSON.readTree(java.nio.file.Files.readString(state.resolve("state.json"))).get("pid")
                    .asLong();
            d.kill9();
            d.restart();
            assertEquals("fine\n", Cli.docker(d, "start", "-a", id).ok().out());
            deadline = System.nanoTime() + 20_000_000_000L;
            while (alive(held)) {
                assertTrue(System.nanoTime() < deadline, "the held process " + held + " is still there");
                Thread.sleep(10);
            }
            Cli.docker(d, "rm", id).ok();
        }
    }

    /** A process that exists and is not a zombie (whose parent, init here, may not have reaped it yet). */
    private static boolean alive(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void check(KeelDaemon d, long pid, int meanwhileCode) throws Exception {
        assertEquals("created", state(d, "created").get("Status").asText());
        JsonNode exited = state(d, "exited");
        assertEquals("exited", exited.get("Status").asText());
        assertEquals(3, exited.get("ExitCode").asInt());
        assertEquals("before\n", Cli.docker(d, "logs", "exited").ok().out());

        JsonNode running = state(d, "running");
        assertEquals("running", running.get("Status").asText());
        assertEquals(pid, running.get("Pid").asLong(), "the same process, re-adopted");
        String before = Cli.docker(d, "logs", "running").ok().out();
        Thread.sleep(700);
        String after = Cli.docker(d, "logs", "running").ok().out();
        assertTrue(after.length() > before.length(), "output keeps reaching the log after the restart");
        assertGapless(after);
        assertEquals("hi\n", Cli.docker(d, "exec", "running", "echo", "hi").ok().out());

        JsonNode meanwhile = state(d, "exits-meanwhile");
        assertEquals("exited", meanwhile.get("Status").asText());
        assertEquals(meanwhileCode, meanwhile.get("ExitCode").asInt(), meanwhile.toString());
        assertEquals("going\n", Cli.docker(d, "logs", "exits-meanwhile").ok().out());
    }

    /** tick0, tick1, ... with none missing and none twice: nothing was lost or repeated across the restart. */
    private static void assertGapless(String log) {
        int expected = 0;
        for (String line : log.lines().toList()) {
            assertEquals("tick" + expected, line, log);
            expected++;
        }
    }

    private static JsonNode state(KeelDaemon d, String name) throws Exception {
        return JSON.readTree(Cli.docker(d, "inspect", name).ok().out()).get(0).get("State");
    }
}
