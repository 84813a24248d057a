package keel.itest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and stopping keeld as an operator does: its flags, its socket, its pidfile, SIGTERM. */
class DaemonLifecycleTest {

    @Test
    void answersPingWithinTwoSecondsAndStopsCleanlyOnSigterm() throws Exception {
        try (KeelDaemon d = KeelDaemon.start()) {
            assertTrue(d.startupMillis() < 2000, "first /_ping answered after " + d.startupMillis() + " ms");
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(d.socket)));
            assertEquals(d.pid(), Long.parseLong(Files.readString(d.pidFile).trim()));

            assertEquals(0, d.stop());
            assertFalse(Files.exists(d.socket), "the socket is removed on a clean stop");
            assertFalse(Files.exists(d.pidFile), "the pidfile is removed on a clean stop");
        }
    }

    @Test
    void badFlagsAndConfigurationFilesStopTheDaemonWithDockerdsMessages(@TempDir Path dir) throws Exception {
        Result r = keeld(dir, "--bogus");
        assertEquals(1, r.exit());
        assertTrue(r.output().contains("unknown flag: --bogus"), r.output());

        Path config = dir.resolve("daemon.json");
        Files.writeString(config, "{\"data-root\": \"/x\", \"no-such-option\": 1}");
        r = keeld(dir, "--config-file", config.toString());
        assertEquals(1, r.exit());
        assertTrue(r.output().contains("the following directives don't match any configuration option: "
                + "no-such-option"), r.output());

        Files.writeString(config, "{\"data-root\": \"/x\"}");
        r = keeld(dir, "--config-file", config.toString(), "--data-root", dir.resolve("d").toString());
        assertEquals(1, r.exit());
        assertTrue(r.output().contains("specified both as a flag and in the configuration file"), r.output());

        r = keeld(dir, "-H", "tcp://0.0.0.0:2375");
        assertEquals(1, r.exit());
        assertTrue(r.output().contains("loopback"), r.output());
    }

    @Test
    void readsDaemonJsonAndListensOnLoopbackTcpToo(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("daemon.json");
        Files.writeString(config, "{\"labels\": [\"site=lab\"], \"storage-driver\": \"vfs\"}");
        try (KeelDaemon d = KeelDaemon.start("--config-file", config.toString(), "-H", "tcp://127.0.0.1:23751")) {
            Cli.Result info = Cli.docker(d, "-H", "tcp://127.0.0.1:23751", "info").ok();
            assertTrue(info.out().contains("Storage Driver: vfs"), info.out());
            assertTrue(info.out().contains("site=lab"), info.out());
        }
    }

    @Test
    void refusesToRunTwiceOnOnePidfile() throws Exception {
        try (KeelDaemon d = KeelDaemon.start()) {
            Result r = keeld(d.root, "--pidfile", d.pidFile.toString(), "-H", "unix://" + d.root.resolve("b.sock"));
            assertEquals(1, r.exit());
            assertTrue(r.output().contains("is still running"), r.output());
            assertTrue(d.ping(), "the first daemon keeps serving");
        }
    }

    record Result(int exit, String output) {}

    /** Runs keeld expecting it to exit by itself (on bad options); its own paths under dir. */
    static Result keeld(Path dir, String... flags) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(KeelDaemon.REPO.resolve("bin/keeld").toString(),
                "--exec-root", dir.resolve("exec").toString()));
        if (!List.of(flags).contains("--data-root")) {
            cmd.addAll(List.of("--data-root", dir.resolve("data").toString()));
        }
        if (!List.of(flags).contains("--pidfile")) {
            cmd.addAll(List.of("--pidfile", dir.resolve("keel.pid").toString()));
        }
        if (!List.of(flags).contains("-H")) {
            cmd.addAll(List.of("-H", "unix://" + dir.resolve("k.sock")));
        }
        cmd.addAll(List.of(flags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("keeld did not exit on bad options: " + cmd);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
