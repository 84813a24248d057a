package keel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.cli.internal.http.ClientVersion;

/** version, info and inspect in docker's layouts. */
class SystemCommandsTest {

    static final String VERSION = "{\"Platform\":{\"Name\":\"Keel Engine\"},\"Components\":[{\"Name\":\"Engine\","
            + "\"Version\":\"0.1.0\",\"Details\":{\"ApiVersion\":\"1.50\",\"Arch\":\"amd64\",\"BuildTime\":"
            + "\"2025-05-30T12:07:26.000000000+00:00\",\"Experimental\":\"false\",\"GitCommit\":\"abc1234\","
            + "\"JavaVersion\":\"17.0.15\",\"KernelVersion\":\"6.1.0\",\"MinAPIVersion\":\"1.24\",\"Os\":\"linux\"}}],"
            + "\"Version\":\"0.1.0\",\"ApiVersion\":\"1.50\",\"MinAPIVersion\":\"1.24\",\"GitCommit\":\"abc1234\","
            + "\"Os\":\"linux\",\"Arch\":\"amd64\",\"KernelVersion\":\"6.1.0\",\"BuildTime\":"
            + "\"2025-05-30T12:07:26.000000000+00:00\"}";

    static final String INFO = "{\"ID\":\"ABCD\",\"Containers\":0,\"ContainersRunning\":0,\"ContainersPaused\":0,"
            + "\"ContainersStopped\":0,\"Images\":3,\"Driver\":\"overlay\",\"DriverStatus\":[[\"Backing Filesystem\","
            + "\"extfs\"],[\"Supports d_type\",\"true\"]],\"Plugins\":{\"Volume\":[\"local\"],\"Network\":[\"bridge\","
            + "\"host\",\"null\"],\"Authorization\":null,\"Log\":[\"json-file\"],\"Storage\":[\"overlay\",\"vfs\"]},"
            + "\"Debug\":false,\"LoggingDriver\":\"json-file\",\"CgroupDriver\":\"cgroupfs\",\"CgroupVersion\":\"2\","
            + "\"KernelVersion\":\"6.1.0-18-amd64\",\"OperatingSystem\":\"Debian GNU/Linux 12 (bookworm)\","
            + "\"OSVersion\":\"12\",\"OSType\":\"linux\",\"Architecture\":\"x86_64\",\"RegistryConfig\":null,"
            + "\"NCPU\":2,\"MemTotal\":25219547136,\"DockerRootDir\":\"/var/lib/keel\",\"HttpProxy\":\"\","
            + "\"HttpsProxy\":\"\",\"NoProxy\":\"\",\"Name\":\"host1\",\"Labels\":[],\"ExperimentalBuild\":false,"
            + "\"ServerVersion\":\"0.1.0\",\"Runtimes\":{\"runc\":{\"path\":\"runc\"}},\"DefaultRuntime\":\"runc\","
            + "\"Swarm\":{\"NodeID\":\"\",\"LocalNodeState\":\"inactive\"},\"LiveRestoreEnabled\":false,"
            + "\"InitBinary\":\"docker-init\",\"ContainerdCommit\":{\"ID\":\"\"},\"RuncCommit\":{\"ID\":\"\"},"
            + "\"InitCommit\":{\"ID\":\"\"},\"SecurityOptions\":[\"name=seccomp,profile=builtin\",\"name=cgroupns\"],"
            + "\"Warnings\":[\"WARNING: bridge-nf-call-iptables is disabled\"]}";

    @TempDir
    Path dir;
    FakeDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = new FakeDaemon(dir);
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    private static String clientSection(String apiLine) {
        return "Client:\n"
                + " Version:           " + ClientVersion.VERSION + "\n"
                + " API version:       " + apiLine + "\n"
                + " Java version:      " + System.getProperty("java.version") + "\n"
                + " OS/Arch:           linux/" + ("aarch64".equals(System.getProperty("os.arch")) ? "arm64" : "amd64")
                + "\n";
    }

    @Test
    void versionInDockersLayout() {
        daemon.onJson("GET /version", VERSION);
        CliRun.Result r = CliRun.against(daemon).run("version");
        assertEquals(0, r.code, r.toString());
        assertEquals(clientSection("1.50") + "\n"
                + "Server: Keel Engine\n"
                + " Engine:\n"
                + "  Version:          0.1.0\n"
                + "  API version:      1.50 (minimum version 1.24)\n"
                + "  Java version:     17.0.15\n"
                + "  Git commit:       abc1234\n"
                + "  Built:            Fri May 30 12:07:26 2025\n"
                + "  OS/Arch:          linux/amd64\n"
                + "  Experimental:     false\n", r.out);
        assertEquals(List.of("HEAD /_ping", "GET /v1.50/version"),
                daemon.requests().stream().map(Object::toString).collect(Collectors.toList()));
    }

