package keel.storage.vfs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.archive.internal.TarLayerArchiver;
import keel.storage.tck.LayerTimings;

/** How long vfs takes over a 10,000-file layer (printed for the record; the ceiling only catches a collapse). */
class VfsTimingTest {

    @TempDir
    Path temp;

    @Test
    void tenThousandFileLayer() throws IOException {
        TarLayerArchiver archiver = new TarLayerArchiver();
        // A 1,000-file warm-up first, so that the numbers show the driver rather than class loading and JIT.
        LayerTimings.Result warmUp = LayerTimings.measure(new VfsDriver(archiver), temp.resolve("home"), 1_000);
        LayerTimings.Result r = LayerTimings.measure(new VfsDriver(archiver), temp.resolve("home"), 10_000);
        System.out.println("vfs: " + "warm-up " + warmUp + "\n  " + r);
        assertTrue(r.applyMs() < 60_000, r.toString());
        archiver.removeTree(temp.resolve("home"));
    }
}
