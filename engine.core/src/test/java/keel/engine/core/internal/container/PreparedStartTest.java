package keel.engine.core.internal.container;

import static keel.engine.core.internal.container.ContainerFixture.await;
import static keel.engine.core.internal.container.ContainerFixture.host;
import static keel.engine.core.internal.container.ContainerFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.WaitCondition;
import keel.engine.api.runtime.ContainerLaunch;
import keel.engine.api.runtime.CreatedContainer;
import keel.engine.api.runtime.RunningContainer;
import keel.engine.core.internal.container.ContainerFixture.CollectingSink;
import keel.runtime.linux.internal.state.ProcStat;
import keel.runtime.linux.internal.state.StateStore;

/**
 * A container's first start made ahead (PreparedStart), with real parts: the native runtime holding the process
 * before its executable, network namespaces, the spec builder. What the start uses, what throws it away, and that
 * nothing of it outlives the container, the daemon or a crash.
 */
class PreparedStartTest {

    static final String CGROUP_PARENT = "/keel-core-ahead";

    @TempDir
    Path dir;
    CountingRuntime runtime;
    ContainerFixture f;
    ContainerEngine engine;

    /** The native runtime, counting creations, starts of created containers, discards and cold starts. */
    static final class CountingRuntime extends ContainerIntegrationTest.CoreRuntime {
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger startedCreated = new AtomicInteger();
        final AtomicInteger discarded = new AtomicInteger();
        final AtomicInteger coldStarts = new AtomicInteger();

        CountingRuntime() throws IOException {
            super();
        }

        @Override
        public RunningContainer start(ContainerLaunch launch) throws IOException {
            coldStarts.incrementAndGet();
            return super.start(launch);
        }

        @Override
        public CreatedContainer create(ContainerLaunch launch) throws IOException {
            CreatedContainer c = core.create(launch);
            created.incrementAndGet();
            return new CreatedContainer() {
                @Override
                public RunningContainer start() throws IOException {
                    startedCreated.incrementAndGet();
                    return c.start();
                }

                @Override
                public void discard() {
                    discarded.incrementAndGet();
                    c.discard();
                }
            };
        }
    }

    @BeforeEach
    void open() throws Exception {
        runtime = new CountingRuntime();
        f = ContainerFixture.withNamespaces(dir, runtime);
        f.settings = f.settings.withPrepareAhead(10_000);
        engine = f.open();
    }

    @AfterEach
    void close() throws Exception {
        try {
            f.close();
        } finally {
            runtime.core.close();
            f.unmountNetnsDir();
        }
    }

