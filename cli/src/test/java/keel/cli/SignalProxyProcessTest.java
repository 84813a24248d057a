package keel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real keel process receiving real signals (kill(1)): with --sig-proxy (the default) they become kill requests
 * for the container and keel keeps running until the container exits, then exits with its code; without, SIGTERM
 * ends keel at once.
 */
class SignalProxyProcessTest {

    @TempDir
    Path dir;
    FakeDaemon daemon;
    FakeContainer container;
    Process keel;

    @BeforeEach
    void start() throws Exception {
        daemon = new FakeDaemon(dir);
        container = new FakeContainer(daemon);
    }

    @AfterEach
    void stop() throws Exception {
        container.exit.complete(0);
        if (keel != null && keel.isAlive()) {
            keel.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        daemon.close();
    }

    private Process launch(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(KeelProcess.command(args)).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().put("KEEL_HOST", daemon.host());
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static void signal(Process p, String sig) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private void awaitKills(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (container.kills().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void signalsAreForwardedAndKeelExitsWithTheContainersCode() throws Exception {
        container.output = FakeContainer.frame(1, "running\n");
        keel = launch("run", "busybox", "sleep", "100");
        assertTrue(container.started.await(30, TimeUnit.SECONDS), "keel started the container");
        Thread.sleep(300); // the forwarder subscribes right after create; leave the JVM time to settle
        signal(keel, "TERM");
        awaitKills(1);
        signal(keel, "USR1");
        signal(keel, "HUP");
        awaitKills(3);
        assertEquals(List.of("signal=TERM", "signal=USR1", "signal=HUP"), container.kills());
        assertTrue(keel.isAlive(), "the signals went to the container, not to keel");
        container.exit.complete(143);
        assertTrue(keel.waitFor(20, TimeUnit.SECONDS));
        assertEquals(143, keel.exitValue());
        assertEquals("running\n", new String(keel.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void withoutSigProxyTermEndsKeel() throws Exception {
        keel = launch("run", "--sig-proxy=false", "busybox");
        assertTrue(container.started.await(30, TimeUnit.SECONDS));
        Thread.sleep(300);
        signal(keel, "TERM");
        assertTrue(keel.waitFor(20, TimeUnit.SECONDS));
        assertEquals(143, keel.exitValue(), "killed by SIGTERM");
        assertTrue(container.kills().isEmpty());
    }
}
