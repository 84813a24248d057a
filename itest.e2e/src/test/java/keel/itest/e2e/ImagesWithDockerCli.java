package keel.itest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import keel.engine.core.internal.image.TestImages;

/**
 * The image workflow with the real docker CLI against a real keeld, on one storage driver (subclasses choose):
 * load both archive formats, list, inspect, history, tag, remove, save (checked by skopeo) and import. IDs are
 * compared with digests the test computes itself, so Keel's IDs are Docker's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ImagesWithDockerCli {
    private static final ObjectMapper JSON = new ObjectMapper();

    KeelDaemon daemon;
    @TempDir
    Path work;

    abstract String driver();

    @BeforeAll
    void startDaemon() throws Exception {
        daemon = KeelDaemon.start("-s", driver());
    }

    @AfterAll
    void stopDaemon() throws Exception {
        daemon.close();
    }

    @Test
    @Order(1)
    void versionAndInfoPrintCleanly() throws Exception {
        Cli.Result version = Cli.docker(daemon, "version").ok();
        assertTrue(version.out().contains("Server: Keel"), version.out());
        assertEquals("", version.err());
        Cli.Result info = Cli.docker(daemon, "info").ok();
        assertTrue(info.out().contains("Storage Driver: " + driver()), info.out());
        // The daemon's warnings for the operator (as dockerd's "WARNING: No swap limit support") are fine; nothing
        // else may appear, such as the CLI complaining about fields it could not read.
        assertTrue(info.err().lines().allMatch(l -> l.startsWith("WARNING: ")), info.err());
    }

    @Test
    @Order(2)
    void loadsADockerSaveArchiveWithDockersIds() throws Exception {
        TestImages.Image busybox = Fixtures.busybox();
        Path archive = Fixtures.dockerArchive(work, "busybox.tar", busybox, "busybox:latest");
        Cli.Result load = Cli.docker(daemon, "load", "-i", archive.toString()).ok();
        assertTrue(load.out().contains("Loaded image: busybox:latest"), load.out());

        JsonNode inspect = inspect("busybox");
        assertEquals(busybox.id(), inspect.get("Id").asText());
        assertEquals(busybox.diffIds(), texts(inspect.get("RootFS").get("Layers")));
        assertEquals(List.of("busybox:latest"), texts(inspect.get("RepoTags")));
        assertTrue(layerDbChainIds().containsAll(Fixtures.chainIds(busybox.diffIds())));

        String images = Cli.docker(daemon, "images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").ok().out();
        assertTrue(images.contains("busybox:latest " + TestImages.hex(busybox.id()).substring(0, 12)), images);
    }

    @Test
    @Order(3)
    void loadsAnOciLayoutArchive() throws Exception {
        TestImages.Image app = Fixtures.app();
        Path archive = Fixtures.ociArchive(work, "app-oci.tar", app, "docker.io/library/app:1");
        Cli.Result load = Cli.docker(daemon, "load", "-i", archive.toString()).ok();
        assertTrue(load.out().contains("Loaded image: app:1"), load.out());
        JsonNode inspect = inspect("app:1");
        assertEquals(app.id(), inspect.get("Id").asText());
        assertEquals(app.diffIds(), texts(inspect.get("RootFS").get("Layers")));
        assertEquals("keel", inspect.get("Config").get("Labels").get("org.example.team").asText());
        // The busybox base layer is shared with the image loaded before: one ChainID, stored once.
        assertTrue(layerDbChainIds().containsAll(Fixtures.chainIds(app.diffIds())));
    }

    @Test
    @Order(4)
    void historyTagAndRemove() throws Exception {
        String history = Cli.docker(daemon, "history", "app:1").ok().out();
        assertTrue(history.contains("COPY app /app"), history);
        assertTrue(history.contains("<missing>"), history);

        Cli.docker(daemon, "tag", "busybox", "registry.example:5000/team/box:2").ok();
        String images = Cli.docker(daemon, "images", "--format", "{{.Repository}}:{{.Tag}}").ok().out();
        assertTrue(images.contains("registry.example:5000/team/box:2"), images);

        Cli.Result rmi = Cli.docker(daemon, "rmi", "registry.example:5000/team/box:2").ok();
        assertTrue(rmi.out().contains("Untagged: registry.example:5000/team/box:2"), rmi.out());
        assertEquals(Fixtures.busybox().id(), inspect("busybox").get("Id").asText());

        Cli.Result missing = Cli.docker(daemon, "rmi", "nosuch:latest");
        assertNotEquals(0, missing.exit());
        assertTrue(missing.err().contains("No such image: nosuch:latest"), missing.err());
    }

    @Test
    @Order(5)
    void savesAnArchiveSkopeoAcceptsInBothFormats() throws Exception {
        Path saved = work.resolve("saved.tar");
        Cli.docker(daemon, "save", "-o", saved.toString(), "busybox", "app:1").ok();

        TestImages.Image busybox = Fixtures.busybox();
        String dockerConfig = run("skopeo", "inspect", "--raw", "--config", "docker-archive:" + saved + ":busybox:latest");
        assertEquals(busybox.id(), "sha256:" + sha256(dockerConfig));
        JsonNode dockerView = JSON.readTree(run("skopeo", "inspect", "docker-archive:" + saved + ":app:1"));
        assertEquals(Fixtures.app().diffIds(), texts(dockerView.get("Layers")));

        String ociConfig = run("skopeo", "inspect", "--raw", "--config", "oci-archive:" + saved + ":latest");
        assertEquals(busybox.id(), "sha256:" + sha256(ociConfig));

        // Removed and loaded back from Keel's own archive: the same images, byte for byte.
        Cli.docker(daemon, "rmi", "busybox", "app:1").ok();
        assertFalse(Cli.docker(daemon, "images", "-q").ok().out().contains(TestImages.hex(busybox.id()).substring(0, 12)));
        Cli.docker(daemon, "load", "-i", saved.toString()).ok();
        assertEquals(busybox.id(), inspect("busybox").get("Id").asText());
        assertEquals(Fixtures.app().id(), inspect("app:1").get("Id").asText());
    }

    @Test
    @Order(6)
    void importsARootfsTarballFromAFileAndFromStdin() throws Exception {
        Path rootfs = Fixtures.rootfsTarball(work);
        String id = Cli.docker(daemon, "import", "-c", "CMD [\"sh\"]", "-c", "ENV GREETING=hi", "-m", "imported",
                rootfs.toString(), "imported:1").ok().out().trim();
        assertTrue(id.startsWith("sha256:"), id);
        JsonNode inspect = inspect("imported:1");
        assertEquals(List.of("sh"), texts(inspect.get("Config").get("Cmd")));
        assertTrue(texts(inspect.get("Config").get("Env")).contains("GREETING=hi"));
        assertEquals("imported", inspect.get("Comment").asText());
        assertEquals(List.of(TestImages.sha256(Files.readAllBytes(rootfs))), texts(inspect.get("RootFS").get("Layers")));

        Cli.dockerWithInput(daemon, rootfs, "import", "-", "imported:stdin").ok();
        assertEquals(inspect.get("RootFS").get("Layers"), inspect("imported:stdin").get("RootFS").get("Layers"));
    }

    @Test
    @Order(7)
    void aMaliciousArchiveIsRefusedAndChangesNothing() throws Exception {
        Set<String> before = new TreeSet<>(List.of(Cli.docker(daemon, "images", "-a", "-q", "--no-trunc").ok().out()
                .split("\n")));
        Path outside = work.resolve("outside");
        Files.createDirectories(outside);
        byte[] evilLayer = TestImages.tar(t -> TestImages.file(t, "../../../../../../../.." + outside + "/pwned", 0644,
                "owned".getBytes()));
        byte[] config = TestImages.config(List.of(TestImages.sha256(evilLayer)), List.of("sh"), java.util.Map.of(),
                TestImages.CREATED, List.of("ADD evil /"));
        Path archive = work.resolve("evil.tar");
        Files.write(archive, TestImages.dockerArchive(List.of(new TestImages.Named(new TestImages.Image(config,
                List.of(evilLayer)), "evil:latest")), true, false));
        Cli.Result load = Cli.docker(daemon, "load", "-i", archive.toString());
        assertNotEquals(0, load.exit());
        assertFalse(load.err().isBlank());
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count(), "nothing may be written outside the layer");
        }
        Set<String> after = new TreeSet<>(List.of(Cli.docker(daemon, "images", "-a", "-q", "--no-trunc").ok().out()
                .split("\n")));
        assertEquals(before, after);
        assertFalse(Cli.docker(daemon, "images").ok().out().contains("evil"));
    }

    JsonNode inspect(String name) throws Exception {
        return JSON.readTree(Cli.docker(daemon, "image", "inspect", name).ok().out()).get(0);
    }

    Set<String> layerDbChainIds() throws Exception {
        try (Stream<Path> s = Files.list(daemon.dataRoot.resolve("image").resolve(driver()).resolve("layerdb")
                .resolve("sha256"))) {
            return s.map(p -> "sha256:" + p.getFileName()).collect(Collectors.toSet());
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + "\n" + err);
        return out;
    }
}
