package keel.engine.core.internal.container.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.MountSpec;
import keel.engine.api.oci.Spec;

/**
 * The spec of representative `docker run`s compared with the config.json dockerd 28.2 would write (the files in
 * golden/, each value traced to moby's code in golden/README.md).
 */
class OciSpecGoldenTest {

    @TempDir
    Path tmp;

    SpecFixture fx;

    @BeforeEach
    void setUp() throws IOException {
        fx = new SpecFixture(tmp);
    }

    @Test
    void plainBusyboxShell() throws IOException {
        assertGolden("busybox-sh.json", SpecFixture.BUSYBOX, SpecFixture.hostConfig().build());
    }

    @Test
    void numericUserWithGroupAdd() throws IOException {
        assertGolden("user-1000-group-add.json", SpecFixture.BUSYBOX.toBuilder().user("1000:1000").build(),
                SpecFixture.hostConfig().groupAdd("audio", "2000").build());
    }

    @Test
    void capAddAndDrop() throws IOException {
        assertGolden("cap-add-drop.json", SpecFixture.BUSYBOX,
                SpecFixture.hostConfig().capAdd("NET_ADMIN").capDrop("chown").build());
    }

    @Test
    void privileged() throws IOException {
        assertGolden("privileged.json", SpecFixture.BUSYBOX, SpecFixture.hostConfig().privileged().build());
    }

    @Test
    void readOnlyRootWithTmpfs() throws IOException {
        assertGolden("read-only-tmpfs.json", SpecFixture.BUSYBOX, SpecFixture.hostConfig().readonlyRootfs()
                .tmpfs(Map.of("/run", "rw,size=64m,noexec")).build());
    }

    @Test
    void bindsWithModesAndPropagation() throws IOException {
        Files.createDirectories(tmp.resolve("host/data"));
        Files.createDirectories(tmp.resolve("host/logs"));
        String t = fx.tmp.toString();
        assertGolden("binds.json", SpecFixture.BUSYBOX, SpecFixture.hostConfig().binds(t + "/host/data:/data:ro",
                t + "/host/logs:/var/log:rshared", t + "/host/new/dir:/srv/new").build());
        // Docker creates a missing -v source as a 0755 directory, parents included
        Path created = tmp.resolve("host/new/dir");
        assertTrue(Files.isDirectory(created));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(created.getParent())));
    }

    @Test
    void mountFlagBindAndTmpfs() throws IOException {
        Files.createDirectories(tmp.resolve("host/data"));
        MountSpec bind = new MountSpec("bind", fx.tmp + "/host/data", "/mnt/data", true, null,
                new MountSpec.BindOptions("rslave", null, null), null);
        MountSpec tmpfs = new MountSpec("tmpfs", null, "/cache", null, null, null,
                new MountSpec.TmpfsOptions(64L * 1024 * 1024, 01770));
        assertGolden("mounts.json", SpecFixture.BUSYBOX, SpecFixture.hostConfig().mounts(bind, tmpfs).build());
    }

    @Test
    void resources() throws IOException {
        assertGolden("resources.json", SpecFixture.BUSYBOX, SpecFixture.hostConfig().memory(64L << 20)
                .memorySwap(128L << 20).nanoCpus(1_500_000_000L).pidsLimit(50).cpusetCpus("0").build());
    }

    @Test
    void ulimitNofile() throws IOException {
        assertGolden("ulimit-nofile.json", SpecFixture.BUSYBOX,
                SpecFixture.hostConfig().ulimits(new HostConfig.Ulimit("nofile", 1024, 2048)).build());
    }

    @Test
    void init() throws IOException {
        assertGolden("init.json", SpecFixture.BUSYBOX, SpecFixture.hostConfig().init().build());
    }

    @Test
    void hostNetwork() throws IOException {
        assertGolden("network-host.json", SpecFixture.BUSYBOX,
                SpecFixture.hostConfig().networkMode("host").build());
    }

    @Test
    void shmSize() throws IOException {
        assertGolden("shm-size.json", SpecFixture.BUSYBOX, SpecFixture.hostConfig().shmSize(128L << 20).build());
    }

    @Test
    void terminalWithConsoleSize() throws IOException {
        assertGolden("tty.json", SpecFixture.BUSYBOX.toBuilder().tty(true).build(),
                SpecFixture.hostConfig().consoleSize(24, 80).build());
    }

    @Test
    void compactJsonRoundTrips() throws IOException {
        Spec spec = fx.builder().build(fx.request(SpecFixture.BUSYBOX, SpecFixture.hostConfig().privileged().build()));
        assertEquals(spec, OciSpecJson.read(OciSpecJson.write(spec)));
    }

    private void assertGolden(String name, ContainerConfig config, HostConfig hostConfig) throws IOException {
        Spec spec = fx.builder().build(fx.request(config, hostConfig));
        assertEquals(expected(name), fx.normalized(spec), name);
    }

    /** The golden file re-printed with the same printer, keeping its key order: a strict, whitespace-blind check. */
    private static String expected(String name) throws IOException {
        try (InputStream in = OciSpecGoldenTest.class.getResourceAsStream("golden/" + name)) {
            if (in == null) {
                throw new IOException("no golden file " + name);
            }
            JsonNode tree = new ObjectMapper().readTree(in);
            return OciSpecJson.pretty(tree);
        }
    }
}
