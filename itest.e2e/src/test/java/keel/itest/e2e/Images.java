package keel.itest.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import keel.engine.core.internal.image.TestImages;

/** Puts a busybox image, with every applet the static busybox has, into a daemon. */
final class Images {
    private Images() {}

    /** The full busybox rootfs: bin/busybox plus a symlink per applet, passwd and group with a user 1000. */
    static TestImages.Image busyboxFull() throws IOException, InterruptedException {
        Process list = new ProcessBuilder(TestImages.BUSYBOX.toString(), "--list").start();
        List<String> applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines()
                .filter(a -> !a.equals("busybox")).toList();
        list.waitFor();
        byte[] busybox = Files.readAllBytes(TestImages.BUSYBOX);
        byte[] layer = TestImages.tar(t -> {
            TestImages.dir(t, "bin");
            TestImages.file(t, "bin/busybox", 0755, busybox);
            for (String applet : applets) {
                TestImages.symlink(t, "bin/" + applet, "busybox");
            }
            TestImages.dir(t, "etc");
            TestImages.file(t, "etc/passwd", 0644, ("root:x:0:0:root:/root:/bin/sh\n"
                    + "user:x:1000:1000:user:/home/user:/bin/sh\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n").getBytes(StandardCharsets.UTF_8));
            TestImages.file(t, "etc/group", 0644, "root:x:0:\nuser:x:1000:\nnogroup:x:65534:\n"
                    .getBytes(StandardCharsets.UTF_8));
            TestImages.dir(t, "tmp");
            TestImages.dir(t, "root");
            TestImages.dir(t, "home");
        });
        return new TestImages.Image(TestImages.config(List.of(TestImages.sha256(layer)), List.of("sh"), Map.of(),
                TestImages.CREATED, List.of("ADD busybox / # buildkit")), List.of(layer));
    }

    static void loadBusybox(KeelDaemon d) throws IOException, InterruptedException {
        Path archive = Files.createTempFile(d.root, "busybox", ".tar");
        Files.write(archive, TestImages.dockerArchive(List.of(new TestImages.Named(busyboxFull(), "busybox:latest")),
                true, false));
        Cli.docker(d, "load", "-i", archive.toString()).ok();
        Files.delete(archive);
    }
}
