package keel.runtime.linux.internal.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;

import keel.runtime.linux.internal.rootfs.MountInfo;

/** Detecting v1, hybrid and v2 hosts from mountinfo. */
class CgroupLayoutTest {

    /** This machine kind: v1 controllers, a v2 hierarchy at /sys/fs/cgroup/unified, name=systemd. */
    static final String HYBRID = String.join("\n",
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
            "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
            "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd",
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");

    @Test
    void hybridUsesTheV1Controllers() {
        CgroupLayout l = CgroupLayout.detect(MountInfo.parse(HYBRID));
        assertEquals(CgroupLayout.Version.HYBRID, l.version());
        assertEquals("1", l.version().number());
        assertEquals(Path.of("/sys/fs/cgroup/memory"), l.hierarchies().get("memory"));
        assertEquals("memory", l.hierarchyOf("memory"));
        assertEquals(Set.of("name=systemd"), l.controllersByHierarchy().get("systemd"));
        assertNull(l.hierarchyOf("freezer"));
        assertEquals(Path.of("/sys/fs/cgroup/unified"), l.unified());
    }

    @Test
    void comountedControllersShareAHierarchy() {
        CgroupLayout l = CgroupLayout.detect(MountInfo.parse(
                "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct\n"
                        + "33 31 0:30 / /sys/fs/cgroup/net_cls,net_prio rw - cgroup cgroup rw,net_cls,net_prio"));
        assertEquals(CgroupLayout.Version.V1, l.version());
        assertEquals("cpu,cpuacct", l.hierarchyOf("cpu"));
        assertEquals("cpu,cpuacct", l.hierarchyOf("cpuacct"));
        assertEquals(Set.of("cpu", "cpuacct"), l.controllersByHierarchy().get("cpu,cpuacct"));
    }

    @Test
    void aUnifiedOnlyHostIsV2() {
        CgroupLayout l = CgroupLayout.detect(MountInfo.parse(
                "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 "
                        + "rw,nsdelegate,memory_recursiveprot"));
        assertEquals(CgroupLayout.Version.V2, l.version());
        assertEquals("2", l.version().number());
        assertEquals(Path.of("/sys/fs/cgroup"), l.unified());
    }

    @Test
    void noCgroupsAtAll() {
        assertEquals(CgroupLayout.Version.NONE,
                CgroupLayout.detect(MountInfo.parse("22 1 0:21 / /proc rw - proc proc rw")).version());
    }

    @Test
    void cgroupPathsStayInsideTheHierarchy() {
        assertEquals("keel/abc", CgroupPaths.relative("/keel/abc"));
        assertEquals("keel/abc", CgroupPaths.relative("keel//abc/"));
    }
}
