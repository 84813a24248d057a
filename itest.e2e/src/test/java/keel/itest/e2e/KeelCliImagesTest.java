package keel.itest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.core.internal.image.TestImages;

/** The same image workflow through Keel's own CLI, which must print what the docker CLI prints. */
class KeelCliImagesTest {

    @Test
    void keelCliDrivesTheImageWorkflow(@TempDir Path work) throws Exception {
        try (KeelDaemon d = KeelDaemon.start()) {
            assertTrue(Cli.keel(d, "version").ok().out().contains("Keel"));
            assertTrue(Cli.keel(d, "info").ok().out().contains("Storage Driver: overlay2"));

            TestImages.Image busybox = Fixtures.busybox();
            Path archive = Fixtures.dockerArchive(work, "busybox.tar", busybox, "busybox:latest");
            assertTrue(Cli.keel(d, "load", "-i", archive.toString()).ok().out().contains("Loaded image: busybox:latest"));
            assertEquals(busybox.id(), Cli.keel(d, "image", "inspect", "--format", "{{.Id}}", "busybox").ok().out().trim());

            Cli.keel(d, "tag", "busybox", "mybox:1").ok();
            String keelImages = Cli.keel(d, "images").ok().out();
            String dockerImages = Cli.docker(d, "images").ok().out();
            // The docker CLI lists the repositories of one image in Go's map order, which is random: compare the
            // header, then the rows as a set.
            assertEquals(dockerImages.lines().findFirst(), keelImages.lines().findFirst());
            assertEquals(dockerImages.lines().skip(1).sorted().toList(), keelImages.lines().skip(1).sorted().toList(),
                    "keel images prints what docker images prints");
            assertEquals(Cli.docker(d, "history", "busybox").ok().out(), Cli.keel(d, "history", "busybox").ok().out());

            Path saved = work.resolve("saved.tar");
            Cli.keel(d, "save", "-o", saved.toString(), "mybox:1").ok();
            String config = ImagesWithDockerCli.run("skopeo", "inspect", "--raw", "--config",
                    "docker-archive:" + saved + ":mybox:1");
            assertEquals(busybox.id(), "sha256:" + ImagesWithDockerCli.sha256(config));

            assertTrue(Cli.keel(d, "rmi", "mybox:1").ok().out().contains("Untagged: mybox:1"));
            Path rootfs = Fixtures.rootfsTarball(work);
            String id = Cli.keel(d, "import", "-c", "CMD [\"sh\"]", rootfs.toString(), "imported:1").ok().out().trim();
            assertEquals(id, Cli.keel(d, "image", "inspect", "--format", "{{.Id}}", "imported:1").ok().out().trim());
            assertTrue(Cli.keel(d, "image", "prune", "-f").ok().out().contains("Total reclaimed space"));

            Cli.Result missing = Cli.keel(d, "image", "inspect", "nosuch");
            assertNotEquals(0, missing.exit());
            assertEquals(Cli.docker(d, "image", "inspect", "nosuch").err(), missing.err());
        }
    }
}
