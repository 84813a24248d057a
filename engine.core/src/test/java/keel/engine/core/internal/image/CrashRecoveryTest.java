package keel.engine.core.internal.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import keel.engine.api.image.ImportOptions;
import keel.engine.api.image.ProgressListener;
import keel.engine.core.internal.image.disk.AtomicFiles;
import keel.engine.core.internal.image.layer.Digests;

/**
 * A crash at any point of a load, an import or a removal leaves no partial image: the next start (a new store on
 * the same disk) finds either the whole result or nothing, repairs the rest and says what it repaired.
 */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    /** Stops the thread that reaches {@code point} for good, as a kill -9 there would; signals the test. */
    private static final class Freeze implements CrashPoints {
        final String point;
        final CountDownLatch reached = new CountDownLatch(1);

        Freeze(String point) {
            this.point = point;
        }

        @Override
        public void reached(String p) {
            if (p.equals(point)) {
                reached.countDown();
                while (true) {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        // a crashed process does not resume
                    }
                }
            }
        }
    }

    private void crashAt(String point, StoreFixture f, Runnable operation) throws Exception {
        Freeze freeze = new Freeze(point);
        f.reopen(freeze);
        Thread t = new Thread(operation, "crashing-" + point);
        t.setDaemon(true);
        t.start();
        assertTrue(freeze.reached.await(60, TimeUnit.SECONDS), "never reached " + point);
        f.reopen();
    }

    @ParameterizedTest
    @ValueSource(strings = {"load.layer-applied", "layer-registered", "load.images-written"})
    void aLoadInterruptedBeforeItsNamesAreSavedLeavesNothing(String point) throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            TestImages.Image busybox = TestImages.busybox();
            f.load(TestImages.dockerArchive(List.of(new TestImages.Named(busybox, "busybox:latest")), true, false));
            Set<String> before = f.store.layerChainIds();
            TestImages.Image app = TestImages.app("x\n", Map.of(), "2024-06-01T00:00:00Z");
            byte[] archive = TestImages.dockerArchive(List.of(new TestImages.Named(app, "app:1")), true, false);
            crashAt(point, f, () -> f.load(archive));
            assertFalse(f.lastRepairs.isEmpty(), "repairs are reported");
            assertEquals(1, f.store.imageCount());
            assertEquals(before, f.store.layerChainIds());
            f.assertConsistent();
            // and the load works when retried
            assertEquals(List.of("Loaded image: app:1"), f.load(archive));
            f.assertConsistent();
        }
    }

    @Test
    void aLoadInterruptedAfterItsNamesAreSavedIsComplete() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            TestImages.Image app = TestImages.app("x\n", Map.of(), "2024-06-01T00:00:00Z");
            byte[] archive = TestImages.dockerArchive(List.of(new TestImages.Named(app, "app:1")), true, false);
            crashAt("load.refs-written", f, () -> f.load(archive));
            assertEquals(app.id(), f.store.inspect("app:1").id());
            f.assertConsistent();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"layer-registered", "import.layer-registered", "import.image-written"})
    void anInterruptedImportLeavesNothing(String point) throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            byte[] rootfs = TestImages.busyboxRootfs();
            crashAt(point, f, () -> f.store.importImage(new ByteArrayInputStream(rootfs),
                    new ImportOptions("imported", "1", List.of("CMD [\"sh\"]"), null, null), ProgressListener.NONE));
            assertEquals(0, f.store.imageCount());
            assertEquals(Set.of(), f.driver.ids());
            f.assertConsistent();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"remove.untagged", "image-deleted", "layer-removed"})
    void anInterruptedRemovalLeavesNoPartialImage(String point) throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            TestImages.Image busybox = TestImages.busybox();
            TestImages.Image app = TestImages.app("x\n", Map.of(), "2024-06-01T00:00:00Z");
            f.load(TestImages.dockerArchive(List.of(new TestImages.Named(busybox, "busybox:latest"),
                    new TestImages.Named(app, "app:1")), true, false));
            crashAt(point, f, () -> f.store.remove("app:1", false, false));
            f.assertConsistent();
            // Either the image is gone (with its own layer) or it is whole, untagged.
            if (f.store.imageCount() == 2) {
                assertEquals(List.of(), f.store.inspect(app.id()).repoTags());
                assertEquals(3, f.store.history(app.id()).size());
            } else {
                assertEquals(Set.of(busybox.diffIds().get(0)), f.store.layerChainIds());
            }
            assertEquals(busybox.id(), f.store.inspect("busybox").id());
        }
    }

    @Test
    void aPartiallyWrittenTreeIsRepairedAtStartup() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            TestImages.Image busybox = TestImages.busybox();
            f.load(TestImages.dockerArchive(List.of(new TestImages.Named(busybox, "busybox:latest")), true, false));
            Path meta = f.metadataRoot();
            // a layer record without its cache-id (written without the staging rename)
            Path half = Files.createDirectories(meta.resolve("layerdb/sha256/" + "1".repeat(64)));
            Files.writeString(half.resolve("diff"), "sha256:" + "1".repeat(64));
            // a driver layer no record names
            f.driver.applyDiff("2".repeat(64), null, new ByteArrayInputStream(TestImages.tar(t -> { })));
            // an image whose config was torn, and one whose layer is missing
            Files.write(meta.resolve("imagedb/content/sha256/" + "3".repeat(64)), "{\"rootfs\":".getBytes());
            byte[] orphan = TestImages.config(List.of("sha256:" + "4".repeat(64)), List.of("sh"), Map.of(),
                    TestImages.CREATED, List.of("x"));
            Files.write(meta.resolve("imagedb/content/sha256/" + TestImages.hex(TestImages.sha256(orphan))), orphan);
            // a name of a missing image, scratch and temporary files
            f.store.tag("busybox", "keep", "1");
            String repos = Files.readString(meta.resolve("repositories.json"));
            Files.writeString(meta.resolve("repositories.json"), repos.replace("}}}",
                    "},\"gone\":{\"gone:1\":\"sha256:" + "5".repeat(64) + "\"}}}"));
            Files.createDirectories(f.dataRoot.resolve("tmp/image-load-0123456789abcdef/blobs"));
            Files.writeString(meta.resolve("imagedb/content/sha256/" + AtomicFiles.TEMP_PREFIX + "x"), "torn");
            Files.createDirectories(meta.resolve("layerdb/tmp/" + AtomicFiles.TEMP_PREFIX + "layer-x"));

            f.reopen();
            String repairs = String.join("\n", f.lastRepairs);
            assertTrue(repairs.contains("1".repeat(64)), repairs);
            assertTrue(repairs.contains("removed driver layer " + "2".repeat(64)), repairs);
            assertTrue(repairs.contains("3".repeat(64) + ": its config does not match its ID"), repairs);
            assertTrue(repairs.contains("is missing"), repairs);
            assertTrue(repairs.contains("dropped name gone:1"), repairs);
            assertTrue(repairs.contains("image-load-0123456789abcdef"), repairs);
            assertEquals(1, f.store.imageCount());
            assertEquals(List.of("busybox:latest", "keep:1"), f.store.inspect("busybox").repoTags());
            f.assertConsistent();
            f.reopen();
            assertEquals(List.of(), f.lastRepairs, "a repaired store needs no more repairs");
        }
    }

    @Test
    void readWriteLayerRecordsWrittenWithoutFlushesAreDroppedWhenAPowerCutEmptiedThem() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            TestImages.Image busybox = TestImages.busybox();
            f.load(TestImages.dockerArchive(List.of(new TestImages.Named(busybox, "busybox:latest")), true, false));
            String image = f.store.resolve("busybox").id();
            f.store.createContainerLayer("durable", image, false);
            f.store.createContainerLayer("emptied-mount-id", image, true);
            f.store.createContainerLayer("emptied-parent", image, true);
            f.store.createContainerLayer("emptied-image", image, true);
            f.store.createContainerLayer("whole", image, true);
            Path mounts = f.metadataRoot().resolve("layerdb/mounts");
            // an ephemeral record (a --rm container's) is renamed into place without flushes: after a power cut
            // any of its files may be empty
            Files.write(mounts.resolve("emptied-mount-id/mount-id"), new byte[0]);
            Files.write(mounts.resolve("emptied-parent/parent"), new byte[0]);
            Files.write(mounts.resolve("emptied-image/image"), new byte[0]);

            f.reopen();
            assertEquals(Set.of("durable", "whole"), f.store.containerLayerOwners());
            String repairs = String.join("\n", f.lastRepairs);
            assertTrue(repairs.contains("removed broken read-write layer record of container emptied-mount-id"),
                    repairs);
            // the emptied records' driver layers are named by no record any more: removed too
            assertEquals(1 + 2, f.driver.ids().size(), "busybox's layer, two read-write layers: " + f.driver.ids());
            f.reopen();
            assertEquals(List.of(), f.lastRepairs, "a repaired store needs no more repairs");
        }
    }

    /**
     * The real thing: a second JVM loads, removes and imports in a loop and is killed with SIGKILL at random
     * moments; after each kill the store opens consistent, and every image in it saves back to its exact layers.
     */
    @Test
    void killNineAtRandomMomentsNeverLeavesAPartialImage() throws Exception {
        TestImages.Image busybox = TestImages.busybox();
        TestImages.Image app = TestImages.app("x\n", Map.of(), "2024-06-01T00:00:00Z");
        Path archive = dir.resolve("archive.tar");
        Files.write(archive, TestImages.dockerArchive(List.of(new TestImages.Named(busybox, "busybox:latest"),
                new TestImages.Named(app, "app:1")), true, true));
        Path root = dir.resolve("root");
        Random random = new Random(7);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Map<String, byte[]> expectedLayers = Map.of(busybox.diffIds().get(0), busybox.layers().get(0),
                app.diffIds().get(1), app.layers().get(1));
        int kills = 0;
        for (int round = 0; round < 6; round++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    classpath, CrashingWorker.class.getName(), root.toString(), archive.toString())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertEquals("ready", line, "worker did not start");
            Thread.sleep(150 + random.nextInt(900));
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            kills++;
            try (StoreFixture f = new StoreFixture(root)) {
                f.assertConsistent();
                List<String> ids = new ArrayList<>();
                f.store.list(true, Map.of()).forEach(s -> ids.add(s.id()));
                if (!ids.isEmpty()) {
                    Map<String, byte[]> saved = ImageSaveTest.entries(f.save(ids.toArray(String[]::new)));
                    for (Map.Entry<String, byte[]> e : saved.entrySet()) {
                        String hex = e.getKey().startsWith("blobs/sha256/") ? e.getKey().substring(13) : null;
                        if (hex != null && expectedLayers.containsKey(Digests.SHA256 + hex)) {
                            assertArrayEquals(expectedLayers.get(Digests.SHA256 + hex), e.getValue());
                        }
                    }
                }
            }
        }
        assertEquals(6, kills);
    }

    /** The process that gets killed: loads, removes and imports in a loop until it is. */
    public static final class CrashingWorker {
        public static void main(String[] args) throws Exception {
            try (StoreFixture f = new StoreFixture(Path.of(args[0]))) {
                byte[] archive = Files.readAllBytes(Path.of(args[1]));
                byte[] rootfs = TestImages.busyboxRootfs();
                System.out.println("ready");
                System.out.flush();
                for (int i = 0; ; i++) {
                    f.load(archive);
                    f.store.remove("app:1", false, false);
                    f.store.importImage(new ByteArrayInputStream(rootfs),
                            new ImportOptions("imported", Integer.toString(i), List.of(), null, null),
                            ProgressListener.NONE);
                    f.store.prune(Map.of("dangling", List.of("false")));
                }
            }
        }
    }
}
