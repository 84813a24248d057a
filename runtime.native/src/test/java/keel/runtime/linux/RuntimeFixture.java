package keel.runtime.linux;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.runtime.ContainerLaunch;
import keel.engine.api.runtime.ExitStatus;
import keel.engine.api.runtime.RunningContainer;
import keel.engine.api.runtime.Stdio;
import keel.runtime.linux.internal.container.NativeRuntimeCore;

/**
 * A runtime, a busybox rootfs shared by the class, and per test a work directory for bundles, state and spool
 * files. Every container a test starts is killed (by PID, through its pidfd) and deleted afterwards, and its
 * cgroups must be gone, whatever the test did.
 */
abstract class RuntimeFixture {

    static final String CGROUP_PARENT = "/keel-test";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @TempDir
    static Path shared;
    static Path rootfs;
    static NativeRuntimeCore runtime;

    @TempDir
    Path work;
    final List<Started> started = new ArrayList<>();

    /** A started container and where its files are. */
    record Started(String id, RunningContainer container, Path bundle, Path stateDir, Path stdout, Path stderr) {
        String out() throws IOException {
            return Files.exists(stdout) ? Files.readString(stdout, StandardCharsets.UTF_8) : "";
        }

        String err() throws IOException {
            return Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
        }

        ExitStatus awaitExit() throws Exception {
            return container.exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    @BeforeAll
    static void createRuntime() throws Exception {
        rootfs = BusyboxRootfs.create(shared.resolve("rootfs"));
        runtime = new NativeRuntimeCore();
    }

    @AfterAll
    static void closeRuntime() {
        if (runtime != null) {
            runtime.close();
        }
        CgroupDirs.removeParent(CGROUP_PARENT);
    }

    @AfterEach
    void killAndDelete() throws Exception {
        for (Started s : started) {
            if (!s.container().exit().toCompletableFuture().isDone()) {
                try {
                    s.container().signal(9);
                } catch (IOException e) {
                    // exited meanwhile
                }
                s.awaitExit();
            }
            runtime.delete(s.id(), s.stateDir());
            for (Path dir : CgroupDirs.of(CGROUP_PARENT + "/" + s.id())) {
                assertFalse(Files.exists(dir), "cgroup left behind: " + dir);
            }
        }
    }

    String newId() {
        return getClass().getSimpleName().toLowerCase() + "-" + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet();
    }

    DockerLikeSpec spec(String... args) {
        return new DockerLikeSpec(null, args);
    }

    Started start(DockerLikeSpec spec) throws Exception {
        return start(spec, false, false, 0, 0);
    }

    Started start(DockerLikeSpec spec, boolean tty, boolean openStdin, int height, int width) throws Exception {
        Started s = startUnrecorded(spec, tty, openStdin, height, width);
        started.add(s);
        return s;
    }

    /** A start the caller records in {@link #started} itself (from another thread). */
    Started startUnrecorded(DockerLikeSpec spec) throws Exception {
        return startUnrecorded(spec, false, false, 0, 0);
    }

    Started startUnrecorded(DockerLikeSpec spec, boolean tty, boolean openStdin, int height, int width)
            throws Exception {
        String id = newId();
        spec.cgroupsPath = CGROUP_PARENT + "/" + id;
        spec.terminal = tty;
        Path bundle = spec.writeBundle(work.resolve(id + "/bundle"), rootfs);
        Path state = Files.createDirectories(work.resolve(id + "/state"));
        Path out = work.resolve(id + "/stdout.log");
        Path err = work.resolve(id + "/stderr.log");
        RunningContainer c = runtime.start(new ContainerLaunch(id, bundle, state,
                new Stdio(tty, openStdin, out, err, height, width)));
        return new Started(id, c, bundle, state, out, err);
    }

    /** Runs a container to its end; returns it (output readable, exit known). */
    Started run(DockerLikeSpec spec) throws Exception {
        Started s = start(spec);
        s.awaitExit();
        return s;
    }
}
