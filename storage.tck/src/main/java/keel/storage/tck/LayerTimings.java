package keel.storage.tck;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import keel.engine.api.storage.LayerStore;
import keel.engine.api.storage.StorageDriver;

/**
 * Wall-clock timings of a driver's main operations on one large layer, for comparing drivers and spotting
 * regressions (the numbers go into a test's output, not into assertions beyond a generous ceiling).
 */
public final class LayerTimings {

    /** Milliseconds of each step. */
    public record Result(int files, long tarBytes, double applyMs, double mountMs, double unmountMs,
            double containerCreateMs, double containerMountMs, double writeDiffMs, double sizeMs, double removeMs) {

        @Override
        public String toString() {
            return String.format("%d files (%d MB tar): applyDiff %.0f ms, mount %.1f ms, unmount %.1f ms,"
                    + " createReadWrite %.1f ms, container mount %.1f ms, writeDiff %.0f ms, size %.0f ms,"
                    + " remove %.0f ms", files, tarBytes >> 20, applyMs, mountMs, unmountMs, containerCreateMs,
                    containerMountMs, writeDiffMs, sizeMs, removeMs);
        }
    }

    private LayerTimings() {
    }

    /** Applies a layer of {@code files} 1 KiB files in 100 directories under a fresh store in {@code home}. */
    public static Result measure(StorageDriver driver, Path home, int files) throws IOException {
        TarBuilder t = new TarBuilder();
        byte[] content = new byte[1024];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('a' + i % 26);
        }
        for (int d = 0; d < 100; d++) {
            t.dir("d" + d, 0755);
        }
        for (int i = 0; i < files; i++) {
            t.file("d" + (i % 100) + "/file-" + i, 0644, content);
        }
        byte[] tar = t.toBytes();
        try (LayerStore store = driver.open(home, Map.of())) {
            long t0 = System.nanoTime();
            store.applyDiff("big", null, new ByteArrayInputStream(tar));
            long t1 = System.nanoTime();
            Path m = store.mount("big");
            long t2 = System.nanoTime();
            if (!Files.exists(m.resolve("d7/file-7"))) {
                throw new AssertionError("the mount does not show the layer");
            }
            store.unmount("big");
            long t3 = System.nanoTime();
            store.createReadWrite("container", "big");
            long t4 = System.nanoTime();
            store.mount("container");
            long t5 = System.nanoTime();
            store.unmount("container");
            long t6 = System.nanoTime();
            store.writeDiff("big", OutputStream.nullOutputStream());
            long t7 = System.nanoTime();
            store.size("big");
            long t8 = System.nanoTime();
            store.remove("container");
            store.remove("big");
            long t9 = System.nanoTime();
            return new Result(files, tar.length, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t5 - t4),
                    ms(t7 - t6), ms(t8 - t7), ms(t9 - t8));
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
