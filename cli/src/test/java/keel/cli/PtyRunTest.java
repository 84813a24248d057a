package keel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
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

import keel.cli.internal.json.JsonReader;

/**
 * {@code keel run -it} in a real pseudo-terminal (python's pty module drives it, as a user at a terminal would): the
 * terminal is raw while the container runs (a key without newline reaches the container), the container's TTY gets
 * the terminal's size at create and at start, and again after a resize (SIGWINCH); ctrl-p ctrl-q ends keel with 0
 * and leaves the container running; afterwards the terminal is back in cooked mode with echo.
 */
class PtyRunTest {

    @TempDir
    Path dir;
    FakeDaemon daemon;
    FakeContainer container;

    @BeforeEach
    void start() throws Exception {
        daemon = new FakeDaemon(dir);
        container = new FakeContainer(daemon);
        container.tty = true;
        container.output = "READY\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    @AfterEach
    void stop() throws Exception {
        container.exit.complete(0);
        daemon.close();
    }

    /** Runs keel under pty_run.py and returns its report. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> underPty(String mode, String... keelArgs) throws Exception {
        Path script = dir.resolve("pty_run.py");
        try (InputStream in = PtyRunTest.class.getResourceAsStream("pty_run.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), mode));
        cmd.addAll(KeelProcess.command(keelArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("KEEL_HOST", daemon.host());
        Process p = pb.start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), json);
        return (Map<String, Object>) JsonReader.parse(json);
    }

    @Test
    @SuppressWarnings("unchecked")
    void runItIsRawSizedAndDetaches() throws Exception {
        Map<String, Object> report = underPty("detach", "run", "-it", "busybox", "sh");
        String output = (String) report.get("output");
        assertEquals(true, report.get("ready"), output);
        assertEquals(true, report.get("echo_off"), "raw mode: no echo\n" + output);
        assertEquals(true, report.get("icanon_off"), "raw mode: no line editing\n" + output);
        assertEquals(true, report.get("isig_off"), "raw mode: ctrl-c is a byte\n" + output);
        assertEquals("x", container.stdinText(), "a single key went through without a newline");
        assertEquals(true, report.get("ended"), output);
        assertEquals(0L, report.get("keel_exit"), "ctrl-p ctrl-q: keel exits 0\n" + output);
        assertEquals(true, report.get("restored_echo"), "echo is back\n" + output);
        assertEquals(true, report.get("restored_icanon"), "line editing is back\n" + output);
        assertFalse(container.exit.isDone(), "the container keeps running");

        List<String> calls = new ArrayList<>();
        for (FakeDaemon.Request r : daemon.apiRequests()) {
            calls.add(r.method + " " + r.path().replace(FakeContainer.ID, "ID") + "?" + r.query());
        }
        assertTrue(calls.contains("POST /containers/ID/resize?h=30&w=100"), calls.toString());
        assertTrue(calls.contains("POST /containers/ID/resize?h=50&w=132"), "resized on SIGWINCH: " + calls);
        assertTrue(calls.indexOf("POST /containers/ID/resize?h=30&w=100")
                > calls.indexOf("POST /containers/ID/start?"), calls.toString());
        assertFalse(calls.stream().anyMatch(c -> c.contains("/stop") || c.contains("signal=KILL")
                || c.contains("signal=TERM")), "nothing stopped the container: " + calls);
        Map<String, Object> hostConfig = (Map<String, Object>) ((Map<String, Object>) JsonReader.parse(
                daemon.apiRequests().get(0).body)).get("HostConfig");
        assertEquals(List.of(30L, 100L), hostConfig.get("ConsoleSize"));
    }

    @Test
    void aTermSignalThatEndsKeelStillRestoresTheTerminal() throws Exception {
        // Without --sig-proxy SIGTERM ends keel itself: the restore then runs as a shutdown hook.
        Map<String, Object> report = underPty("term", "run", "-it", "--sig-proxy=false", "busybox", "sh");
        String output = (String) report.get("output");
        assertEquals(true, report.get("echo_off"), output);
        assertEquals(143L, report.get("keel_exit"), "ended by SIGTERM\n" + output);
        assertEquals(true, report.get("restored_echo"), "echo is back\n" + output);
        assertEquals(true, report.get("restored_icanon"), "line editing is back\n" + output);
    }
}
