package keel.engine.core.internal.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import keel.engine.api.errors.EngineException;

/**
 * {@code docker save}: the archive is both a Docker archive and an OCI layout (checked with skopeo, which reads
 * both), layers are reproduced byte for byte, and loading the archive (or skopeo's conversion of it) gives the
 * same image IDs.
 */
class ImageSaveTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    StoreFixture f;
    TestImages.Image busybox;
    TestImages.Image app;

    @BeforeEach
    void open() throws Exception {
        f = new StoreFixture(dir.resolve("a"));
        busybox = TestImages.busybox();
        app = TestImages.app("hello\n", Map.of("team", "a"), "2024-06-01T00:00:00Z");
        f.load(TestImages.dockerArchive(List.of(new TestImages.Named(busybox, "busybox:latest"),
                new TestImages.Named(app, "team/app:1", "team/app:2")), false, false));
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void skopeoReadsTheSavedArchiveAsDockerArchiveAndAsOciArchive() throws Exception {
        Path archive = dir.resolve("app.tar");
        Files.write(archive, f.save("team/app:1"));

        JsonNode docker = JSON.readTree(skopeo("inspect", "docker-archive:" + archive));
        JsonNode oci = JSON.readTree(skopeo("inspect", "oci-archive:" + archive));
        assertEquals(app.diffIds(), strings(docker.get("Layers")));
        assertEquals(app.diffIds(), strings(oci.get("Layers")));
        assertEquals(Map.of("team", "a"), JSON.convertValue(oci.get("Labels"), Map.class));

        JsonNode dockerManifest = JSON.readTree(skopeo("inspect", "--raw", "docker-archive:" + archive));
        JsonNode ociManifest = JSON.readTree(skopeo("inspect", "--raw", "oci-archive:" + archive));
        assertEquals(app.id(), dockerManifest.path("config").path("digest").asText());
        assertEquals(app.id(), ociManifest.path("config").path("digest").asText());
        assertArrayEquals(app.config(), skopeo("inspect", "--config", "--raw", "oci-archive:" + archive)
                .getBytes(StandardCharsets.UTF_8));

        Map<String, byte[]> entries = entries(Files.readAllBytes(archive));
        JsonNode manifest = JSON.readTree(entries.get("manifest.json"));
        assertEquals("blobs/sha256/" + TestImages.hex(app.id()), manifest.get(0).get("Config").asText());
        assertEquals(List.of("team/app:1"), strings(manifest.get(0).get("RepoTags")));
        JsonNode index = JSON.readTree(entries.get("index.json"));
        JsonNode annotations = index.get("manifests").get(0).get("annotations");
        assertEquals("docker.io/team/app:1", annotations.get("io.containerd.image.name").asText());
        assertEquals("1", annotations.get("org.opencontainers.image.ref.name").asText());
    }

    @Test
    void layersAreReproducedByteForByte() throws Exception {
        Map<String, byte[]> entries = entries(f.save("team/app"));
        for (int i = 0; i < app.layers().size(); i++) {
            assertArrayEquals(app.layers().get(i), entries.get("blobs/sha256/" + TestImages.hex(app.diffIds().get(i))),
                    "layer " + i);
        }
        assertArrayEquals(app.config(), entries.get("blobs/sha256/" + TestImages.hex(app.id())));
        // A repository name saves all its tags.
        JsonNode manifest = JSON.readTree(entries.get("manifest.json"));
        assertEquals(List.of("team/app:1", "team/app:2"), strings(manifest.get(0).get("RepoTags")));
    }

    @Test
    void saveThenLoadElsewhereGivesTheSameImagesAndTheSameBytes() throws Exception {
        byte[] saved = f.save("busybox", "team/app:2");
        try (StoreFixture g = new StoreFixture(dir.resolve("b"))) {
            assertEquals(List.of("Loaded image: busybox:latest", "Loaded image: team/app:2"), g.load(saved));
            assertEquals(busybox.id(), g.store.inspect("busybox").id());
            assertEquals(app.id(), g.store.inspect("team/app:2").id());
            Map<String, byte[]> first = entries(saved);
            Map<String, byte[]> second = entries(g.save("busybox", "team/app:2"));
            for (String diff : app.diffIds()) {
                String name = "blobs/sha256/" + TestImages.hex(diff);
                assertArrayEquals(first.get(name), second.get(name), name);
            }
            g.assertConsistent();
        }
    }

    @Test
    void skopeoCopyToOciArchiveLoadsAsTheSameImage() throws Exception {
        Path a = dir.resolve("a.tar");
        Files.write(a, f.save("team/app:1"));
        // --preserve-digests keeps the config bytes (skopeo stores a schema2 manifest in the OCI layout): same ID.
        Path b = dir.resolve("b.tar");
        skopeo("copy", "-q", "--preserve-digests", "docker-archive:" + a, "oci-archive:" + b);
        try (StoreFixture g = new StoreFixture(dir.resolve("c"))) {
            assertEquals(List.of("Loaded image ID: " + app.id()), g.load(Files.readAllBytes(b)));
            g.assertConsistent();
        }
        // Without it skopeo 1.9 converts the manifest to OCI and re-serializes the config on the way (field order
        // changes), so the ID changes as it would for Docker; the content and the layers are the same.
        Path b2 = dir.resolve("b2.tar");
        skopeo("copy", "-q", "docker-archive:" + a, "oci-archive:" + b2);
        try (StoreFixture g = new StoreFixture(dir.resolve("c2"))) {
            String id = g.load(Files.readAllBytes(b2)).get(0).substring("Loaded image ID: ".length());
            assertEquals(JSON.readTree(app.config()), JSON.readTree(g.store.images.get(id).rawConfig()));
            assertEquals(app.diffIds(), g.store.inspect(id).rootFS().layers());
        }
        // From the OCI side of the archive nothing is converted (skopeo gzips the layers): same ID.
        Path b3 = dir.resolve("b3.tar");
        skopeo("copy", "-q", "oci-archive:" + a, "oci-archive:" + b3);
        try (StoreFixture g = new StoreFixture(dir.resolve("c3"))) {
            assertEquals(List.of("Loaded image ID: " + app.id()), g.load(Files.readAllBytes(b3)));
        }
        // and skopeo's own docker-archive (manifest.json only, no OCI layout) too
        Path c = dir.resolve("c.tar");
        skopeo("copy", "-q", "oci-archive:" + a, "docker-archive:" + c + ":team/app:copied");
        try (StoreFixture g = new StoreFixture(dir.resolve("d"))) {
            assertEquals(List.of("Loaded image: team/app:copied"), g.load(Files.readAllBytes(c)));
            assertEquals(app.id(), g.store.inspect("team/app:copied").id());
        }
    }

    @Test
    void anImageSavedByIdHasNoTagsAndStillLoads() throws Exception {
        byte[] saved = f.save(TestImages.hex(busybox.id()).substring(0, 10));
        JsonNode manifest = JSON.readTree(entries(saved).get("manifest.json"));
        assertEquals(true, manifest.get(0).get("RepoTags").isNull());
        try (StoreFixture g = new StoreFixture(dir.resolve("b"))) {
            assertEquals(List.of("Loaded image ID: " + busybox.id()), g.load(saved));
        }
    }

    @Test
    void unknownNamesAreNotFound() {
        EngineException e = assertThrows(EngineException.class, () -> f.save("nope:1"));
        assertEquals(EngineException.Kind.NOT_FOUND, e.kind());
        assertEquals("No such image: nope:1", e.getMessage());
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Map<String, byte[]> entries(byte[] tar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    static String skopeo(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("/usr/bin/skopeo");
        cmd.add("--insecure-policy");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("skopeo timed out: " + cmd);
        }
        assertEquals(0, p.exitValue(), () -> "skopeo " + String.join(" ", args) + ": " + err);
        return new String(out, StandardCharsets.UTF_8);
    }
}
