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
 * A layer of 10,000 files and one of 64 MiB go through load and save byte for byte, with tar-split records that
 * stay small (how long that takes is bench/'s business, not a test's).
 */
class ImageStoreLargeLayerTest {

    @TempDir
    Path dir;

    @Test
    void manySmallFilesAndABigLayerRoundTrip() throws Exception {
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
        byte[] archive = TestImages.dockerArchive(List.of(new TestImages.Named(image, "large:1")), true, false);
        try (StoreFixture f = new StoreFixture(dir)) {
            f.load(archive);
            byte[] saved = f.save("large:1");
            Map<String, byte[]> entries = ImageSaveTest.entries(saved);
            assertArrayEquals(many, entries.get("blobs/sha256/" + TestImages.hex(TestImages.sha256(many))));
            assertArrayEquals(big, entries.get("blobs/sha256/" + TestImages.hex(TestImages.sha256(big))));
            long recordMany = Files.size(f.store.layerDb.tarSplit(TestImages.sha256(many)));
            long recordBig = Files.size(f.store.layerDb.tarSplit(Digests.chainIds(image.diffIds()).get(1)));
            // the records hold headers and offsets, not content: a fraction of what they describe
            assertTrue(recordMany < many.length / 4, "tar-split record of the 10,000-file layer: " + recordMany);
            assertTrue(recordBig < 64 * 1024, "tar-split record of the 64 MiB layer: " + recordBig);
        }
    }
}
