package keel.engine.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import keel.engine.rest.DockerCliProcess.Result;
import keel.engine.api.errors.EngineException;

/**
 * The real docker CLI (28.x, API 1.50) against the server with fake services: the acceptance test of the wire
 * format. Every command must exit 0 (unless it is meant to fail) and print no warning or error caused by a field
 * the CLI expected and did not get.
 */
class DockerCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture(dir.resolve("srv"));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Result docker(String... args) throws Exception {
        return dockerWithEnv(Map.of(), args);
    }

    @Test
    void version() throws Exception {
        Result r = docker("version").ok();
        assertTrue(r.out().contains("Server: Keel Engine"), r.out());
        assertTrue(r.out().matches("(?s).*Engine:\\s+Version:\\s+" + FakeSystemService.VERSION + "\\s.*"), r.out());
        assertTrue(r.out().matches("(?s).*API version:\\s+1\\.50 \\(minimum version 1\\.24\\).*"), r.out());
        assertTrue(r.out().matches("(?s).*OS/Arch:\\s+linux/amd64.*"), r.out());
        // The client did not have to downgrade.
        assertFalse(r.out().contains("downgraded"), r.out());
    }

    @Test
    void info() throws Exception {
        Result r = docker("info").ok();
        assertTrue(r.out().contains("Server Version: " + FakeSystemService.VERSION), r.out());
        assertTrue(r.out().contains("Storage Driver: vfs"), r.out());
        assertTrue(r.out().contains("Backing Filesystem: extfs"), r.out());
        assertTrue(r.out().contains("Swarm: inactive"), r.out());
        assertTrue(r.out().contains("Default Runtime: keel-native"), r.out());
        assertTrue(r.out().contains("seccomp"), r.out());
        assertTrue(r.out().contains("Total Memory: 24GiB"), r.out());
        assertTrue(r.out().contains("ID: KEEL:TEST:ID"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void infoPrintsTheEnginesWarnings() throws Exception {
        api.system.warnings = List.of("WARNING: no storage driver named zfs is installed");
        Result r = docker("info");
        assertEquals(0, r.exit());
        assertEquals("WARNING: no storage driver named zfs is installed", r.err().strip());
    }

    @Test
    void images() throws Exception {
        Result r = docker("images").ok();
        assertTrue(r.out().matches("(?s).*busybox\\s+latest\\s+abababababab\\s.*"), r.out());
        assertTrue(r.out().matches("(?s).*registry\\.example:5000/team/app\\s+1\\.0\\s+abababababab\\s.*"), r.out());
        assertTrue(r.out().matches("(?s).*<none>\\s+<none>\\s+999999999999\\s.*"), r.out());

        docker("images", "-a", "--filter", "dangling=true", "--filter", "label=a=b").ok();
        assertEquals(Boolean.TRUE, api.images.lastAll);
        assertEquals(Map.of("dangling", List.of("true"), "label", List.of("a=b")), api.images.lastFilters);

        Result q = docker("images", "-q", "--no-trunc").ok();
        assertTrue(q.out().contains(FakeImageService.ID), q.out());
    }

    @Test
    void imageInspectAndHistory() throws Exception {
        Result r = docker("image", "inspect", "registry.example:5000/team/app:1.0").ok();
        JsonNode d = JSON.readTree(r.out()).get(0);
        assertEquals(FakeImageService.ID, d.get("Id").asText());
        assertEquals("sh", d.at("/Config/Cmd/0").asText());
        assertEquals("layers", d.at("/RootFS/Type").asText());

        Result f = docker("image", "inspect", "-f", "{{.Os}}/{{.Architecture}} {{.GraphDriver.Name}}", "busybox").ok();
        assertEquals("linux/amd64 vfs", f.out().strip());

        Result h = docker("history", "busybox").ok();
        assertTrue(h.out().matches("(?s).*abababababab\\s.*CMD \\[\"sh\"].*"), h.out());
        assertTrue(h.out().matches("(?s).*<missing>\\s.*ADD file:abc.*4\\.26MB.*"), h.out());

        Result missing = docker("image", "inspect", "nothing-here");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("No such image: nothing-here"), missing.err());
    }

    @Test
    void tagAndRmi() throws Exception {
        docker("tag", "busybox", "myrepo/app:v1").ok();
        // The CLI sends the normalized repository; resolving docker.io/ is the image service's business.
        assertEquals("tag busybox docker.io/myrepo/app v1", api.images.calls.get(0));
        Result r = docker("rmi", "myrepo/app:v1").ok();
        assertTrue(r.out().contains("Untagged: myrepo/app:v1"), r.out());
        assertTrue(r.out().contains("Deleted: " + FakeImageService.ID), r.out());
        assertEquals("remove myrepo/app:v1 force=false noprune=false", api.images.calls.get(1));
        docker("rmi", "-f", "--no-prune", "busybox").ok();
        assertEquals("remove busybox force=true noprune=true", api.images.calls.get(2));

        Result conflict = docker("rmi", "fail-conflict");
        assertEquals(1, conflict.exit());
        assertTrue(conflict.err().contains("failing as asked: fail-conflict"), conflict.err());
    }

    @Test
    void load() throws Exception {
        Path tar = dir.resolve("busybox.tar");
        byte[] content = new byte[3 << 20];
        Files.write(tar, content);
        Result r = docker("load", "-i", tar.toString()).ok();
        assertEquals("Loaded image: busybox:latest", r.out().strip());
        assertEquals(content.length, api.images.lastBodyBytes);

        api.images.load = (in, progress) -> {
            FakeImageService.drain(in);
            progress.progress("abcd1234abcd", "Loading layer", 10, 100);
            throw EngineException.invalid("layer abcd1234abcd: unexpected end of archive");
        };
        Result failed = docker("load", "-i", tar.toString());
        assertEquals(1, failed.exit());
        assertTrue(failed.err().contains("unexpected end of archive"), failed.err());
    }

    @Test
    void save() throws Exception {
        byte[] tar = new byte[2 << 20];
        for (int i = 0; i < tar.length; i++) {
            tar[i] = (byte) (i * 31);
        }
        api.images.save = (names, out) -> out.write(tar);
        Path out = dir.resolve("out.tar");
        docker("save", "-o", out.toString(), "busybox", "registry.example:5000/team/app:1.0").ok();
        assertArrayEquals(tar, Files.readAllBytes(out));
        assertEquals("save [busybox, registry.example:5000/team/app:1.0]", api.images.calls.get(0));

        Result missing = docker("save", "-o", dir.resolve("none.tar").toString(), "fail-not-found");
        assertNotEquals(0, missing.exit());
        assertTrue(missing.err().contains("failing as asked"), missing.err());
    }

    @Test
    void importFromAFile() throws Exception {
        Path rootfs = dir.resolve("rootfs.tar");
        Files.write(rootfs, new byte[50_000]);
        Result r = docker("import", "-c", "CMD [\"sh\"]", "-m", "from the test", rootfs.toString(), "imported:1")
                .ok();
        assertEquals("sha256:" + "ef".repeat(32), r.out().strip());
        assertEquals("imported", api.images.lastImport.repository());
        assertEquals("1", api.images.lastImport.tag());
        assertEquals(List.of("CMD [\"sh\"]"), api.images.lastImport.changes());
        assertEquals("from the test", api.images.lastImport.message());
        assertEquals(50_000, api.images.lastBodyBytes);
    }

    @Test
    void pullSaysItIsNotSupportedYet() throws Exception {
        Result r = docker("pull", "busybox");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("pulling from a registry is not supported yet"), r.err());
    }

    @Test
    void prune() throws Exception {
        Result r = docker("image", "prune", "-f").ok();
        assertTrue(r.out().contains("deleted: sha256:" + "99".repeat(32)), r.out());
        assertTrue(r.out().contains("Total reclaimed space: 1kB"), r.out());
        assertEquals(List.of("true"), api.images.lastFilters.get("dangling"));
    }

    @Test
    void pluginLifecycle() throws Exception {
        Result ls = docker("plugin", "ls").ok();
        assertTrue(ls.out().matches("(?s).*[0-9a-f]{12}\\s+vfs:latest\\s+keel\\.storage\\.vfs 0\\.1\\.0.*true.*"),
                ls.out());

        // What an operator does: a directory with the bundle and the config.json the CLI insists on.
        Path pluginDir = Files.createDirectories(dir.resolve("zfs-plugin"));
        Files.writeString(pluginDir.resolve("config.json"), "{\"Description\": \"zfs storage driver\"}");
        Files.write(pluginDir.resolve("zfs.jar"), new byte[] {'P', 'K', 3, 4, 9, 9});
        Result create = docker("plugin", "create", "zfs", pluginDir.toString()).ok();
        assertEquals("zfs", create.out().strip());
        byte[] sent = api.plugins.installed.get("zfs");
        assertTrue(tarNames(sent).contains("zfs.jar"), "the service gets the tar: " + tarNames(sent));

        Result inspect = docker("plugin", "inspect", "zfs").ok();
        JsonNode p = JSON.readTree(inspect.out()).get(0);
        assertEquals("zfs:latest", p.get("Name").asText());
        assertEquals("keel.storagedriver/1.0", p.at("/Config/Interface/Types/0").asText());

        docker("plugin", "disable", "zfs").ok();
        assertFalse(api.plugins.plugins.get("zfs").enabled());
        Result disabled = docker("plugin", "ls", "--filter", "enabled=false", "--format", "{{.Name}} {{.Enabled}}")
                .ok();
        assertEquals("zfs:latest false", disabled.out().strip());
        docker("plugin", "enable", "zfs").ok();
        assertTrue(api.plugins.plugins.get("zfs").enabled());

        Result refused = docker("plugin", "rm", "zfs");
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("disable it first"), refused.err());
        Result rm = docker("plugin", "rm", "-f", "zfs").ok();
        assertEquals("zfs", rm.out().strip());
        assertFalse(api.plugins.plugins.containsKey("zfs"));
    }

    @Test
    void tooNewClientVersionIsRefused() throws Exception {
        Result r = dockerWithEnv(Map.of("DOCKER_API_VERSION", "1.99"), "version");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("Maximum supported API version is 1.50"), r.err());
    }

    private Result dockerWithEnv(Map<String, String> extra, String... args) throws Exception {
        return DockerCliProcess.run(dir, api.host(), extra, null, args);
    }

    /** Entry names of an uncompressed tar (ustar headers every 512 bytes). */
    private static List<String> tarNames(byte[] tar) throws IOException {
        List<String> names = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(tar);
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
            int len = 0;
            while (len < 100 && header[len] != 0) {
                len++;
            }
            names.add(new String(header, 0, len, StandardCharsets.UTF_8));
            long size = Long.parseLong(new String(header, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
            in.skipNBytes((size + 511) / 512 * 512);
        }
        return names;
    }
}
