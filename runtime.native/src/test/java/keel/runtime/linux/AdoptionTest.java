package keel.runtime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import keel.engine.api.runtime.ContainerLaunch;
import keel.engine.api.runtime.ExitStatus;
import keel.engine.api.runtime.RunningContainer;
import keel.engine.api.runtime.Stdio;
import keel.runtime.linux.internal.container.LinuxContainer;
import keel.runtime.linux.internal.container.NativeRuntimeCore;
import keel.runtime.linux.internal.state.ProcStat;
import keel.runtime.linux.internal.syscall.JnrLinuxKernel;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * A daemon restart: containers started by one runtime instance keep running when it goes away and are taken over
 * by the next, which learns their exit codes even when they exited while nobody watched (the pidfd kept by a
 * bind mount in the state directory, PIDFD_INFO_EXIT).
 */
class AdoptionTest extends RuntimeFixture {

    private final LinuxKernel k = JnrLinuxKernel.instance();
    private final List<NativeRuntimeCore> runtimes = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (long pid : pids) {
            try {
                k.kill(pid, 9);
                k.waitid(LinuxKernel.P_PID, pid, LinuxKernel.WEXITED);
            } catch (Exception e) {
                // exited and reaped already
            }
        }
        for (NativeRuntimeCore r : runtimes) {
            r.close();
        }
    }

    private NativeRuntimeCore newRuntime() throws Exception {
        NativeRuntimeCore r = new NativeRuntimeCore();
        runtimes.add(r);
        return r;
    }

    /** A container that runs until /tmp/go-ID exists in the rootfs, then exits 42. */
    private Started startWaiting(NativeRuntimeCore r, boolean tty) throws Exception {
        String id = newId();
        DockerLikeSpec spec = spec("sh", "-c", "while [ ! -e /tmp/go-" + id + " ]; do sleep 0.02; done; exit 42");
        spec.cgroupsPath = CGROUP_PARENT + "/" + id;
        spec.terminal = tty;
        Path bundle = spec.writeBundle(work.resolve(id + "/bundle"), rootfs);
        Path state = Files.createDirectories(work.resolve(id + "/state"));
        Path out = work.resolve(id + "/out");
        RunningContainer c = r.start(new ContainerLaunch(id, bundle, state, new Stdio(tty, tty, out, out, 0, 0)));
        pids.add(c.pid());
        return new Started(id, c, bundle, state, out, out);
    }

    private void release(Started s) throws Exception {
        Files.writeString(rootfs.resolve("tmp/go-" + s.id()), "");
    }

    @Test
    void aNewInstanceAdoptsARunningContainerAndSeesItExit() throws Exception {
        NativeRuntimeCore first = newRuntime();
        Started s = startWaiting(first, false);
        first.close();
        runtimes.remove(first);
        assertTrue(ProcStat.of(s.container().pid()).isPresent(), "the container died with its runtime");

        NativeRuntimeCore second = newRuntime();
        Optional<RunningContainer> adopted = second.adopt(s.id(), s.stateDir());
        assertTrue(adopted.isPresent());
        RunningContainer c = adopted.get();
        assertEquals(s.container().pid(), c.pid());
        assertTrue(c.pids().contains(c.pid()), c.pids().toString());
        release(s);
        assertEquals(ExitStatus.code(42), c.exit().toCompletableFuture().get(30, TimeUnit.SECONDS));
        second.delete(s.id(), s.stateDir());
        for (Path dir : CgroupDirs.of(CGROUP_PARENT + "/" + s.id())) {
            assertFalse(Files.exists(dir), dir.toString());
        }
    }

    @Test
    void anExitWhileNoRuntimeWatchedIsReadFromThePidfdKeptInTheStateDirectory() throws Exception {
        NativeRuntimeCore first = newRuntime();
        Started s = startWaiting(first, false);
        long pid = s.container().pid();
        first.close();
        runtimes.remove(first);
        release(s);
        // Meanwhile "init" (here: this JVM, still the parent) reaps the container; nobody holds a pidfd to it
        // but the bind mount in the state directory.
        LinuxKernel.WaitResult reaped = k.waitid(LinuxKernel.P_PID, pid, LinuxKernel.WEXITED);
        assertEquals(42, reaped.status());
        assertTrue(ProcStat.of(pid).isEmpty());

        NativeRuntimeCore second = newRuntime();
        RunningContainer c = second.adopt(s.id(), s.stateDir()).orElseThrow();
        assertEquals(ExitStatus.code(42), c.exit().toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertEquals("pidfd", ((LinuxContainer) c).exitSource());
        assertTrue(second.info().exitCodesSurviveRestart());
        second.delete(s.id(), s.stateDir());
        assertFalse(Files.exists(s.stateDir().resolve("pidfd")));
    }

    @Test
    void aTerminalContainerIsAdoptedWithoutItsTerminal() throws Exception {
        NativeRuntimeCore first = newRuntime();
        Started s = startWaiting(first, true);
        first.close();
        runtimes.remove(first);
        NativeRuntimeCore second = newRuntime();
        RunningContainer c = second.adopt(s.id(), s.stateDir()).orElseThrow();
        assertNull(c.stdin());
        c.resize(10, 10); // ignored
        c.signal(9);
        assertEquals(137, c.exit().toCompletableFuture().get(30, TimeUnit.SECONDS).exitCode());
        second.delete(s.id(), s.stateDir());
    }

    @Test
    void nothingToAdoptWithoutState() throws Exception {
        Path empty = Files.createDirectories(work.resolve("empty"));
        assertTrue(runtime.adopt("none", empty).isEmpty());
        runtime.delete("none", empty); // and deleting it is harmless
    }

    /**
     * The real thing: another JVM (the "old daemon") starts the container and dies without a word. This JVM is
     * made a child subreaper so the orphan becomes its child, and it reaps it, as init would, after it exits; a
     * new runtime here then adopts it from the state directory alone.
     */
    @Test
    void aContainerOutlivesTheDaemonJvmThatStartedIt() throws Exception {
        String id = newId();
        DockerLikeSpec spec = spec("sh", "-c", "while [ ! -e /tmp/go-" + id + " ]; do sleep 0.02; done; exit 23");
        spec.cgroupsPath = CGROUP_PARENT + "/" + id;
        Path bundle = spec.writeBundle(work.resolve(id + "/bundle"), rootfs);
        Path state = Files.createDirectories(work.resolve(id + "/state"));
        k.prctl(LinuxKernel.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        try {
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process daemon = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", cp, OldDaemonMain.class.getName(), id, bundle.toString(), state.toString(),
                    work.resolve(id + "/out").toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long pid;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(daemon.getInputStream(),
                    StandardCharsets.UTF_8))) {
                pid = Long.parseLong(r.readLine().trim());
            }
            pids.add(pid);
            assertEquals(0, daemon.waitFor());
            assertTrue(ProcStat.of(pid).isPresent(), "the container died with the daemon");

            NativeRuntimeCore next = newRuntime();
            // It is still running: adopted, and it was our child now, so nothing to see; let it exit unwatched.
            next.close();
            runtimes.remove(next);
            Files.writeString(rootfs.resolve("tmp/go-" + id), "");
            assertEquals(23, k.waitid(LinuxKernel.P_PID, pid, LinuxKernel.WEXITED).status());

            NativeRuntimeCore last = newRuntime();
            RunningContainer c = last.adopt(id, state).orElseThrow();
            assertEquals(ExitStatus.code(23), c.exit().toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertEquals("pidfd", ((LinuxContainer) c).exitSource());
            last.delete(id, state);
            for (Path dir : CgroupDirs.of(CGROUP_PARENT + "/" + id)) {
                assertFalse(Files.exists(dir), dir.toString());
            }
        } finally {
            k.prctl(LinuxKernel.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
        }
    }

    /** The "old daemon": starts one container, prints its PID and halts without any clean-up. */
    public static final class OldDaemonMain {
        public static void main(String[] args) throws Exception {
            NativeRuntimeCore r = new NativeRuntimeCore();
            Path out = Path.of(args[3]);
            RunningContainer c = r.start(new ContainerLaunch(args[0], Path.of(args[1]), Path.of(args[2]),
                    new Stdio(false, false, out, out, 0, 0)));
            System.out.println(c.pid());
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }
}
