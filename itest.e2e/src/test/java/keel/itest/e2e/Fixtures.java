package keel.itest.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import keel.engine.core.internal.image.TestImages;

/**
 * Test images, built by the tests themselves from Debian's static busybox (the engine's own fixture builder,
 * which computes digests with MessageDigest, independently of the engine's code).
 */
final class Fixtures {
    private Fixtures() {}

    static TestImages.Image busybox() {
        return TestImages.busybox();
    }

    static TestImages.Image app() {
        return TestImages.app("hello from an OCI layout\n", Map.of("org.example.team", "keel"),
                "2024-06-01T08:00:00Z");
    }

    /** busybox plus a layer holding {@code megabytes} of random bytes: big enough to kill a load in its middle. */
    static TestImages.Image big(int megabytes) {
        byte[] base = TestImages.busyboxRootfs();
        byte[] blob = new byte[megabytes << 20];
        new Random(42).nextBytes(blob);
        byte[] layer = TestImages.tar(t -> {
            TestImages.dir(t, "data/");
            TestImages.file(t, "data/blob.bin", 0644, blob);
        });
        return new TestImages.Image(TestImages.config(List.of(TestImages.sha256(base), TestImages.sha256(layer)),
                List.of("sh"), Map.of(), TestImages.CREATED, List.of("ADD busybox /", "ADD blob /data")),
                List.of(base, layer));
    }

    static Path dockerArchive(Path dir, String file, TestImages.Image image, String... tags) throws IOException {
        Path p = dir.resolve(file);
        Files.write(p, TestImages.dockerArchive(List.of(new TestImages.Named(image, tags)), true, false));
        return p;
    }

    static Path ociArchive(Path dir, String file, TestImages.Image image, String name) throws IOException {
        Path p = dir.resolve(file);
        Files.write(p, TestImages.ociArchive(image, Map.of("io.containerd.image.name", name,
                "org.opencontainers.image.ref.name", name.substring(name.lastIndexOf(':') + 1)), false));
        return p;
    }

    /** The busybox rootfs as a plain tarball, as `docker import` takes one. */
    static Path rootfsTarball(Path dir) throws IOException {
        Path p = dir.resolve("rootfs.tar");
        Files.write(p, TestImages.busyboxRootfs());
        return p;
    }

    /** ChainIDs as the OCI image spec defines them, computed here from the DiffIDs. */
    static List<String> chainIds(List<String> diffIds) {
        List<String> out = new ArrayList<>();
        String chain = null;
        for (String d : diffIds) {
            chain = chain == null ? d : TestImages.sha256((chain + " " + d).getBytes());
            out.add(chain);
        }
        return out;
    }
}