    @AfterAll
    static void removeCgroupParent() throws IOException {
        for (Path dir : cgroupDirs(CGROUP_PARENT)) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // not empty: a leak the tests would have reported
            }
        }
    }

    /** The directories of cgroup {@code path} in every cgroup hierarchy mounted here (v1 and v2). */
    static List<Path> cgroupDirs(String path) throws IOException {
        List<Path> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] p = line.split(" ");
            int dash = List.of(p).indexOf("-");
            if (dash > 0 && p.length > dash + 1 && (p[dash + 1].equals("cgroup") || p[dash + 1].equals("cgroup2"))) {
                out.add(Path.of(p[4] + path));
            }
        }
        return out;
    }

    private String create(String... cmd) {
        return engine.create(null, request(ContainerConfig.builder().image("busybox").cmd(List.of(cmd)).build(),
                host("cgroupParent", CGROUP_PARENT, "networkMode", "none"))).id();
    }

    /** Waits until the container's start is made ahead; returns the held process's PID. */
    private long awaitPrepared(String id) throws Exception {
        ContainerRecord r = engine.index.lookup(id);
        await(() -> {
            r.op.lock();
            try {
                return r.prepared != null;
            } finally {
                r.op.unlock();
            }
        });
        return StateStore.read(stateDir(id)).orElseThrow().pid();
    }

    /** A process that exists and is not a zombie. */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private Path stateDir(String id) {
        return f.settings.runtimeStateDir("native", id);
    }

    private int exitOf(String id) throws Exception {
        return engine.await(id, WaitCondition.NOT_RUNNING).toCompletableFuture().get(60, TimeUnit.SECONDS)
                .statusCode();
    }

    /** Nothing of a run is left: no process, namespace, bundle, runtime state or cgroup. */
    private void assertNothingLeft(String id, long heldPid) throws Exception {
        await(() -> ProcStat.of(heldPid).isEmpty());
        assertFalse(Files.exists(f.settings.netnsPath(id)), "network namespace left");
        assertFalse(Files.exists(f.settings.bundleDir(id)), "bundle left");
        assertFalse(Files.exists(stateDir(id)), "runtime state left");
        for (Path cg : cgroupDirs(CGROUP_PARENT + "/" + id)) {
            assertFalse(Files.exists(cg), "cgroup left: " + cg);
        }
    }

    @Test
    void theStartLetsThePreparedProcessGoAndNothingShowsBefore() throws Exception {
        String id = create("sh", "-c", "echo from $(hostname); exit 3");
        long pid = awaitPrepared(id);
        assertTrue(ProcStat.of(pid).isPresent());
        var before = engine.inspect(id, false);
        assertEquals("created", before.state().status());
        assertEquals(0, before.state().pid());
        assertEquals("", before.networkSettings().sandboxKey());

        engine.start(id);
        assertEquals(3, exitOf(id));
        assertEquals(1, runtime.startedCreated.get());
        assertEquals(0, runtime.coldStarts.get());
        assertEquals("from " + id.substring(0, 12) + "\n", f.logs(id));
        assertFalse(Files.exists(f.settings.netnsPath(id)), "the run's namespace goes with its exit");
        // a second start is a cold one, as any start after the first
        engine.start(id);
        assertEquals(3, exitOf(id));
        assertEquals(1, runtime.coldStarts.get());
    }

    @Test
    void aRunRmThroughThePreparedStart() throws Exception {
        String id = engine.create(null, request(ContainerConfig.builder().image("busybox")
                .cmd(List.of("echo", "hi")).build(), host("cgroupParent", CGROUP_PARENT, "networkMode", "none",
                        "autoRemove", true))).id();
        CollectingSink sink = new CollectingSink();
        engine.attach(id, new keel.engine.api.container.AttachOptions(false, true, true, false, true, null), sink);
        var removed = engine.await(id, WaitCondition.REMOVED).toCompletableFuture();
        long pid = awaitPrepared(id);
        engine.start(id);
        assertEquals(0, removed.get(60, TimeUnit.SECONDS).statusCode());
        await(() -> sink.ended);
        assertEquals("hi\n", sink.text());
        engine.awaitJanitor();
        assertNothingLeft(id, pid);
    }

    @Test
    void aContainerChangedBeforeItsStartIsStartedAfresh() throws Exception {
        String id = create("true");
        long pid = awaitPrepared(id);
        engine.rename(id, "renamed-" + id.substring(0, 6));
        engine.start(id);
        assertEquals(0, exitOf(id));
        assertEquals(1, runtime.discarded.get());
        assertEquals(0, runtime.startedCreated.get());
        assertEquals(1, runtime.coldStarts.get());
        assertTrue(ProcStat.of(pid).isEmpty(), "the held process was killed");
    }

    @Test
    void removingACreatedContainerThrowsItsPreparationAway() throws Exception {
        String id = create("true");
        long pid = awaitPrepared(id);
        engine.remove(id, false, false);
        engine.awaitJanitor();
        assertEquals(1, runtime.discarded.get());
        assertNothingLeft(id, pid);
    }

    @Test
    void aPreparationNobodyStartsExpires() throws Exception {
        engine.close();
        f.networks.close();
        f.settings = f.settings.withPrepareAhead(200);
        engine = f.open();
        String id = create("true");
        long pid = awaitPrepared(id);
        await(() -> runtime.discarded.get() == 1);
        await(() -> ProcStat.of(pid).isEmpty());
        await(() -> !Files.exists(f.settings.netnsPath(id)));
        engine.start(id); // a cold start, as after any expiry
        assertEquals(0, exitOf(id));
        assertEquals(1, runtime.coldStarts.get());
    }

    @Test
    void aDaemonThatStopsThrowsItsPreparationsAway() throws Exception {
        String id = create("true");
        long pid = awaitPrepared(id);
        engine = f.restart();
        assertEquals(1, runtime.discarded.get());
        await(() -> ProcStat.of(pid).isEmpty());
        engine.start(id);
        assertEquals(0, exitOf(id));
    }

    /**
     * A daemon that dies (no close) while a start is prepared leaves a held process, its namespace, bundle and
     * runtime state: the next daemon removes them before the container's start, which then works.
     */
    @Test
    void whatACrashLeftOfAPreparationIsRemovedBeforeTheStart() throws Exception {
        String id = create("echo", "after");
        long pid = awaitPrepared(id);
        ContainerRecord r = engine.index.lookup(id);
        PreparedStart orphan;
        r.op.lock();
        try {
            orphan = r.prepared;
            r.prepared = null; // as if the daemon died: nobody throws it away
        } finally {
            r.op.unlock();
        }
        assertNotNull(orphan);
        engine = f.restart();
        ContainerRecord again = engine.index.lookup(id);
        await(() -> {
            again.op.lock();
            try {
                return !again.leftAhead;
            } finally {
                again.op.unlock();
            }
        });
        // killed; a zombie until its parent, here a thread of the "dead daemon" still in this JVM, reaps it
        await(() -> !alive(pid));
        engine.start(id);
        assertEquals(0, exitOf(id));
        assertEquals("after\n", f.logs(id));
        assertNull(again.prepared);
        orphan.run.created.discard(); // lets this JVM's threads of the dead "daemon" go
    }
}
