package keel.engine.core.internal.container.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.container.MountSpec;

/** The small pieces: address literals, cpu lists, tmpfs options, paths, host facts, mountinfo, dev_t. */
class SpecPartsTest {

    @Test
    void ipLiteralsPrintAsGoNetip() {
        assertEquals("2001:db8::1", IpAddress.parse("2001:DB8:0:0:0:0:0:1").toString());
        assertEquals("2001:db8::1:0:0:1", IpAddress.parse("2001:db8:0:0:1:0:0:1").toString());
        assertEquals("::", IpAddress.parse("::").toString());
        assertEquals("::1", IpAddress.parse("0:0:0:0:0:0:0:1").toString());
        assertEquals("fe80::1%eth0", IpAddress.parse("fe80::1%eth0").toString());
        assertEquals("::ffff:10.0.0.1", IpAddress.parse("::ffff:a00:1").toString());
        assertEquals("1:2:3:4:5:6:7:8", IpAddress.parse("1:2:3:4:5:6:7:8").toString());
        assertEquals("1:0:2::", IpAddress.parse("1:0:2:0:0:0:0:0").toString());
        assertEquals("64:ff9b::c000:201", IpAddress.parse("64:ff9b::192.0.2.1").toString());
        for (String bad : List.of("", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1:2:3:4:5:6:7:8:9", "1::2::3",
                "example.com", "fe80::1%", "::g", " 1.2.3.4")) {
            assertNull(IpAddress.parse(bad), bad);
        }
        assertTrue(IpAddress.parse("127.0.0.53").isLoopback());
        assertTrue(IpAddress.parse("::1").isLoopback());
        assertTrue(IpAddress.parse("::ffff:127.0.0.1").isLoopback());
        assertFalse(IpAddress.parse("10.0.0.1").isLoopback());
        assertTrue(IpAddress.parse("::ffff:10.0.0.1").is6());
    }

    @Test
    void cpuListsParseAsDockerParsesThem() {
        assertEquals(List.of(0, 3, 4, 7, 8, 9, 10), List.copyOf(CpuList.parse("0,3-4,7,8-10", 0)));
        assertEquals(List.of(1, 2, 3), List.copyOf(CpuList.parse("03,1-3", 0)));
        assertEquals(List.of(), List.copyOf(CpuList.parse("", 0)));
        assertEquals("invalid format: 1,", assertThrows(IllegalArgumentException.class,
                () -> CpuList.parse("1,", 0)).getMessage());
        assertEquals("value of out range, maximum is 8", assertThrows(IllegalArgumentException.class,
                () -> CpuList.parse("9", 8)).getMessage());
    }

    @Test
    void tmpfsOptionsKeepTheLastOfEachKind() {
        assertEquals(List.of("nosuid", "nodev", "rprivate", "exec", "size=1g"),
                TmpfsMountOptions.forData("exec,size=64m,size=1g"));
        assertEquals(List.of("noexec", "nosuid", "nodev", "rshared"), TmpfsMountOptions.forData("rshared"));
        assertEquals(List.of("noexec", "nosuid", "nodev", "rprivate"), TmpfsMountOptions.forData("defaults"));
        assertEquals("ro,mode=700,size=3k", TmpfsMountOptions.dataOf(new MountSpec.TmpfsOptions(3072L, 0700), true));
        assertEquals("size=1g", TmpfsMountOptions.dataOf(new MountSpec.TmpfsOptions(1L << 30, null), false));
        assertEquals("size=1000", TmpfsMountOptions.dataOf(new MountSpec.TmpfsOptions(1000L, 0), false));
        assertEquals("", TmpfsMountOptions.dataOf(null, false));
    }

    @Test
    void pathsCleanAsGoPathClean() {
        assertEquals("/a/c", UserMounts.clean("/a/b/../c/"));
        assertEquals("/", UserMounts.clean("/../.."));
        assertEquals("/a", UserMounts.clean("//a//"));
        assertEquals("../a", UserMounts.clean("../a"));
        assertEquals(".", UserMounts.clean(""));
        assertEquals(List.of("a", "b", "c:d"), List.of(UserMounts.splitN("a:b:c:d", ':', 3)));
    }

