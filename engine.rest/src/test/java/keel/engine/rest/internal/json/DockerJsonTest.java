package keel.engine.rest.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.image.DeleteItem;
import keel.engine.api.image.HistoryEntry;
import keel.engine.api.image.ImageDetails;
import keel.engine.api.image.PruneReport;
import keel.engine.api.system.SystemInfo;

/** Every engine.api record the REST layer serves, checked key by key against swagger's names. */
class DockerJsonTest {
    private final DockerJson json = new DockerJson();

    @Test
    void systemInfoUsesDockersCapitalisedKeys() {
        SystemInfo info = new SystemInfo("ID1", "host", 1, 1, 0, 0, 2, "vfs", List.<String[]>of(), "/var/lib/keel",
                Map.of(), "json-file", "cgroupfs", "2", "6.1", "Debian", "12", "linux", "x86_64", 4, 8L, "0.1",
                false, List.of(), false, "", List.of(), List.of());
        ObjectNode n = json.tree(info);
        for (String key : List.of("ID", "NCPU", "OSType", "OSVersion", "Name", "Containers", "ContainersRunning",
                "ContainersPaused", "ContainersStopped", "Images", "Driver", "DriverStatus", "DockerRootDir",
                "Plugins", "LoggingDriver", "CgroupDriver", "CgroupVersion", "KernelVersion", "OperatingSystem",
                "Architecture", "MemTotal", "ServerVersion", "Debug", "Labels", "LiveRestoreEnabled",
                "InitBinary", "SecurityOptions", "Warnings")) {
            assertTrue(n.has(key), key + " in " + n);
        }
        assertEquals(28, n.size(), n.toString());
    }

    @Test
    void imageConfigOmitsUnsetFieldsAndKeepsDockersNames() {
        ContainerConfig c = ContainerConfig.builder().user("1000").env(List.of("A=b")).cmd(List.of("sh"))
                .entrypoint(List.of("/init")).workingDir("/w").exposedPorts(Map.of("80/tcp", Map.of()))
                .volumes(Map.of("/data", Map.of())).onBuild(List.of()).stopSignal("SIGTERM").argsEscaped(true)
                .healthcheck(new ContainerConfig.HealthConfig(List.of("CMD", "true"), 30_000_000_000L, null, null,
                        null, 3))
                .labels(Map.of("k", "v")).shell(List.of("/bin/sh", "-c")).build();
        ObjectNode n = json.tree(c);
        assertEquals(List.of("User", "ExposedPorts", "Env", "Cmd", "Healthcheck", "ArgsEscaped", "Volumes",
                "WorkingDir", "Entrypoint", "OnBuild", "Labels", "StopSignal", "Shell"), names(n));
        assertEquals(List.of("Test", "Interval", "Retries"), names(n.get("Healthcheck")));
        assertTrue(n.get("ExposedPorts").has("80/tcp"), "map keys are not renamed");
        assertEquals("{}", json.tree(ContainerConfig.EMPTY).toString());
    }

    @Test
    void imageDetailsKeys() {
        ImageDetails d = new ImageDetails("sha256:1", List.of(), List.of(), "", "", null, "", "", null, "amd64",
                null, "linux", "", 1, new ImageDetails.GraphDriver("overlay2", Map.of("MergedDir", "/m")),
                new ImageDetails.RootFS("layers", List.of("sha256:2")), new ImageDetails.Metadata("2024-01-01T00:00:00Z"));
        ObjectNode n = json.tree(d);
        assertEquals(List.of("Id", "RepoTags", "RepoDigests", "Parent", "Comment", "DockerVersion", "Author",
                "Config", "Architecture", "Os", "Size", "GraphDriver", "RootFS", "Metadata"), names(n));
        assertEquals("/m", n.at("/GraphDriver/Data/MergedDir").asText());
        assertEquals("sha256:2", n.at("/RootFS/Layers/0").asText());
        assertEquals("2024-01-01T00:00:00Z", n.at("/Metadata/LastTagTime").asText());
        ObjectNode withOptional = json.tree(new ImageDetails("sha256:1", List.of(), List.of(), "", "",
                "2024-01-01T00:00:00Z", "", "", null, "arm", "v7", "linux", "10.0", 1, null, null, null));
        assertEquals("v7", withOptional.get("Variant").asText());
        assertEquals("10.0", withOptional.get("OsVersion").asText());
        assertTrue(withOptional.has("Created"));
    }

    @Test
    void historyDeleteAndPruneKeys() {
        assertEquals(List.of("Id", "Created", "CreatedBy", "Tags", "Size", "Comment"),
                names(json.tree(new HistoryEntry("<missing>", 1, "sh", null, 2, ""))));
        assertEquals("{\"Untagged\":\"a:1\"}", json.tree(DeleteItem.untagged("a:1")).toString());
        assertEquals("{\"Deleted\":\"sha256:1\"}", json.tree(DeleteItem.deleted("sha256:1")).toString());
        assertEquals(List.of("ImagesDeleted", "SpaceReclaimed"),
                names(json.tree(new PruneReport(List.of(), 0))));
    }

    @Test
    void responsesEndWithANewlineAndDoNotEscapeHtml() {
        assertEquals("{\"a\":\"<none>:<none>\"}\n",
                new String(json.write(Map.of("a", "<none>:<none>")), java.nio.charset.StandardCharsets.UTF_8));
        assertFalse(new String(json.compact(Map.of("a", 1))).endsWith("\n"));
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
