package keel.engine.core.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.image.ImageDetails;
import keel.engine.api.image.ProgressListener;
import keel.engine.core.internal.image.layer.Digests;

/** {@code docker load} of both archive formats into a real vfs store. */
class ImageLoadTest {

    @TempDir
    Path dir;
    StoreFixture f;

    @BeforeEach
    void open() throws Exception {
        f = new StoreFixture(dir);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void loadsALegacyDockerSaveArchiveWithDockersMessagesAndIds() throws Exception {
        TestImages.Image busybox = TestImages.busybox();
        byte[] archive = TestImages.dockerArchive(List.of(new TestImages.Named(busybox, "busybox:latest")), false, false);
        List<String[]> progress = new ArrayList<>();
        List<String> printed = new ArrayList<>();
        List<String> out = f.store.load(new ByteArrayInputStream(archive), new ProgressListener() {
            @Override
            public void progress(String id, String status, long current, long total) {
                progress.add(new String[] {id, status, Long.toString(current), Long.toString(total)});
            }

            @Override
            public void message(String line) {
                printed.add(line);
            }
        });
        assertEquals(List.of("Loaded image: busybox:latest"), out);
        assertEquals(out, printed);
        String shortDiff = TestImages.hex(busybox.diffIds().get(0)).substring(0, 12);
        assertTrue(progress.stream().allMatch(p -> p[0].equals(shortDiff) && p[1].equals("Loading layer")));
        String[] last = progress.get(progress.size() - 1);
        assertEquals(last[2], last[3]);

        ImageDetails d = f.store.inspect("busybox");
        assertEquals(busybox.id(), d.id());
        assertEquals(List.of("busybox:latest"), d.repoTags());
        assertEquals(busybox.diffIds(), d.rootFS().layers());
        assertEquals("2024-05-01T12:00:00.123456789Z", d.created());
        assertEquals(List.of("sh"), d.config().cmd());
        assertEquals("vfs", d.graphDriver().name());
        assertTrue(d.size() > 1_000_000, "busybox is about 2 MB: " + d.size());
        assertEquals(d, f.store.inspect(busybox.id()));
        assertEquals(d, f.store.inspect(TestImages.hex(busybox.id()).substring(0, 12)));
        assertEquals(d, f.store.inspect("docker.io/library/busybox:latest"));
        f.assertConsistent();
    }

    @Test
    void loadsDocker25BlobsLayoutWithGzipLayersAndSharesLayers() throws Exception {
        TestImages.Image app = TestImages.app("hello\n", Map.of("team", "a"), "2024-06-01T00:00:00Z");
        TestImages.Image busybox = TestImages.busybox();
        byte[] archive = TestImages.dockerArchive(List.of(new TestImages.Named(app, "team/app:1", "team/app:latest"),
                new TestImages.Named(busybox, "busybox:latest")), true, true);
        assertEquals(List.of("Loaded image: team/app:1", "Loaded image: team/app:latest",
                "Loaded image: busybox:latest"), f.load(archive));
        // busybox's layer is app's base layer: recorded once.
        assertEquals(2, f.store.layerChainIds().size());
        List<String> chains = Digests.chainIds(app.diffIds());
        assertEquals(app.diffIds().get(0), chains.get(0));
        assertEquals(TestImages.sha256((app.diffIds().get(0) + " " + app.diffIds().get(1)).getBytes()), chains.get(1));
        assertEquals(f.store.layerChainIds(), new java.util.HashSet<>(chains));
        f.assertConsistent();
    }

    @Test
    void loadsAnOciLayoutNamedByContainerdAnnotation() throws Exception {
        TestImages.Image busybox = TestImages.busybox();
        byte[] archive = TestImages.ociArchive(busybox, Map.of("io.containerd.image.name",
                "docker.io/library/busybox:1.36", "org.opencontainers.image.ref.name", "1.36"), true);
        assertEquals(List.of("Loaded image: busybox:1.36"), f.load(archive));
        assertEquals(busybox.id(), f.store.inspect("busybox:1.36").id());
        f.assertConsistent();
    }

    @Test
    void anOciRefNameThatIsOnlyATagGivesNoName() throws Exception {
        TestImages.Image busybox = TestImages.busybox();
        byte[] archive = TestImages.ociArchive(busybox, Map.of("org.opencontainers.image.ref.name", "latest"), false);
        assertEquals(List.of("Loaded image ID: " + busybox.id()), f.load(archive));
        assertEquals(List.of(), f.store.inspect(busybox.id()).repoTags());
        byte[] named = TestImages.ociArchive(busybox, Map.of("org.opencontainers.image.ref.name", "team/bb:2"), false);
        assertEquals(List.of("Loaded image: team/bb:2"), f.load(named));
    }

    @Test
    void aTagMovedByALoadIsReportedAsDockerDoes() throws Exception {
        TestImages.Image one = TestImages.app("one\n", Map.of(), "2024-06-01T00:00:00Z");
        TestImages.Image two = TestImages.app("two\n", Map.of(), "2024-06-02T00:00:00Z");
        f.load(TestImages.dockerArchive(List.of(new TestImages.Named(one, "app:latest")), true, false));
        assertEquals(List.of("The image app:latest already exists, renaming the old one with ID " + one.id()
                + " to empty string", "Loaded image: app:latest"),
                f.load(TestImages.dockerArchive(List.of(new TestImages.Named(two, "app:latest")), true, false)));
        assertEquals(two.id(), f.store.inspect("app").id());
        assertEquals(List.of(), f.store.inspect(one.id()).repoTags());
        f.assertConsistent();
    }
}
