package keel.runtime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import keel.engine.api.oci.Linux;
import keel.engine.api.oci.Mount;
import keel.engine.api.runtime.ExitStatus;

/** The container's mount table and /dev, as the process sees them. */
class ContainerFilesystemTest extends RuntimeFixture {

    /** mount point -> "mount options | fs type | super options" from the container's mountinfo. */
    static Map<String, String> mounts(String mountinfo) {
        Map<String, String> out = new HashMap<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            int sep = List.of(f).indexOf("-");
            out.put(f[4], f[5] + " | " + f[sep + 1] + " | " + f[sep + 3]);
        }
        return out;
    }

    @Test
    void theRootIsPivotedAndDockersMountsAreThere() throws Exception {
        Started s = run(spec("cat", "/proc/self/mountinfo"));
        Map<String, String> m = mounts(s.out());
        assertTrue(m.containsKey("/"), s.out());
        assertFalse(m.keySet().stream().anyMatch(p -> p.startsWith("/tmp/junit")), "host mounts visible: " + m);
        assertTrue(m.get("/proc").contains("| proc |"), m.toString());
        assertTrue(m.get("/proc").startsWith("rw,nosuid,nodev,noexec"), m.get("/proc"));
        assertTrue(m.get("/sys").startsWith("ro,nosuid,nodev,noexec"), m.get("/sys"));
        assertTrue(m.get("/dev").contains("| tmpfs |") && m.get("/dev").contains("size=65536k"), m.get("/dev"));
        assertTrue(m.get("/dev/pts").contains("| devpts |") && m.get("/dev/pts").contains("ptmxmode=666"),
                m.get("/dev/pts"));
        assertTrue(m.get("/dev/shm").contains("size=65536k"), m.get("/dev/shm"));
        assertTrue(m.get("/dev/mqueue").contains("| mqueue |"), m.get("/dev/mqueue"));
        // runc's shape: a writable tmpfs holding read-only cgroup mounts
        assertTrue(m.get("/sys/fs/cgroup").contains("| tmpfs |"), m.get("/sys/fs/cgroup"));
        assertTrue(m.get("/sys/fs/cgroup/memory").startsWith("ro,"), m.get("/sys/fs/cgroup/memory"));
        // read-only paths and masks
        assertTrue(m.get("/proc/sys").startsWith("ro,"), m.get("/proc/sys"));
        for (String ro : DockerLikeSpec.READONLY) {
            if (Files.exists(Path.of(ro))) {
                assertTrue(m.get(ro).startsWith("ro,"), ro + ": " + m.get(ro));
            }
        }
        // Masked files get the container's /dev/null (on its /dev tmpfs) bound over them, directories an empty
        // read-only tmpfs; paths this kernel does not have are skipped.
        for (String masked : DockerLikeSpec.MASKED) {
            if (Files.exists(Path.of(masked))) {
                assertTrue(m.get(masked) != null && m.get(masked).contains("| tmpfs |"), masked + ": " + m);
            } else {
                assertFalse(m.containsKey(masked), masked);
            }
        }
        if (Files.isDirectory(Path.of("/sys/firmware"))) {
            assertTrue(m.get("/sys/firmware").startsWith("ro,") && m.get("/sys/firmware").contains("| tmpfs |"),
                    m.get("/sys/firmware"));
        }
    }

    @Test
    void maskedAndReadonlyPathsBehave() throws Exception {
        Started s = run(spec("sh", "-c", "wc -c < /proc/keys; ls /sys/firmware | wc -l; "
                + "echo 1 > /proc/sys/kernel/panic 2>/dev/null || echo refused; "
                + "touch /sys/firmware/x 2>/dev/null || echo refused"));
        assertEquals(List.of("0", "0", "refused", "refused"), List.of(s.out().trim().split("\n")));
    }

    @Test
    void devHasTheDefaultNodesAndLinks() throws Exception {
        Started s = run(spec("sh", "-c", "ls -l /dev | awk '{print $1, $5, $6, $NF}' | sort; "
                + "readlink /dev/fd; readlink /dev/stdin; readlink /dev/ptmx; echo x > /dev/null && head -c 4 /dev/zero | wc -c"));
        String out = s.out();
        for (String node : List.of("crw-rw-rw- 1, 3 null", "crw-rw-rw- 1, 5 zero", "crw-rw-rw- 1, 7 full",
                "crw-rw-rw- 1, 8 random", "crw-rw-rw- 1, 9 urandom", "crw-rw-rw- 5, 0 tty")) {
            assertTrue(out.contains(node), node + " missing: " + out);
        }
        assertTrue(out.contains("/proc/self/fd\n/proc/self/fd/0\npts/ptmx\n"), out);
        assertTrue(out.trim().endsWith("4"), out);
    }

    @Test
    void specDevicesAreCreatedWithTheirModeAndOwner() throws Exception {
        DockerLikeSpec spec = spec("ls", "-ln", "/dev/mydevice", "/dev/sub/fifo");
        spec.devices.add(new Linux.Device("c", "/dev/mydevice", 1, 7, 0640, 1000L, 1001L));
        spec.devices.add(new Linux.Device("p", "/dev/sub/fifo", 0, 0, 0600, 0L, 0L));
        String out = run(spec).out();
        assertTrue(out.matches("(?s).*crw-r----- +1 1000 +1001 +1, +7 .*/dev/mydevice.*"), out);
        assertTrue(out.matches("(?s).*prw------- +1 0 +0 .*/dev/sub/fifo.*"), out);
    }

    @Test
    void aReadonlyRootRefusesWritesButTmpfsMountsAreWritable() throws Exception {
        DockerLikeSpec spec = spec("sh", "-c", "touch /x 2>/dev/null || echo ro; touch /tmp/x && echo tmp ok; "
                + "stat -c %a /tmp; grep ' /tmp ' /proc/self/mountinfo | grep -o 'size=[0-9a-z]*'");
        spec.readonlyRoot = true;
        spec.mounts.add(new Mount("/tmp", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=1777", "size=1m")));
        assertEquals(List.of("ro", "tmp ok", "1777", "size=1024k"), List.of(run(spec).out().trim().split("\n")));
    }

    @Test
    void bindMountsHonourReadonlyAndCanBindFiles() throws Exception {
        Path data = Files.createDirectories(work.resolve("data"));
        Files.writeString(data.resolve("hello"), "from host\n");
        Path file = Files.writeString(work.resolve("single"), "one file\n");
        DockerLikeSpec spec = spec("sh", "-c", "cat /data/hello /etc/single; touch /data/new 2>/dev/null || echo "
                + "ro; echo changed > /rw/hello; grep -E ' /(data|rw|etc/single) ' /proc/self/mountinfo | "
                + "awk '{print $5, $6}'");
        spec.mounts.add(new Mount("/data", "bind", data.toString(), List.of("rbind", "ro", "rprivate")));
        spec.mounts.add(new Mount("/rw", "bind", data.toString(), List.of("rbind", "rprivate")));
        spec.mounts.add(new Mount("/etc/single", "bind", file.toString(), List.of("bind", "ro")));
        String out = run(spec).out();
        assertTrue(out.startsWith("from host\none file\nro\n"), out);
        assertTrue(out.contains("/data ro,"), out);
        assertTrue(out.contains("/rw rw,"), out);
        assertTrue(out.contains("/etc/single ro,"), out);
        assertEquals("changed\n", Files.readString(data.resolve("hello")));
    }

    @Test
    void aSymlinkInTheImageCannotLeadAMountOutOfTheRoot() throws Exception {
        // /escape -> /../../../.. resolves to the container's root after pivot_root, never to the host's.
        Path image = rootfs;
        Path link = image.resolve("escape");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of("/../../../../../../tmp"));
        try {
            DockerLikeSpec spec = spec("true");
            spec.mounts.add(new Mount("/escape/keel-escape-probe", "tmpfs", "tmpfs", List.of("size=1m")));
            assertEquals(ExitStatus.code(0), run(spec).awaitExit());
            assertFalse(Files.exists(Path.of("/tmp/keel-escape-probe")), "a mount point was made on the host");
            assertTrue(Files.isDirectory(image.resolve("tmp/keel-escape-probe")));
        } finally {
            Files.deleteIfExists(link);
            Files.deleteIfExists(image.resolve("tmp/keel-escape-probe"));
        }
    }

    @Test
    void hostnameAndSysctlsLiveInTheContainersNamespaces() throws Exception {
        String hostHostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        DockerLikeSpec spec = spec("sh", "-c", "hostname; cat /proc/sys/net/ipv4/ip_forward "
                + "/proc/sys/kernel/shmmni");
        spec.hostname = "inside";
        spec.sysctl.put("net.ipv4.ip_forward", "1");
        spec.sysctl.put("kernel.shmmni", "1234");
        assertEquals(List.of("inside", "1", "1234"), List.of(run(spec).out().trim().split("\n")));
        assertEquals(hostHostname, Files.readString(Path.of("/proc/sys/kernel/hostname")).trim());
        assertNotEquals("1234", Files.readString(Path.of("/proc/sys/kernel/shmmni")).trim());
    }

    @Test
    void theCgroupMountShowsTheContainersOwnCgroup() throws Exception {
        DockerLikeSpec spec = spec("sh", "-c", "ls /sys/fs/cgroup; cat /sys/fs/cgroup/memory/memory.limit_in_bytes "
                + "/sys/fs/cgroup/pids/pids.max; cat /proc/self/cgroup | grep memory");
        spec.memory = new Linux.Memory(64L << 20, null, null, null, null);
        spec.pids = new Linux.Pids(77);
        String out = run(spec).out();
        assertTrue(out.contains("memory\n"), out);
        assertTrue(out.contains(Long.toString(64L << 20)) && out.contains("77"), out);
    }

    @Test
    void withACgroupNamespaceTheContainerSeesItselfAtTheRoot() throws Exception {
        DockerLikeSpec spec = spec("sh", "-c", "grep -E ':(memory|pids):' /proc/self/cgroup; "
                + "cat /sys/fs/cgroup/pids/pids.max");
        spec.namespaces.add(new Linux.Namespace("cgroup", null));
        spec.pids = new Linux.Pids(55);
        String out = run(spec).out();
        assertTrue(out.contains(":memory:/\n") && out.contains(":pids:/\n"), out);
        assertTrue(out.trim().endsWith("55"), out);
    }
}
