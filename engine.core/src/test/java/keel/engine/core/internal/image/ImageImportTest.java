package keel.engine.core.internal.image;

import static keel.engine.core.internal.image.ImageRemovalTest.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.image.ImageDetails;
import keel.engine.api.image.ImportOptions;
import keel.engine.api.image.ProgressListener;

/** {@code docker import} of a rootfs tarball, compressed in every way Docker accepts, with changes. */
class ImageImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    StoreFixture f;

    @BeforeEach
    void open() throws Exception {
        f = new StoreFixture(dir);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private String importBytes(byte[] data, ImportOptions o) {
        return f.store.importImage(new ByteArrayInputStream(data), o, ProgressListener.NONE);
    }

    @Test
    void importsWithChangesAsDockerDoes() throws Exception {
        byte[] rootfs = TestImages.busyboxRootfs();
        String id = importBytes(rootfs, new ImportOptions("team/imported", "v1", List.of(
                "ENV PATH=/bin:/usr/bin GREETING=\"hello world\"",
                "ENV LEGACY value with spaces",
                "CMD echo $GREETING",
                "ENTRYPOINT [\"/bin/sh\", \"-c\"]",
                "EXPOSE 80 53/udp 8000-8001",
                "LABEL maintainer=me \"quoted key\"=v",
                "USER 1000:1000",
                "WORKDIR /app",
                "WORKDIR sub",
                "VOLUME /data /cache",
                "STOPSIGNAL SIGINT",
                "ONBUILD RUN echo built"), "", null));
        ImageDetails d = f.store.inspect("team/imported:v1");
        assertEquals(id, d.id());
        assertEquals(List.of(TestImages.sha256(rootfs)), d.rootFS().layers());
        assertEquals("Imported from -", d.comment());
        ContainerConfig c = d.config();
        assertEquals(List.of("PATH=/bin:/usr/bin", "GREETING=hello world", "LEGACY=value with spaces"), c.env());
        // CMD's shell form is not expanded; ENTRYPOINT after CMD in the same changes keeps it.
        assertEquals(List.of("/bin/sh", "-c", "echo $GREETING"), c.cmd());
        assertEquals(List.of("/bin/sh", "-c"), c.entrypoint());
        assertEquals(java.util.Set.of("80/tcp", "53/udp", "8000/tcp", "8001/tcp"), c.exposedPorts().keySet());
        assertEquals(Map.of("maintainer", "me", "quoted key", "v"), c.labels());
        assertEquals("1000:1000", c.user());
        assertEquals("/app/sub", c.workingDir());
        assertEquals(java.util.Set.of("/data", "/cache"), c.volumes().keySet());
        assertEquals("SIGINT", c.stopSignal());
        assertEquals(List.of("RUN echo built"), c.onBuild());
        assertTrue(d.metadata().lastTagTime().endsWith("Z"));

        JsonNode config = JSON.readTree(f.store.images.get(id).rawConfig());
        assertEquals(List.of("architecture", "comment", "config", "created", "history", "os", "rootfs"),
                iterate(config.fieldNames()));
        assertEquals("Imported from -", config.path("history").get(0).path("comment").asText());
        assertEquals(config.path("created"), config.path("history").get(0).path("created"));
        assertEquals(id, TestImages.sha256(f.store.images.get(id).rawConfig()));
        // and the imported layer saves back to the exact tarball
        Map<String, byte[]> saved = ImageSaveTest.entries(f.save("team/imported:v1"));
        assertArrayEquals(rootfs, saved.get("blobs/sha256/" + TestImages.hex(TestImages.sha256(rootfs))));
        f.assertConsistent();
    }

    @Test
    void importsGzipBzip2AndXzAndUntaggedWithAMessage() throws Exception {
        byte[] rootfs = TestImages.busyboxRootfs();
        String layer = TestImages.sha256(rootfs);
        for (byte[] data : List.of(TestImages.gzip(rootfs), compress(rootfs, "bzip2"), compress(rootfs, "xz"))) {
            String id = importBytes(data, new ImportOptions(null, null, List.of(), "my message", "linux/arm64"));
            ImageDetails d = f.store.inspect(id);
            assertEquals(List.of(layer), d.rootFS().layers());
            assertEquals("my message", d.comment());
            assertEquals("arm64", d.architecture());
            assertEquals(List.of(), d.repoTags());
            assertNull(d.config().cmd());
        }
        assertEquals(1, f.store.layerChainIds().size());
        f.assertConsistent();
    }

    @Test
    void refusesInvalidChangesBeforeReadingAnything() throws Exception {
        byte[] rootfs = TestImages.busyboxRootfs();
        assertInvalid("run is not a valid change command",
                () -> importBytes(rootfs, new ImportOptions(null, null, List.of("RUN echo hi"), null, null)));
        assertInvalid("from is not a valid change command",
                () -> importBytes(rootfs, new ImportOptions(null, null, List.of("CMD sh", "FROM busybox"), null, null)));
        assertInvalid("invalid reference format: repository name (library/Bad) must be lowercase",
                () -> importBytes(rootfs, new ImportOptions("Bad", null, List.of(), null, null)));
        assertInvalid("operating system is not supported",
                () -> importBytes(rootfs, new ImportOptions(null, null, List.of(), null, "windows/amd64")));
        assertEquals(0, f.store.imageCount());
        f.assertConsistent();
    }

    @Test
    void refusesATarballThatIsNotATar() throws Exception {
        EngineExceptionAssert.invalidContaining("failed to register layer", () -> importBytes(
                "this is not a tar archive\n".repeat(50).getBytes(),
                new ImportOptions("x", null, List.of(), null, null)));
        byte[] rootfs = TestImages.busyboxRootfs();
        byte[] truncated = java.util.Arrays.copyOf(rootfs, rootfs.length / 2 + 100);
        EngineExceptionAssert.invalidContaining("", () -> importBytes(truncated,
                new ImportOptions("x", null, List.of(), null, null)));
        assertEquals(0, f.store.imageCount());
        assertEquals(java.util.Set.of(), f.driver.ids());
        f.assertConsistent();
    }

    private static byte[] compress(byte[] data, String how) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = how.equals("xz") ? new XZCompressorOutputStream(out) : new BZip2CompressorOutputStream(out)) {
            c.write(data);
        }
        return out.toByteArray();
    }

    private static List<String> iterate(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