    @Test
    void hostFactsAreReadFromProcAndSys(@TempDir Path root) throws IOException {
        write(root, "proc/self/status", "Name:\tjava\nCapInh:\t0000000000000000\nCapEff:\t0000000000000005\n");
        write(root, "proc/sys/kernel/osrelease", "6.8.0-45-generic\n");
        write(root, "proc/sys/kernel/hostname", "build-host\n");
        write(root, "proc/sys/net/ipv4/ping_group_range", "1\t0\n");
        write(root, "sys/devices/system/cpu/online", "0-7\n");
        write(root, "sys/devices/system/cpu/possible", "0-3\n");
        write(root, "sys/devices/system/cpu/cpu2/thermal_throttle/core_throttle_count", "0\n");
        write(root, "sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", "0\n");
        HostFacts f = HostFacts.detect(root, Path.of("/var/lib/keel"));
        assertEquals(1, f.cgroupVersion(), "a plain directory is no cgroup2 mount");
        assertEquals(List.of("CAP_CHOWN", "CAP_DAC_READ_SEARCH"), f.capabilities());
        assertTrue(f.recursiveReadOnly());
        assertEquals("build-host", f.hostname());
        assertEquals("0-7", f.cpusetCpus());
        assertEquals("0", f.cpusetMems());
        assertEquals(List.of("/sys/devices/system/cpu/cpu2/thermal_throttle"), f.thermalThrottlePaths());
        assertTrue(f.pingGroupRange());
        assertFalse(f.unprivilegedPortStart());
        assertTrue(f.swapLimit());
        assertFalse(f.appArmor());
        assertFalse(HostFacts.kernelAtLeast("5.11.22", 5, 12));
        assertTrue(HostFacts.kernelAtLeast("5.12-rc1", 5, 12));
        assertEquals(CapabilitySet.KNOWN, HostFacts.effectiveCapabilities(null));
    }

    @Test
    void thisHostsFactsAreConsistent() {
        HostFacts f = HostFacts.detect(Path.of("/var/lib/keel"));
        assertTrue(f.cgroupVersion() == 1 || f.cgroupVersion() == 2);
        assertTrue(f.cpuCount() > 0);
        assertFalse(f.capabilities().isEmpty());
    }

    @Test
    void mountinfoLongestContainingMountWins() {
        List<String> lines = List.of(
                "22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
                "30 22 0:25 / /var rw shared:5 master:2 - ext4 /dev/sdb1 rw",
                "31 22 0:26 / /var/lib\\040data rw - ext4 /dev/sdc1 rw",
                "32 22 0:27 / /variant rw - tmpfs tmpfs rw");
        assertEquals(new MountTable.MountInfo("/var", "shared:5 master:2"),
                MountTable.longestPrefix(lines, "/var/log"));
        assertEquals(new MountTable.MountInfo("/var/lib data", ""), MountTable.longestPrefix(lines, "/var/lib data/x"));
        assertEquals(new MountTable.MountInfo("/", "shared:1"), MountTable.longestPrefix(lines, "/varx"));
        assertTrue(MountTable.longestPrefix(lines, "/var").isShared());
        assertTrue(MountTable.longestPrefix(lines, "/var").isSlave());
    }

    @Test
    void devNumbersSplitAsGlibc() {
        long dev = (8L << 8) | 1; // sda1, old encoding
        assertEquals(8, DeviceNodes.HostDeviceNodes.major(dev));
        assertEquals(1, DeviceNodes.HostDeviceNodes.minor(dev));
        long big = ((259L & 0xfff) << 8) | ((300L & 0xff)) | ((300L & ~0xffL) << 12);
        assertEquals(259, DeviceNodes.HostDeviceNodes.major(big));
        assertEquals(300, DeviceNodes.HostDeviceNodes.minor(big));
    }

    @Test
    void realDevNullReadsAsACharacterDevice() throws IOException {
        var d = DeviceNodes.host().lookup(Path.of("/dev/null"));
        assertEquals("c", d.type());
        assertEquals(1, d.major());
        assertEquals(3, d.minor());
        assertNull(DeviceNodes.host().lookup(Path.of("/etc/passwd")));
    }

    @Test
    void goQuoting() {
        assertEquals("\"a\\\"b\\\\c\\n\"", GoQuoted.of("a\"b\\c\n"));
        assertEquals("[\"a\" \"b\"]", GoQuoted.ofList(List.of("a", "b")));
    }

    private static void write(Path root, String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