    @Test
    void versionNegotiatesDownToAnOlderDaemon() {
        daemon.apiVersion = "1.45";
        daemon.onJson("GET /version", "{\"Version\":\"0.1.0\",\"ApiVersion\":\"1.45\",\"MinAPIVersion\":\"1.24\","
                + "\"GitCommit\":\"abc\",\"Os\":\"linux\",\"Arch\":\"amd64\",\"BuildTime\":\"\"}");
        CliRun.Result r = CliRun.against(daemon).run("version");
        assertEquals(0, r.code, r.toString());
        assertTrue(r.out.startsWith(clientSection("1.45 (downgraded from 1.50)") + "\nServer:\n Engine:\n"
                + "  Version:          0.1.0\n  API version:      1.45 (minimum version 1.24)\n"
                + "  Git commit:       abc\n"), r.out);
        assertEquals("/v1.45/version", daemon.last().target);
    }

    @Test
    void versionWithoutADaemonStillPrintsTheClient() throws Exception {
        daemon.close();
        CliRun.Result r = CliRun.against(daemon).run("version");
        assertEquals(1, r.code);
        assertEquals(clientSection("1.50"), r.out);
        assertEquals("Cannot connect to the Keel daemon at " + daemon.host() + ". Is the daemon running?\n", r.err);
    }

    @Test
    void versionFormat() {
        daemon.onJson("GET /version", VERSION);
        assertEquals("0.1.0 1.50\n", CliRun.against(daemon).run("version", "-f", "{{.Server.Version}} {{.Client.ApiVersion}}").out);
        CliRun.Result json = CliRun.against(daemon).run("version", "--format", "json");
        assertTrue(json.out.startsWith("{\"Client\":{\"Version\":\"" + ClientVersion.VERSION + "\",\"ApiVersion\":\"1.50\""),
                json.out);
        CliRun.Result bad = CliRun.against(daemon).run("version", "-f", "{{.Client");
        assertEquals(64, bad.code);
        assertEquals("template parsing error: template: version:1: unclosed action\n", bad.err);
    }

    @Test
    void infoInDockersLayout() {
        daemon.onJson("GET /info", INFO);
        CliRun.Result r = CliRun.against(daemon).run("info");
        assertEquals(0, r.code, r.toString());
        assertEquals("Client:\n Version:    " + ClientVersion.VERSION + "\n Debug Mode: false\n\n"
                + "Server:\n"
                + " Containers: 0\n  Running: 0\n  Paused: 0\n  Stopped: 0\n"
                + " Images: 3\n"
                + " Server Version: 0.1.0\n"
                + " Storage Driver: overlay\n  Backing Filesystem: extfs\n  Supports d_type: true\n"
                + " Logging Driver: json-file\n Cgroup Driver: cgroupfs\n Cgroup Version: 2\n"
                + " Plugins:\n  Volume: local\n  Network: bridge host null\n  Log: json-file\n  Storage: overlay vfs\n"
                + " Swarm: inactive\n"
                + " Runtimes: runc\n Default Runtime: runc\n"
                + " Init Binary: docker-init\n containerd version: \n runc version: \n init version: \n"
                + " Security Options:\n  seccomp\n   Profile: builtin\n  cgroupns\n"
                + " Kernel Version: 6.1.0-18-amd64\n Operating System: Debian GNU/Linux 12 (bookworm)\n"
                + " OSType: linux\n Architecture: x86_64\n CPUs: 2\n Total Memory: 23.49GiB\n"
                + " Name: host1\n ID: ABCD\n Docker Root Dir: /var/lib/keel\n Debug Mode: false\n"
                + " Experimental: false\n Live Restore Enabled: false\n\n", r.out);
        assertEquals("WARNING: bridge-nf-call-iptables is disabled\n", r.err);
        assertEquals("overlay 3\n", CliRun.against(daemon).run("system", "info", "-f", "{{.Driver}} {{.Images}}").out);
    }

    @Test
    void infoWithoutADaemon() throws Exception {
        daemon.close();
        CliRun.Result r = CliRun.against(daemon).run("info");
        assertEquals(1, r.code);
        assertEquals("Client:\n Version:    " + ClientVersion.VERSION + "\n Debug Mode: false\n\nServer:\n", r.out);
        assertEquals("Cannot connect to the Keel daemon at " + daemon.host() + ". Is the daemon running?\n", r.err);
    }

    @Test
    void inspectFallsThroughToPlugins() {
        daemon.onJson("GET /plugins/storage-vfs/json", "{\"Id\":\"1234\",\"Name\":\"storage-vfs\",\"Enabled\":true}");
        CliRun.Result r = CliRun.against(daemon).run("inspect", "-f", "{{.Name}} {{.Enabled}}", "storage-vfs");
        assertEquals(0, r.code, r.toString());
        assertEquals("storage-vfs true\n", r.out);
        CliRun.Result typed = CliRun.against(daemon).run("inspect", "--type", "image", "storage-vfs");
        assertEquals(1, typed.code);
        assertEquals("Error response from daemon: page not found\n", typed.err);
        CliRun.Result unknown = CliRun.against(daemon).run("inspect", "--type", "bogus", "x");
        assertEquals("unknown type: \"bogus\": must be one of \"config\", \"container\", \"image\", \"network\", "
                + "\"node\", \"plugin\", \"secret\", \"service\", \"task\", \"volume\"\n", unknown.err);
    }
}
