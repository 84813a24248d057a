package keel.engine.core.internal.container;

import static keel.engine.core.internal.container.ContainerFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.container.ContainerDetails;
import keel.engine.api.errors.EngineException.Kind;
import keel.engine.api.runtime.ContainerRuntime;

/**
 * A daemon restart: running containers are adopted and their output resumes where it stopped; a container that
 * exited meanwhile is recorded as exited, with its exit code when the runtime kept it and an explanation when not;
 * created and exited containers stay as they were.
 */
class ContainerRecoveryTest {

    @TempDir
    Path dir;
    FakeRuntime runtime;
    ContainerFixture f;

    @BeforeEach
    void open() throws Exception {
        runtime = new FakeRuntime();
        f = new ContainerFixture(dir, runtime, new ContainerFixture.StubSpecs());
        f.open();
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aRunningContainerIsAdoptedAndItsOutputResumes() throws Exception {
        String id = f.run("svc", "sleep");
        FakeRuntime.FakeProcess p = runtime.live.get(id);
        FakeRuntime.FakeProcess.append(p.stdio.stdout(), "before\n");
        await(() -> f.logs(id).equals("before\n"));
        f.engine.close();
        FakeRuntime.FakeProcess.append(p.stdio.stdout(), "while down\n");
        ContainerEngine engine = f.open();
        ContainerDetails d = engine.inspect("svc", false);
        assertTrue(d.state().running());
        await(() -> f.logs(id).equals("before\nwhile down\n"));
        FakeRuntime.FakeProcess.append(p.stdio.stdout(), "after\n");
        await(() -> f.logs(id).equals("before\nwhile down\nafter\n"));
        engine.stop(id, 5, null);
        assertEquals(143, engine.inspect(id, false).state().exitCode());
    }

    @Test
    void aContainerThatExitedWhileDownIsRecordedWithoutAGuessedExitCode() throws Exception {
        String id = f.run(null, "sleep");
        FakeRuntime.FakeProcess p = runtime.live.get(id);
        f.engine.close();
        FakeRuntime.FakeProcess.append(p.stdio.stdout(), "last words\n");
        p.finish(3, false);
        ContainerEngine engine = f.open();
        engine.await(id, keel.engine.api.container.WaitCondition.NOT_RUNNING).toCompletableFuture()
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        ContainerDetails d = engine.inspect(id, false);
        assertEquals("exited", d.state().status());
        assertEquals(-1, d.state().exitCode());
        assertTrue(d.state().error().contains("exit code is not known"), d.state().error());
        assertEquals("last words\n", f.logs(id), "output written before the exit is not lost");
        assertTrue(engine.warnings().stream().anyMatch(w -> w.contains(id.substring(0, 12))));
    }

    @Test
    void aRuntimeThatKeepsExitCodesGivesTheRealOne() throws Exception {
        runtime.keepsExitCodes = true;
        String id = f.run(null, "sleep");
        FakeRuntime.FakeProcess p = runtime.live.get(id);
        f.engine.close();
        p.finish(3, false);
        ContainerEngine engine = f.open();
        engine.await(id, keel.engine.api.container.WaitCondition.NOT_RUNNING).toCompletableFuture()
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(3, engine.inspect(id, false).state().exitCode());
        assertEquals("", engine.inspect(id, false).state().error());
    }

    @Test
    void adoptionWaitsForTheRuntimeToArrive() throws Exception {
        String id = f.run(null, "sleep");
        f.engine.close();
        f.runtimes.remove(runtime);
        ContainerEngine engine = f.open();
        assertTrue(engine.inspect(id, false).state().running(), "still recorded as running");
        var e = ContainerFixture.expect(() -> {
            engine.stop(id, 1, null);
            return null;
        });
        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(engine.warnings().stream().anyMatch(w -> w.contains("waits for runtime native")));
        f.runtimes.add(runtime, Map.of(ContainerRuntime.NAME_PROPERTY, "native"));
        await(() -> {
            synchronized (engine.index.byId(id)) {
                Run run = engine.index.byId(id).run;
                return run != null && run.process != null;
            }
        });
        engine.stop(id, 5, null);
        assertFalse(engine.inspect(id, false).state().running());
    }

    @Test
    void createdAndExitedContainersStayAsTheyWere() throws Exception {
        String created = f.create("made", "true");
        String exited = f.run("done", "exit", "4");
        f.awaitExit(exited);
        ContainerEngine engine = f.restart();
        assertEquals("created", engine.inspect(created, false).state().status());
        ContainerDetails d = engine.inspect("done", false);
        assertEquals("exited", d.state().status());
        assertEquals(4, d.state().exitCode());
        assertEquals("/done", d.name());
        assertEquals(2, engine.list(true, 0, false, Map.of()).size());
    }

    @Test
    void aContainerLeftDeadByACrashIsRemovedAtStart() throws Exception {
        String id = f.create("doomed", "true");
        ContainerRecord r = f.engine.index.byId(id);
        synchronized (r) {
            r.dead = true;
        }
        ContainerFiles.write(r);
        ContainerEngine engine = f.restart();
        await(() -> !Files.exists(dir.resolve("data/containers/" + id)));
        assertEquals(Kind.NOT_FOUND, ContainerFixture.expect(() -> engine.inspect(id, false)).kind());
    }
}
