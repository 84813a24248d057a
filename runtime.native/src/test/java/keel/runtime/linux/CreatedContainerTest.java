package keel.runtime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import keel.engine.api.oci.Mount;
import keel.engine.api.runtime.ContainerLaunch;
import keel.engine.api.runtime.ContainerStartException;
import keel.engine.api.runtime.CreatedContainer;
import keel.engine.api.runtime.ExitStatus;
import keel.engine.api.runtime.RunningContainer;
import keel.engine.api.runtime.Stdio;
import keel.runtime.linux.internal.container.NativeRuntimeCore;
import keel.runtime.linux.internal.state.ProcStat;
import keel.runtime.linux.internal.state.StateStore;
import keel.runtime.linux.internal.syscall.JnrLinuxKernel;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * The OCI create/start split: a created container's process waits before its executable until the start lets it
 * go, or is killed by a discard; one left created by a daemon that died is killed by the next one's delete.
 */
class CreatedContainerTest extends RuntimeFixture {

    private final LinuxKernel k = JnrLinuxKernel.instance();

    /** A launch of {@code spec} with its own bundle, state directory and output file. */
    private ContainerLaunch launch(String id, DockerLikeSpec spec) throws Exception {
        spec.cgroupsPath = CGROUP_PARENT + "/" + id;
        Path bundle = spec.writeBundle(work.resolve(id + "/bundle"), rootfs);
        Path state = Files.createDirectories(work.resolve(id + "/state"));
        Path out = work.resolve(id + "/out");
        return new ContainerLaunch(id, bundle, state, new Stdio(false, false, out, out, 0, 0));
    }

    private static long heldPid(ContainerLaunch l) throws Exception {
        return StateStore.read(l.stateDir()).orElseThrow().pid();
    }

    @Test
    void aCreatedContainerRunsItsExecutableOnlyOnceStarted() throws Exception {
        String id = newId();
        ContainerLaunch l = launch(id, spec("sh", "-c", "echo ran; exit 7"));
        CreatedContainer created = runtime.create(l);
        long pid = heldPid(l);
        assertTrue(Files.exists(l.stateDir().resolve(StateStore.HELD)));
        // Held between clone and execve: still the JVM's image, not busybox, and nothing written.
        assertEquals(Files.readSymbolicLink(Path.of("/proc/self/exe")), Files.readSymbolicLink(
                Path.of("/proc/" + pid + "/exe")));
        assertFalse(Files.exists(work.resolve(id + "/out")) && Files.size(work.resolve(id + "/out")) > 0);
        // It keeps nothing of the daemon's open (its API socket, for one) while it waits in open(2) on the
        // barrier's FIFO: its standard streams only.
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            assertEquals(List.of("0", "1", "2"), fds.map(p -> p.getFileName().toString()).sorted().toList());
        }

        RunningContainer c = created.start();
        started.add(new Started(id, c, l.bundle(), l.stateDir(), work.resolve(id + "/out"), work.resolve(id + "/out")));
        assertEquals(pid, c.pid());
        assertEquals(ExitStatus.code(7), c.exit().toCompletableFuture().get(60, TimeUnit.SECONDS));
        assertEquals("ran\n", Files.readString(work.resolve(id + "/out")));
        assertFalse(Files.exists(l.stateDir().resolve(StateStore.HELD)), "the hold is over once started");
        assertThrows(IllegalStateException.class, created::start, "started twice");
        created.discard(); // nothing: it was started
    }

    @Test
    void aDiscardedContainerLeavesNothingBehind() throws Exception {
        String id = newId();
        ContainerLaunch l = launch(id, spec("sh", "-c", "echo ran"));
        CreatedContainer created = runtime.create(l);
        long pid = heldPid(l);
        created.discard();
        created.discard(); // twice is harmless
        assertTrue(ProcStat.of(pid).isEmpty(), "the held process was killed and reaped");
        assertFalse(Files.exists(work.resolve(id + "/out")) && Files.size(work.resolve(id + "/out")) > 0,
                "the executable never ran");
        for (Path dir : CgroupDirs.of(CGROUP_PARENT + "/" + id)) {
            assertFalse(Files.exists(dir), "cgroup left behind: " + dir);
        }
        try (Stream<Path> left = Files.list(l.stateDir())) {
            assertEquals(List.of(), left.toList());
        }
        runtime.delete(id, l.stateDir());
    }

    @Test
    void aCreationThatFailsLeavesNothingBehind() throws Exception {
        String id = newId();
        DockerLikeSpec spec = spec("true");
        spec.mounts.add(new Mount("/data", "bind", "/nonexistent/keel-test-source", List.of("rbind")));
        ContainerLaunch l = launch(id, spec);
        assertThrows(ContainerStartException.class, () -> runtime.create(l));
        for (Path dir : CgroupDirs.of(CGROUP_PARENT + "/" + id)) {
            assertFalse(Files.exists(dir), "cgroup left behind: " + dir);
        }
        assertTrue(StateStore.read(l.stateDir()).isEmpty());
        assertFalse(Files.exists(l.stateDir().resolve(StateStore.HELD)));
    }

    /**
     * Another JVM (the "old daemon") creates a container and dies before its start. This JVM, made a child
     * subreaper, inherits the held process; a runtime here deletes the container, which kills the process.
     */
    @Test
    void aContainerLeftCreatedByADeadDaemonIsKilledByDelete() throws Exception {
        String id = newId();
        ContainerLaunch l = launch(id, spec("sh", "-c", "echo ran"));
        k.prctl(LinuxKernel.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        try {
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process daemon = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", cp, CreatingDaemonMain.class.getName(), id, l.bundle().toString(),
                    l.stateDir().toString(), work.resolve(id + "/out").toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long pid;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(daemon.getInputStream(),
                    StandardCharsets.UTF_8))) {
                pid = Long.parseLong(r.readLine().trim());
            }
            assertEquals(0, daemon.waitFor());
            assertTrue(ProcStat.of(pid).isPresent(), "the held process died with the daemon");

            runtime.delete(id, l.stateDir());
            LinuxKernel.WaitResult reaped = k.waitid(LinuxKernel.P_PID, pid, LinuxKernel.WEXITED);
            assertEquals(9, reaped.status(), "killed by SIGKILL");
            assertFalse(Files.exists(work.resolve(id + "/out")) && Files.size(work.resolve(id + "/out")) > 0,
                    "the executable never ran");
            for (Path dir : CgroupDirs.of(CGROUP_PARENT + "/" + id)) {
                assertFalse(Files.exists(dir), "cgroup left behind: " + dir);
            }
            assertTrue(StateStore.read(l.stateDir()).isEmpty());
        } finally {
            k.prctl(LinuxKernel.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
        }
    }

    /** The "old daemon": creates one container, prints the held process's PID and halts without any clean-up. */
    public static final class CreatingDaemonMain {
        public static void main(String[] args) throws Exception {
            NativeRuntimeCore r = new NativeRuntimeCore();
            Path out = Path.of(args[3]);
            r.create(new ContainerLaunch(args[0], Path.of(args[1]), Path.of(args[2]),
                    new Stdio(false, false, out, out, 0, 0)));
            System.out.println(StateStore.read(Path.of(args[2])).orElseThrow().pid());
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }
}
