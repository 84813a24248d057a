package keel.engine.core.internal.image.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.core.internal.image.TestImages;

/** The archive readers: OCI platform selection through nested indexes, Docker's legacy links, the spool's limits. */
class ArchiveReadersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ArchiveSpool spool(byte[] tar, ArchiveSpool.Limits limits) throws IOException {
        return ArchiveSpool.unpack(new ByteArrayInputStream(tar), Files.createTempDirectory(dir, "spool"), limits);
    }

    /** An OCI layout whose index names a multi-platform index: one manifest per platform plus an attestation. */
    private static byte[] multiPlatformLayout(List<String> platforms) {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        ObjectNode nested = JSON.createObjectNode();
        nested.put("schemaVersion", 2);
        nested.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode manifests = nested.putArray("manifests");
        for (String platform : platforms) {
            String[] p = platform.split("/");
            byte[] layer = TestImages.tar(t -> TestImages.file(t, "platform", 0644, platform.getBytes(StandardCharsets.UTF_8)));
            byte[] config = ("{\"architecture\":\"" + p[1] + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                    + "\"diff_ids\":[\"" + TestImages.sha256(layer) + "\"]}}").getBytes(StandardCharsets.UTF_8);
            blobs.put(TestImages.sha256(layer), layer);
            blobs.put(TestImages.sha256(config), config);
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                    + TestImages.sha256(config) + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                    + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + TestImages.sha256(layer)
                    + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
            blobs.put(TestImages.sha256(manifest), manifest);
            ObjectNode d = manifests.addObject();
            d.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
            d.put("digest", TestImages.sha256(manifest));
            d.put("size", manifest.length);
            ObjectNode pl = d.putObject("platform");
            pl.put("os", p[0]).put("architecture", p[1]);
            if (p.length > 2) {
                pl.put("variant", p[2]);
            }
        }
        ObjectNode attestation = manifests.addObject();
        attestation.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        attestation.put("digest", "sha256:" + "0".repeat(64));
        attestation.put("size", 10);
        attestation.putObject("platform").put("os", "unknown").put("architecture", "unknown");
        attestation.putObject("annotations").put("vnd.docker.reference.type", "attestation-manifest");
        byte[] nestedBytes = TestImages.json(nested);
        blobs.put(TestImages.sha256(nestedBytes), nestedBytes);
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        ObjectNode top = index.putArray("manifests").addObject();
        top.put("mediaType", "application/vnd.oci.image.index.v1+json");
        top.put("digest", TestImages.sha256(nestedBytes));
        top.put("size", nestedBytes.length);
        top.putObject("annotations").put("io.containerd.image.name", "docker.io/library/multi:1");
        return TestImages.tar(t -> {
            TestImages.file(t, "oci-layout", 0644, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            TestImages.file(t, "index.json", 0644, TestImages.json(index));
            blobs.forEach((digest, data) -> TestImages.file(t, "blobs/sha256/" + TestImages.hex(digest), 0644, data));
        });
    }

    @Test
    void choosesTheHostPlatformThroughANestedIndex() throws Exception {
        byte[] layout = multiPlatformLayout(List.of("linux/arm64/v8", "linux/amd64", "linux/s390x"));
        try (ArchiveSpool s = spool(layout, ArchiveSpool.Limits.DEFAULT)) {
            List<ArchivedImage> amd = OciLayoutReader.read(s, new Platform("linux", "amd64", null));
            assertEquals(1, amd.size());
            assertEquals("docker.io/library/multi:1", amd.get(0).tags().get(0).toString());
            assertTrue(new String(amd.get(0).config(), StandardCharsets.UTF_8).contains("\"amd64\""));
            List<ArchivedImage> arm = OciLayoutReader.read(s, new Platform("linux", "arm64", null));
            assertTrue(new String(arm.get(0).config(), StandardCharsets.UTF_8).contains("\"arm64\""));
            BadArchiveException e = assertThrows(BadArchiveException.class,
                    () -> OciLayoutReader.read(s, new Platform("linux", "riscv64", null)));
            assertEquals("no matching manifest for linux/riscv64 in the manifest list entries", e.getMessage());
        }
    }

    @Test
    void followsDockers24SymlinkedLayersInsideTheArchiveOnly() throws Exception {
        byte[] tar = TestImages.tar(t -> {
            TestImages.file(t, "aaa/layer.tar", 0644, "content".getBytes(StandardCharsets.UTF_8));
            TestImages.symlink(t, "bbb/layer.tar", "../aaa/layer.tar");
            TestImages.hardlink(t, "ccc", "aaa/layer.tar");
        });
        try (ArchiveSpool s = spool(tar, ArchiveSpool.Limits.DEFAULT)) {
            assertArrayEquals("content".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(s.file("bbb/layer.tar")));
            assertArrayEquals("content".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(s.file("ccc")));
            assertThrows(BadArchiveException.class, () -> s.file("../aaa/layer.tar"));
            // nothing but regular files and directories is on disk
            try (var all = Files.walk(s.dir())) {
                assertTrue(all.allMatch(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        || Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)));
            }
        }
    }

    @Test
    void refusesDevicesAndTooManyMembers() throws Exception {
        byte[] device = TestImages.tar(t -> {
            TarArchiveEntry e = new TarArchiveEntry("null", TarArchiveEntry.LF_CHR);
            e.setDevMajor(1);
            e.setDevMinor(3);
            try {
                t.putArchiveEntry(e);
                t.closeArchiveEntry();
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        BadArchiveException e = assertThrows(BadArchiveException.class, () -> spool(device, ArchiveSpool.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("only files and directories"), e.getMessage());
        byte[] many = TestImages.tar(t -> {
            for (int i = 0; i < 20; i++) {
                TestImages.file(t, "f" + i, 0644, new byte[1]);
            }
        });
        e = assertThrows(BadArchiveException.class, () -> spool(many, new ArchiveSpool.Limits(10, 1 << 20, 4096)));
        assertTrue(e.getMessage().contains("more than 10 members"), e.getMessage());
        e = assertThrows(BadArchiveException.class, () -> spool(many, new ArchiveSpool.Limits(100, 5, 4096)));
        assertTrue(e.getMessage().contains("more than 5 bytes"), e.getMessage());
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "failed spools are removed");
        }
    }
}
