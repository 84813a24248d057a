package keel.engine.core.internal.container;

import static keel.engine.core.internal.container.ContainerFixture.await;
import static keel.engine.core.internal.container.ContainerFixture.config;
import static keel.engine.core.internal.container.ContainerFixture.expect;
import static keel.engine.core.internal.container.ContainerFixture.host;
import static keel.engine.core.internal.container.ContainerFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.container.WaitCondition;
import keel.engine.api.container.WaitResult;
import keel.engine.api.errors.EngineException.Kind;

/**
 * What the next start makes of the states a crash can leave, now that some writes are not flushed: the records
 * of a {@code --rm} container are written without fsync (a power cut may leave them missing, old or empty), a
 * removal is reported before its directories, layer and exec-root state are gone, and a create may stop half way.
 * Each test builds the state on disk as a crash would leave it, then starts a new engine on it.
 */
class ContainerCrashRepairTest {

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

    private String createRm(String... cmd) {
        return f.engine.create(null, request(config(cmd), host("networkMode", "host", "autoRemove", true))).id();
    }

    private Path containers() {
        return dir.resolve("data/containers");
    }

    private List<String> entries(Path d) throws Exception {
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aRmContainerThatDoesNotRunIsRemovedAtTheNextStartWithItsLayer() throws Exception {
        String id = createRm("echo", "never started");
        assertNotNull(f.images.store.containerLayer(id));
        ContainerEngine engine = f.restart();
        // dockerd's restore removes AutoRemove containers that are not running; for Keel it is also what makes the
        // unflushed records of such a container harmless
        await(() -> engine.index.byId(id) == null);
        engine.awaitJanitor();
        assertEquals(Kind.NOT_FOUND, ContainerFixture.expect(() -> engine.inspect(id, false)).kind());
        assertEquals(List.of(), entries(containers()));
        assertNull(f.images.store.containerLayer(id));
    }

    @Test
    void aRmContainerWhoseRecordsAPowerCutEmptiedIsRemoved() throws Exception {
        String emptied = createRm("echo", "a");
        String lost = createRm("echo", "b");
        f.engine.close();
        // what a power cut can leave of files renamed into place but never flushed: empty, or gone
        Files.write(containers().resolve(emptied).resolve(ContainerFiles.CONFIG), new byte[0]);
        Files.write(containers().resolve(emptied).resolve(ContainerFiles.HOST_CONFIG), new byte[0]);
        Files.delete(containers().resolve(lost).resolve(ContainerFiles.CONFIG));
        Files.delete(containers().resolve(lost).resolve(ContainerFiles.HOST_CONFIG));

        ContainerEngine engine = f.open();
        assertEquals(List.of(), entries(containers()), "both directories are gone");
        assertEquals(Set.of(), f.images.store.containerLayerOwners(), "and their read-write layers");
        assertEquals(0, engine.counts().total());
    }

    @Test
    void aDurableRecordThatCannotBeReadIsKeptWithItsLayerForTheOperator() throws Exception {
        String id = f.create("keep", "sleep");
        f.engine.close();
        // not something a crash does to a flushed record: corruption, which is not ours to repair
        Files.writeString(containers().resolve(id).resolve(ContainerFiles.CONFIG), "{not json");

        ContainerEngine engine = f.open();
        assertEquals(Kind.NOT_FOUND, expect(() -> engine.inspect(id, false)).kind());
        assertTrue(Files.isDirectory(containers().resolve(id)));
        assertNotNull(f.images.store.containerLayer(id), "its layer is not an orphan");
    }

    @Test
    void aCreateCutShortLeavesNothingAfterTheNextStart() throws Exception {
        String id = f.create("whole", "sleep");
        f.engine.close();
        // a create that stopped before its record was written: a directory, and a layer no container owns
        String half = "ab".repeat(32);
        Files.createDirectories(containers().resolve(half));
        f.images.store.createContainerLayer(half, f.images.store.resolve("busybox").id(), true);
        // and one whose directory was never made
        String orphan = "cd".repeat(32);
        f.images.store.createContainerLayer(orphan, f.images.store.resolve("busybox").id(), false);

        ContainerEngine engine = f.open();
        assertEquals(List.of(id), entries(containers()));
        assertEquals(Set.of(id), f.images.store.containerLayerOwners());
        assertEquals("created", engine.inspect(id, false).state().status());
    }

    @Test
    void aRemovalIsReportedBeforeTheJanitorFinishesAndLeftoversOfACrashAreSwept() throws Exception {
        String id = f.run("done", "echo", "hi");
        f.awaitExit(id);
        f.engine.remove(id, false, false);
        f.engine.awaitJanitor();
        assertEquals(List.of(), entries(containers()));
        assertNull(f.images.store.containerLayer(id));
        assertFalse(Files.exists(f.settings.bundleDir(id)));

        // A daemon that died after reporting a removal but before its janitor ran leaves a retired directory,
        // a bundle, runtime state and a network namespace file of a container that no longer exists.
        f.engine.close();
        String gone = "ef".repeat(32);
        Files.createDirectories(containers().resolve(".tmp-rm-" + gone + "-12345678"));
        Files.createDirectories(f.settings.bundleDir(gone));
        Files.writeString(f.settings.bundleDir(gone).resolve("config.json"), "{}");
        Files.createDirectories(f.settings.runtimeStateDir("native", gone));
        Files.createDirectories(f.settings.netnsPath(gone).getParent());
        Files.writeString(f.settings.netnsPath(gone), "");
        runtime.deleted.clear();

        f.sandboxes = new keel.engine.api.network.SandboxFactory() {
            @Override
            public keel.engine.api.network.Sandbox create(String sid, Path path) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.util.Optional<keel.engine.api.network.Sandbox> open(String sid, Path path) {
                return java.util.Optional.empty();
            }

            @Override
            public void delete(Path path) throws java.io.IOException {
                Files.deleteIfExists(path);
            }
        };
        f.open();
        await(() -> runtime.deleted.contains(gone));
        assertEquals(List.of(), entries(containers()));
        assertFalse(Files.exists(f.settings.bundleDir(gone)));
        assertFalse(Files.exists(f.settings.runtimeStateDir("native", gone)));
        assertFalse(Files.exists(f.settings.netnsPath(gone)));
    }

    @Test
    void aRmContainerIsRemovedAfterItsExitWithoutItsExitBeingRecorded() throws Exception {
        String id = createRm("echo", "bye");
        Path config = containers().resolve(id).resolve(ContainerFiles.CONFIG);
        CompletableFuture<WaitResult> removed = f.engine.await(id, WaitCondition.REMOVED).toCompletableFuture();
        f.engine.start(id);
        assertEquals(0, removed.get(10, TimeUnit.SECONDS).statusCode());
        assertFalse(Files.exists(config));
        f.engine.awaitJanitor();
        assertEquals(List.of(), entries(containers()));
        assertTrue(runtime.deleted.contains(id), "the run was cleaned up, after the removal");
    }

    @Test
    void aRunningRmContainerIsAdoptedAfterADaemonCrashNotRemoved() throws Exception {
        String id = createRm("sleep");
        f.engine.start(id);
        ContainerEngine engine = f.restart(); // the page cache survives a daemon crash: the record says running
        assertTrue(engine.inspect(id, false).state().running());
        CompletableFuture<WaitResult> removed = engine.await(id, WaitCondition.REMOVED).toCompletableFuture();
        await(() -> engine.warnings().stream().noneMatch(w -> w.contains("waits for runtime"))); // adopted
        engine.kill(id, null);
        assertEquals(137, removed.get(10, TimeUnit.SECONDS).statusCode());
        engine.awaitJanitor();
        assertEquals(List.of(), entries(containers()));
    }
}
