package keel.engine.core.internal.image;

import static keel.engine.core.internal.image.EngineExceptionAssert.invalidContaining;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.api.image.ImageSummary;

/**
 * A load that fails, for whatever reason, registers nothing (no image, no layer, no name), removes what it
 * unpacked and made, and leaves images that were there before as they were.
 */
class LoadFailureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    StoreFixture f;
    TestImages.Image busybox;
    TestImages.Image app;
    Set<String> layersBefore;

    @BeforeEach
    void open() throws Exception {
        f = new StoreFixture(dir.resolve("root"));
        busybox = TestImages.busybox();
        app = TestImages.app("hello\n", Map.of(), "2024-06-01T00:00:00Z");
        f.load(TestImages.dockerArchive(List.of(new TestImages.Named(busybox, "busybox:latest")), true, false));
        layersBefore = f.store.layerChainIds();
    }

    @AfterEach
    void close() throws Exception {
        // Whatever failed: only busybox is there, whole, and nothing is left over.
        assertEquals(List.of(busybox.id()), f.store.list(true, Map.of()).stream().map(ImageSummary::id).toList());
        assertEquals(List.of("busybox:latest"), f.store.inspect(busybox.id()).repoTags());
        assertEquals(layersBefore, f.store.layerChainIds());
        f.assertConsistent();
        // and the same after a restart
        f.reopen();
        assertEquals(List.of(), f.lastRepairs);
        f.close();
    }

    private void loadFails(String message, byte[] archive) {
        invalidContaining(message, () -> f.store.load(new ByteArrayInputStream(archive), null));
    }

    @Test
    void garbageIsNotAnArchive() {
        loadFails("invalid archive", "no tar here, just text\n".repeat(100).getBytes(StandardCharsets.UTF_8));
        loadFails("invalid archive", new byte[0]);
        loadFails("neither a manifest.json", TestImages.tar(t -> TestImages.file(t, "hello", 0644, new byte[3])));
    }

    @Test
    void aLayerBlobThatDoesNotMatchItsDigest() throws Exception {
        byte[] oci = TestImages.ociArchive(app, Map.of("io.containerd.image.name", "app:1"), false);
        Map<String, byte[]> entries = entries(oci);
        String top = "blobs/sha256/" + TestImages.hex(app.diffIds().get(1));
        byte[] tampered = entries.get(top).clone();
        int at = indexOf(tampered, "hello\n".getBytes(StandardCharsets.UTF_8));
        tampered[at] ^= 1; // inside a file's content: still a valid tar, a different DiffID
        entries.put(top, tampered);
        loadFails("does not match its digest", rebuild(entries));
    }

    @Test
    void aLayerThatDoesNotMatchItsDiffId() throws Exception {
        byte[] other = TestImages.appLayer("other\n");
        TestImages.Image lying = new TestImages.Image(app.config(), List.of(app.layers().get(0), other));
        loadFails("invalid diffID for layer 1: expected \"" + app.diffIds().get(1) + "\", got \""
                + TestImages.sha256(other) + "\"",
                TestImages.dockerArchive(List.of(new TestImages.Named(lying, "app:1")), false, false));
    }

    @Test
    void aMissingLayerOrConfig() throws Exception {
        byte[] archive = TestImages.dockerArchive(List.of(new TestImages.Named(app, "app:1")), true, false);
        Map<String, byte[]> entries = entries(archive);
        entries.remove("blobs/sha256/" + TestImages.hex(app.diffIds().get(1)));
        loadFails("is missing", rebuild(entries));
        entries = entries(archive);
        entries.remove("blobs/sha256/" + TestImages.hex(app.id()));
        loadFails("is missing", rebuild(entries));
        ArrayNode manifest = (ArrayNode) JSON.readTree(entries(archive).get("manifest.json"));
        ((ArrayNode) manifest.get(0).get("Layers")).remove(1);
        entries = entries(archive);
        entries.put("manifest.json", JSON.writeValueAsBytes(manifest));
        loadFails("invalid manifest, layers length mismatch: expected 1, got 2", rebuild(entries));
    }

    @Test
    void zstdLayersAreRefusedClearly() throws Exception {
        byte[] oci = TestImages.ociArchive(app, Map.of(), false);
        Map<String, byte[]> entries = entries(oci);
        ObjectNode index = (ObjectNode) JSON.readTree(entries.get("index.json"));
        String manifestName = "blobs/sha256/" + TestImages.hex(index.get("manifests").get(0).get("digest").asText());
        String manifest = new String(entries.get(manifestName), StandardCharsets.UTF_8)
                .replace("application/vnd.oci.image.layer.v1.tar\"", "application/vnd.oci.image.layer.v1.tar+zstd\"");
        byte[] m = manifest.getBytes(StandardCharsets.UTF_8);
        entries.remove(manifestName);
        entries.put("blobs/sha256/" + TestImages.hex(TestImages.sha256(m)), m);
        ((ObjectNode) index.get("manifests").get(0)).put("digest", TestImages.sha256(m)).put("size", m.length);
        entries.put("index.json", JSON.writeValueAsBytes(index));
        loadFails("zstd", rebuild(entries));
        // and a docker archive whose layer file is zstd data (recognized by its magic bytes)
        Map<String, byte[]> d = entries(TestImages.dockerArchive(List.of(new TestImages.Named(app, "app:1")), false, false));
        String layerName = d.keySet().stream().filter(k -> k.endsWith("layer.tar")).skip(1).findFirst().orElseThrow();
        d.put(layerName, new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0, 0, 0, 0});
        loadFails("zstd", rebuild(d));
    }

    @Test
    void memberNamesThatClimbOutAreRefusedAndNothingIsWrittenOutside() throws Exception {
        byte[] archive = TestImages.dockerArchive(List.of(new TestImages.Named(app, "app:1")), true, false);
        for (String evil : List.of("../escaped", "blobs/../../escaped", "/escaped")) {
            Map<String, byte[]> entries = entries(archive);
            entries.put(evil, "pwned".getBytes(StandardCharsets.UTF_8));
            loadFails("invalid archive member", rebuild(entries));
        }
        // A symlink member pointing out of the archive is refused too.
        byte[] withLink = TestImages.tar(t -> TestImages.symlink(t, "manifest.json", "../../../../etc/passwd"));
        loadFails("link points outside the archive", withLink);
        assertFalse(Files.exists(dir.resolve("escaped")));
        assertFalse(Files.exists(dir.resolve("root/escaped")));
        assertFalse(Files.exists(Path.of("/escaped")));
        // and a layer whose own members climb out is refused by the layer archiver
        byte[] evilLayer = TestImages.tar(t -> TestImages.file(t, "../../layer-escaped", 0644, new byte[1]));
        byte[] config = TestImages.config(List.of(TestImages.sha256(evilLayer)), List.of("sh"), Map.of(),
                TestImages.CREATED, List.of("x"));
        loadFails("failed to register layer", TestImages.dockerArchive(List.of(new TestImages.Named(
                new TestImages.Image(config, List.of(evilLayer)), "evil:1")), true, false));
        assertFalse(Files.exists(dir.resolve("root/layer-escaped")));
    }

    @Test
    void aFailureInTheSecondImageUndoesTheFirst() throws Exception {
        TestImages.Image good = TestImages.app("good\n", Map.of(), "2024-06-01T00:00:00Z");
        TestImages.Image bad = TestImages.app("bad\n", Map.of(), "2024-06-02T00:00:00Z");
        byte[] archive = TestImages.dockerArchive(List.of(new TestImages.Named(good, "good:1"),
                new TestImages.Named(bad, "bad:1")), true, false);
        Map<String, byte[]> entries = entries(archive);
        entries.put("blobs/sha256/" + TestImages.hex(bad.id()), "{\"rootfs\": 1}".getBytes(StandardCharsets.UTF_8));
        loadFails("does not match its digest", rebuild(entries));
        TestImages.Image noRootfs = new TestImages.Image("{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8), List.of());
        loadFails("invalid image JSON, no RootFS key", TestImages.dockerArchive(List.of(
                new TestImages.Named(good, "good:1"), new TestImages.Named(noRootfs, "bad:1")), false, false));
        loadFails("invalid tag \"bad@", TestImages.dockerArchive(List.of(
                new TestImages.Named(good, "good:1"), new TestImages.Named(bad, "bad@" + bad.id())), false, false));
    }

    static int indexOf(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i <= data.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    static Map<String, byte[]> entries(byte[] tar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.isDirectory()) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }

    static byte[] rebuild(Map<String, byte[]> entries) {
        return TestImages.tar(t -> {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey(), true);
                te.setSize(e.getValue().length);
                te.setMode(0100644);
                try {
                    t.putArchiveEntry(te);
                    t.write(e.getValue());
                    t.closeArchiveEntry();
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }
        });
    }
}
