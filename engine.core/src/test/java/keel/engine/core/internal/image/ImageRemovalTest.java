package keel.engine.core.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.errors.EngineException;
import keel.engine.api.image.DeleteItem;
import keel.engine.api.image.PruneReport;
import keel.engine.core.internal.image.layer.Digests;

/** {@code docker tag}, {@code docker rmi} and {@code docker image prune} with Docker's rules and messages. */
class ImageRemovalTest {

    @TempDir
    Path dir;
    StoreFixture f;
    TestImages.Image busybox;
    TestImages.Image app;

    @BeforeEach
    void open() throws Exception {
        f = new StoreFixture(dir);
        busybox = TestImages.busybox();
        app = TestImages.app("hello\n", Map.of("team", "a"), "2024-06-01T00:00:00Z");
        f.load(TestImages.dockerArchive(List.of(new TestImages.Named(busybox, "busybox:latest"),
                new TestImages.Named(app, "team/app:1")), true, false));
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void tagNormalizesNamesAndRecordsTheTagTime() {
        f.store.tag("busybox", "Registry.example.com:5000/team/bb", "v1.2_rc-3");
        f.store.tag(TestImages.hex(busybox.id()).substring(0, 8), "mybox", "");
        // The domain keeps its case (distribution/reference does not lowercase it); the path must be lowercase.
        assertEquals(List.of("mybox:latest", "busybox:latest", "Registry.example.com:5000/team/bb:v1.2_rc-3")
                .stream().sorted().toList(), f.store.inspect("busybox").repoTags().stream().sorted().toList());
        assertTrue(f.store.inspect("mybox").metadata().lastTagTime().matches("\\d{4}-.*Z"));
    }

    @Test
    void tagRefusesWhatDockerRefuses() {
        assertInvalid("invalid reference format: repository name (library/Busybox) must be lowercase",
                () -> f.store.tag("busybox", "Busybox", ""));
        assertInvalid("invalid tag format", () -> f.store.tag("busybox", "bb", "-bad"));
        assertInvalid("invalid tag format", () -> f.store.tag("busybox", "bb", "x".repeat(129)));
        assertInvalid("refusing to create an ambiguous tag using digest algorithm as name",
                () -> f.store.tag("busybox", "sha256", "x"));
        assertInvalid("cannot import digest reference",
                () -> f.store.tag("busybox", "bb@" + busybox.id(), ""));
        assertInvalid("invalid repository name (" + TestImages.hex(busybox.id())
                + "), cannot specify 64-byte hexadecimal strings", () -> f.store.tag("busybox", TestImages.hex(busybox.id()), ""));
        EngineException e = assertThrows(EngineException.class, () -> f.store.tag("nope", "x", ""));
        assertEquals(EngineException.Kind.NOT_FOUND, e.kind());
        assertEquals("No such image: nope:latest", e.getMessage());
    }

    @Test
    void removingOneOfSeveralNamesOnlyUntags() throws Exception {
        f.store.tag("busybox", "bb", "1");
        assertEquals(List.of(DeleteItem.untagged("bb:1")), f.store.remove("bb:1", false, false));
        assertEquals(busybox.id(), f.store.inspect("busybox").id());
        f.assertConsistent();
    }

    @Test
    void removingTheLastNameDeletesTheImageAndTheLayersOnlyItUsed() throws Exception {
        List<String> chains = Digests.chainIds(app.diffIds());
        List<DeleteItem> out = f.store.remove("team/app:1", false, false);
        // busybox's layer is app's base: only app's top layer goes.
        assertEquals(List.of(DeleteItem.untagged("team/app:1"), DeleteItem.deleted(app.id()),
                DeleteItem.deleted(chains.get(1))), out);
        assertEquals(1, f.store.imageCount());
        f.assertConsistent();
        assertEquals(List.of(DeleteItem.untagged("busybox:latest"), DeleteItem.deleted(busybox.id()),
                DeleteItem.deleted(chains.get(0))), f.store.remove("busybox", false, false));
        assertEquals(0, f.store.imageCount());
        assertEquals(java.util.Set.of(), f.driver.ids());
        f.assertConsistent();
    }

    @Test
    void removingByIdWithNamesInSeveralRepositoriesNeedsForce() throws Exception {
        f.store.tag("busybox", "other", "1");
        String shortId = TestImages.hex(busybox.id()).substring(0, 12);
        EngineException e = assertThrows(EngineException.class, () -> f.store.remove(shortId, false, false));
        assertEquals(EngineException.Kind.CONFLICT, e.kind());
        assertEquals("conflict: unable to delete " + shortId
                + " (must be forced) - image is referenced in multiple repositories", e.getMessage());
        List<DeleteItem> out = f.store.remove("sha256:" + shortId, true, false);
        assertEquals(List.of(DeleteItem.untagged("busybox:latest"), DeleteItem.untagged("other:1"),
                DeleteItem.deleted(busybox.id())), out);
        f.assertConsistent();
    }

    @Test
    void removingByIdWithOneRepositoryUntagsAndDeletes() throws Exception {
        List<DeleteItem> out = f.store.remove(app.id(), false, false);
        assertEquals(DeleteItem.untagged("team/app:1"), out.get(0));
        assertEquals(DeleteItem.deleted(app.id()), out.get(1));
    }

    @Test
    void anImageInUseByAContainerIsProtectedAsInDocker() throws Exception {
        String ctr = "4f2d9e8c1b0a" + "0".repeat(52);
        f.usage = new ImageUsage() {
            @Override
            public int containersUsing(String imageId) {
                return imageId.equals(busybox.id()) ? 1 : 0;
            }

            @Override
            public String containerUsing(String imageId, boolean running) {
                return imageId.equals(busybox.id()) && !running ? ctr : null;
            }
        };
        String shortId = TestImages.hex(busybox.id()).substring(0, 12);
        EngineException e = assertThrows(EngineException.class, () -> f.store.remove("busybox", false, false));
        assertEquals("conflict: unable to remove repository reference \"busybox\" (must force) - container "
                + "4f2d9e8c1b0a is using its referenced image " + shortId, e.getMessage());
        e = assertThrows(EngineException.class, () -> f.store.remove(busybox.id(), false, false));
        assertEquals("conflict: unable to delete " + shortId + " (must be forced) - image is being used by stopped "
                + "container 4f2d9e8c1b0a", e.getMessage());
        assertEquals(EngineException.Kind.CONFLICT, e.kind());
        // A container being created pins the image: not even force deletes it.
        f.store.pin(busybox.id(), "c0ffee" + "0".repeat(58));
        e = assertThrows(EngineException.class, () -> f.store.remove(busybox.id(), true, false));
        assertTrue(e.getMessage().contains("(cannot be forced)"), e.getMessage());
        f.store.unpin(busybox.id(), "c0ffee" + "0".repeat(58));
        // Forced, the stopped container's image goes (as in Docker).
        List<DeleteItem> out = f.store.remove("busybox", true, false);
        assertEquals(DeleteItem.untagged("busybox:latest"), out.get(0));
        assertEquals(DeleteItem.deleted(busybox.id()), out.get(1));
    }

    @Test
    void aContainerLayerKeepsItsImageLayersAfterAForcedDelete() throws Exception {
        Images.ContainerLayer c = f.store.createContainerLayer("c1", busybox.id());
        assertTrue(f.driver.exists(c.mountId()));
        EngineException e = assertThrows(EngineException.class, () -> f.store.remove(busybox.id(), false, false));
        assertTrue(e.getMessage().contains("image is being used by stopped container c1"), e.getMessage());
        f.store.remove(busybox.id(), true, false);
        // The image is gone but its layer stays under the container, also across a restart.
        String base = busybox.diffIds().get(0);
        assertTrue(f.store.layerChainIds().contains(base));
        f.reopen();
        assertTrue(f.store.layerChainIds().contains(base));
        assertEquals(c, f.store.containerLayer("c1"));
        f.store.removeContainerLayer("c1");
        assertEquals(java.util.Set.of(Digests.chainIds(app.diffIds()).toArray()), f.store.layerChainIds());
        assertTrue(!f.driver.exists(c.mountId()));
    }

    @Test
    void unknownNamesAreNotFoundAndBadOnesInvalid() {
        EngineException e = assertThrows(EngineException.class, () -> f.store.remove("nope", false, false));
        assertEquals(EngineException.Kind.NOT_FOUND, e.kind());
        assertEquals("No such image: nope:latest", e.getMessage());
        assertInvalid("invalid reference format", () -> f.store.remove("bad name!", false, false));
    }

    @Test
    void pruneRemovesDanglingImagesOnlyByDefaultAndEveryUnusedOneWhenAsked() throws Exception {
        TestImages.Image old = TestImages.app("old\n", Map.of(), "2023-01-01T00:00:00Z");
        f.load(TestImages.dockerArchive(List.of(new TestImages.Named(old)), true, false));
        PruneReport dangling = f.store.prune(Map.of());
        List<String> deleted = new ArrayList<>();
        dangling.imagesDeleted().forEach(d -> deleted.add(d.deleted()));
        assertEquals(List.of(old.id(), Digests.chainIds(old.diffIds()).get(1)), deleted);
        assertTrue(dangling.spaceReclaimed() > 0);
        assertEquals(2, f.store.imageCount());

        PruneReport labelled = f.store.prune(Map.of("dangling", List.of("false"), "label", List.of("team=a")));
        assertEquals(DeleteItem.untagged("team/app:1"), labelled.imagesDeleted().get(0));
        assertEquals(DeleteItem.deleted(app.id()), labelled.imagesDeleted().get(1));
        assertEquals(1, f.store.imageCount());

        PruneReport untilFilter = f.store.prune(Map.of("dangling", List.of("false"), "until", List.of("2020-01-01")));
        assertEquals(List.of(), untilFilter.imagesDeleted());
        PruneReport all = f.store.prune(Map.of("dangling", List.of("0")));
        assertEquals(3, all.imagesDeleted().size());
        assertEquals(0, f.store.imageCount());
        f.assertConsistent();
        assertInvalid("invalid filter 'reference'", () -> f.store.prune(Map.of("reference", List.of("x"))));
        assertInvalid("invalid filter 'dangling=maybe'", () -> f.store.prune(Map.of("dangling", List.of("maybe"))));
    }

    static void assertInvalid(String message, org.junit.jupiter.api.function.Executable call) {
        EngineException e = assertThrows(EngineException.class, call);
        assertEquals(EngineException.Kind.INVALID_PARAMETER, e.kind(), e.getMessage());
        assertEquals(message, e.getMessage());
    }
}
