package keel.engine.core.internal.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.core.internal.image.layer.Digests;

/**
 * How long load and save take on vfs for a 10,000-file layer and a 64 MiB one, and how large the tar-split records
 * are (printed for the record; the ceilings only catch a collapse).
 */
class ImageStoreTimingTest {

    @TempDir
    Path dir;

    @Test
    void loadAndSaveTimings() throws Exception {
        Random rnd = new Random(1);
        byte[] many = TestImages.tar(t -> {
            for (int d = 0; d < 100; d++) {
                TestImages.dir(t, "d" + d);
                for (int i = 0; i < 100; i++) {
                    byte[] b = new byte[rnd.nextInt(2048)];
                    rnd.nextBytes(b);
                    TestImages.file(t, "d" + d + "/f" + i, 0644, b);
                }
            }
        });
        byte[] big = TestImages.tar(t -> {
            for (int i = 0; i < 4; i++) {
                byte[] b = new byte[16 << 20];
                rnd.nextBytes(b);
                TestImages.file(t, "big" + i, 0644, b);
            }
        });
        byte[] config = TestImages.config(List.of(TestImages.sha256(many), TestImages.sha256(big)), List.of("sh"),
                Map.of(), TestImages.CREATED, List.of("many", "big"));
        TestImages.Image image = new TestImages.Image(config, List.of(many, big));
        byte[] archive = TestImages.dockerArchive(List.of(new TestImages.Named(image, "timing:1")), true, false);
        try (StoreFixture f = new StoreFixture(dir)) {
            // warm-up with busybox so the numbers show the store, not class loading
            f.load(TestImages.dockerArchive(List.of(new TestImages.Named(TestImages.busybox(), "warm:1")), true, false));
            f.save("warm:1");

            long t0 = System.nanoTime();
            f.load(archive);
            long t1 = System.nanoTime();
            byte[] saved = f.save("timing:1");
            long t2 = System.nanoTime();
            Map<String, byte[]> entries = ImageSaveTest.entries(saved);
            assertArrayEquals(many, entries.get("blobs/sha256/" + TestImages.hex(TestImages.sha256(many))));
            assertArrayEquals(big, entries.get("blobs/sha256/" + TestImages.hex(TestImages.sha256(big))));
            long recordMany = Files.size(f.store.layerDb.tarSplit(TestImages.sha256(many)));
            long recordBig = Files.size(f.store.layerDb.tarSplit(Digests.chainIds(image.diffIds()).get(1)));
            String report = String.format("image store on vfs: load %.1f MiB (10,000 files + 64 MiB) in %d ms, "
                    + "save in %d ms; tar-split records %d bytes (10,000-file layer, %.1f MiB) and %d bytes (64 MiB layer)",
                    archive.length / 1048576.0, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, recordMany,
                    many.length / 1048576.0, recordBig);
            System.out.println(report);
            assertTrue((t1 - t0) / 1_000_000 < 120_000, report);
            assertTrue((t2 - t1) / 1_000_000 < 120_000, report);
        }
    }
}
