package keel.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plugin ls | inspect | install | rm | enable | disable. */
class PluginCommandsTest {

    static final String PLUGINS = "[{\"Id\":\"5724e2c8652da337ab2eedd19fc6fc0ec908e4bd907c7421bf6a8dfc70c4c078\","
            + "\"Name\":\"storage-overlay10\",\"Enabled\":true,\"Config\":{\"Description\":\"Overlay storage driver with "
            + "a description that goes well beyond 45 chars\"}},"
            + "{\"Id\":\"1234\",\"Name\":\"storage-overlay2\",\"Enabled\":false,\"Config\":{\"Description\":\"vfs\"}}]";

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

    @Test
    void listSortsNaturallyAndTruncates() {
        daemon.onJson("GET /plugins", PLUGINS);
        CliRun.Result r = CliRun.against(daemon).run("plugin", "ls");
        assertEquals(0, r.code, r.toString());
        assertEquals("ID             NAME                DESCRIPTION                                     ENABLED\n"
                + "1234           storage-overlay2    vfs                                             false\n"
                + "5724e2c8652d   storage-overlay10   Overlay storage driver with a description th…   true\n", r.out);
        assertEquals("1234\n5724e2c8652d\n", CliRun.against(daemon).run("plugin", "list", "-q").out);
        CliRun.Result f = CliRun.against(daemon).run("plugin", "ls", "-f", "enabled=true", "--format", "{{.Name}}");
        assertEquals("storage-overlay2\nstorage-overlay10\n", f.out);
        assertEquals("filters=%7B%22enabled%22%3A%7B%22true%22%3Atrue%7D%7D", daemon.last().query());
    }

    @Test
    void inspect() {
        daemon.onJson("GET /plugins/storage-vfs/json", "{\"Id\":\"1234\",\"Name\":\"storage-vfs\",\"Enabled\":true}");
        CliRun.Result r = CliRun.against(daemon).run("plugin", "inspect", "storage-vfs");
        assertEquals("[\n    {\n        \"Id\": \"1234\",\n        \"Name\": \"storage-vfs\",\n        \"Enabled\": true\n"
                + "    }\n]\n", r.out);
    }

    @Test
    void installPostsTheJar() throws Exception {
        daemon.onJson("POST /plugins/create", "{}");
        byte[] jar = {'P', 'K', 3, 4, 1, 2, 3};
        Path file = dir.resolve("storage-zfs.jar");
        Files.write(file, jar);
        CliRun.Result r = CliRun.against(daemon).run("plugin", "install", "storage-zfs", file.toString());
        assertEquals(0, r.code, r.toString());
        assertEquals("storage-zfs\n", r.out);
        FakeDaemon.Request req = daemon.last();
        assertEquals("/v1.50/plugins/create?name=storage-zfs", req.target);
        assertEquals("application/java-archive", req.header("Content-Type"));
        assertEquals("7", req.header("Content-Length"));
        assertArrayEquals(jar, req.body);
    }

    @Test
    void installFailureIsReported() throws Exception {
        daemon.on("POST /plugins/create", FakeDaemon.Response.json(500,
                "{\"message\":\"bundle storage-zfs cannot be resolved: missing requirement osgi.wiring.package=zfs\"}"));
        Path file = dir.resolve("storage-zfs.jar");
        Files.write(file, new byte[] {1});
        CliRun.Result r = CliRun.against(daemon).run("plugin", "install", "storage-zfs", file.toString());
        assertEquals(1, r.code);
        assertEquals("Error response from daemon: bundle storage-zfs cannot be resolved: missing requirement "
                + "osgi.wiring.package=zfs\n", r.err);
    }

    @Test
    void removeReportsDataKeptOnStderr() {
        daemon.onJson("DELETE /plugins/storage-overlay", "{\"Name\":\"storage-overlay\",\"DriversRemoved\":"
                + "[\"storage:overlay\"],\"DataKept\":[\"3 image layers stay in /var/lib/keel/overlay; reinstall "
                + "storage-overlay to use them again\"]}");
        daemon.on("DELETE /plugins/nosuch", FakeDaemon.Response.json(404, "{\"message\":\"plugin nosuch not found\"}"));
        CliRun.Result r = CliRun.against(daemon).run("plugin", "rm", "-f", "storage-overlay", "nosuch");
        assertEquals(1, r.code);
        assertEquals("storage-overlay\n", r.out);
        assertEquals("3 image layers stay in /var/lib/keel/overlay; reinstall storage-overlay to use them again\n"
                + "Error response from daemon: plugin nosuch not found\n", r.err);
        assertEquals("force=1", daemon.last().query());
    }

    @Test
    void enableAndDisable() {
        daemon.on("POST /plugins/storage-vfs/enable", FakeDaemon.Response.text(200, null, ""));
        daemon.on("POST /plugins/storage-vfs/disable", FakeDaemon.Response.text(200, null, ""));
        assertEquals("storage-vfs\n", CliRun.against(daemon).run("plugin", "enable", "storage-vfs").out);
        assertEquals("timeout=30", daemon.last().query());
        assertEquals("storage-vfs\n", CliRun.against(daemon).run("plugin", "disable", "-f", "storage-vfs").out);
        assertEquals("force=1", daemon.last().query());
        CliRun.Result neg = CliRun.against(daemon).run("plugin", "enable", "--timeout", "-1", "storage-vfs");
        assertEquals(1, neg.code);
        assertEquals("negative timeout -1 is invalid\n", neg.err);
    }
}
