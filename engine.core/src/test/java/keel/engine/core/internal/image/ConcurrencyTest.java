package keel.engine.core.internal.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.errors.EngineException;

/** HTTP threads call the store at once: shared layers are made once, removals never pull layers from under a load or a save. */
class ConcurrencyTest {

    @TempDir
    Path dir;

    @Test
    void concurrentLoadsOfTheSameLayersDoNotCorruptEachOther() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            List<byte[]> archives = new ArrayList<>();
            List<TestImages.Image> images = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                TestImages.Image img = TestImages.app("app " + i + "\n", Map.of(), "2024-06-0" + (i + 1) + "T00:00:00Z");
                images.add(img);
                archives.add(TestImages.dockerArchive(List.of(new TestImages.Named(img, "app:" + i)), i % 2 == 0, i >= 2));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CyclicBarrier start = new CyclicBarrier(8);
                List<Future<List<String>>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    byte[] a = archives.get(t % 4);
                    results.add(pool.submit(() -> {
                        start.await();
                        return f.load(a);
                    }));
                }
                for (int t = 0; t < 8; t++) {
                    assertEquals(List.of("Loaded image: app:" + (t % 4)), results.get(t).get(120, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
            // one shared base layer and one layer per app
            assertEquals(5, f.store.layerChainIds().size());
            f.assertConsistent();
            Map<String, byte[]> saved = ImageSaveTest.entries(f.save("app"));
            for (TestImages.Image img : images) {
                assertArrayEquals(img.layers().get(1), saved.get("blobs/sha256/" + TestImages.hex(img.diffIds().get(1))));
            }
        }
    }

    @Test
    void removalsPrunesAndSavesRaceWithLoads() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            TestImages.Image busybox = TestImages.busybox();
            TestImages.Image app = TestImages.app("x\n", Map.of(), "2024-06-01T00:00:00Z");
            byte[] both = TestImages.dockerArchive(List.of(new TestImages.Named(busybox, "busybox:latest"),
                    new TestImages.Named(app, "app:1")), true, false);
            f.load(both);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
            try {
                List<Callable<Void>> work = List.of(
                        loop(20, unexpected, () -> f.load(both)),
                        loop(20, unexpected, () -> f.store.remove("app:1", false, false)),
                        loop(20, unexpected, () -> f.store.prune(Map.of("dangling", List.of("false")))),
                        loop(20, unexpected, () -> {
                            byte[] tar = f.save("busybox");
                            assertArrayEquals(busybox.layers().get(0), ImageSaveTest.entries(tar)
                                    .get("blobs/sha256/" + TestImages.hex(busybox.diffIds().get(0))));
                        }));
                for (Future<Void> r : pool.invokeAll(work, 300, TimeUnit.SECONDS)) {
                    r.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(List.of(), unexpected);
            f.assertConsistent();
            f.reopen();
            assertEquals(List.of(), f.lastRepairs);
        }
    }

    interface Step {
        void run() throws Exception;
    }

    /** Repeats a step; NOT_FOUND and CONFLICT are expected outcomes of a race, anything else is a failure. */
    private static Callable<Void> loop(int n, List<Throwable> unexpected, Step step) {
        return () -> {
            for (int i = 0; i < n; i++) {
                try {
                    step.run();
                } catch (EngineException e) {
                    if (e.kind() != EngineException.Kind.NOT_FOUND && e.kind() != EngineException.Kind.CONFLICT) {
                        unexpected.add(e);
                    }
                } catch (Throwable t) {
                    unexpected.add(t);
                }
            }
            return null;
        };
    }
}
