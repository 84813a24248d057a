package keel.runtime.linux.internal.cgroups.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.oci.Linux;

/** The cgroup v2 manager against a fake unified hierarchy (this host's controllers are all on v1). */
class CgroupV2ManagerTest {

    @TempDir
    Path tmp;

    private static Linux.Resources resources(Linux.Memory m, Linux.Cpu c, Linux.Pids p, Map<String, String> u) {
        return new Linux.Resources(null, m, c, p, u);
    }

    @Test
    void createMakesTheParentsDelegatesControllersAndWritesTheLimits() throws Exception {
        FakeCgroupFs fs = new FakeCgroupFs(tmp.resolve("cg"), "cpuset cpu io memory pids");
        CgroupV2Manager m = new CgroupV2Manager(fs.kernel(), fs.root, "/keel/abc");
        m.create(resources(new Linux.Memory(64L << 20, 32L << 20, 96L << 20, 60L, true),
                new Linux.Cpu(1024L, 50_000L, 100_000L, "0-1", "0"), new Linux.Pids(100),
                Map.of("memory.high", "1000000")));

        assertEquals("+cpuset +cpu +io +memory +pids", fs.read("keel/cgroup.subtree_control"));
        assertEquals("cpuset cpu io memory pids", fs.read("cgroup.subtree_control"), "the root is not ours");
        assertEquals("", fs.read("keel/abc/cgroup.subtree_control"), "processes live in the leaf");
        assertEquals(Long.toString(64L << 20), fs.read("keel/abc/memory.max"));
        assertEquals(Long.toString(32L << 20), fs.read("keel/abc/memory.swap.max"), "swap alone, not memsw");
        assertEquals(Long.toString(32L << 20), fs.read("keel/abc/memory.low"));
        assertEquals("39", fs.read("keel/abc/cpu.weight"));
        assertEquals("50000 100000", fs.read("keel/abc/cpu.max"));
        assertEquals("0-1", fs.read("keel/abc/cpuset.cpus"));
        assertEquals("0", fs.read("keel/abc/cpuset.mems"));
        assertEquals("100", fs.read("keel/abc/pids.max"));
        assertEquals("1000000", fs.read("keel/abc/memory.high"));
        assertEquals(Map.of("", fs.root.resolve("keel/abc")), m.paths());
        assertEquals("2", m.version());
        assertFalse(m.placesThreads());
    }

    @Test
    void unlimitedValuesAreMax() throws Exception {
        FakeCgroupFs fs = new FakeCgroupFs(tmp.resolve("cg"), "cpu memory pids");
        CgroupV2Manager m = new CgroupV2Manager(fs.kernel(), fs.root, "/keel/u");
        m.create(resources(new Linux.Memory(-1L, null, -1L, null, null), new Linux.Cpu(null, -1L, 20_000L, null,
                null), new Linux.Pids(0), null));
        assertEquals("max", fs.read("keel/u/memory.max"));
        assertEquals("max", fs.read("keel/u/memory.swap.max"));
        assertEquals("max 20000", fs.read("keel/u/cpu.max"));
        assertEquals("max", fs.read("keel/u/pids.max"));
    }

    @Test
    void aControllerTheRootDoesNotDelegateIsAnErrorAndNothingIsLeftBehind() throws Exception {
        FakeCgroupFs fs = new FakeCgroupFs(tmp.resolve("cg"), "cpu pids");
        CgroupV2Manager m = new CgroupV2Manager(fs.kernel(), fs.root, "/keel/x");
        IOException e = assertThrows(IOException.class,
                () -> m.create(resources(new Linux.Memory(1L << 20, null, null, null, null), null, null, null)));
        assertTrue(e.getMessage().contains("memory controller is not enabled"), e.getMessage());
        assertFalse(Files.exists(fs.root.resolve("keel")), "made directories must be removed");
    }

    @Test
    void swapBelowTheMemoryLimitIsRejected() throws Exception {
        FakeCgroupFs fs = new FakeCgroupFs(tmp.resolve("cg"), "memory");
        CgroupV2Manager m = new CgroupV2Manager(fs.kernel(), fs.root, "/k/s");
        assertThrows(IOException.class,
                () -> m.create(resources(new Linux.Memory(2L << 20, null, 1L << 20, null, null), null, null, null)));
        assertFalse(Files.exists(fs.root.resolve("k")));
    }

    @Test
    void anExistingParentIsNotTouchedAndABusyLeafIsRefused() throws Exception {
        FakeCgroupFs fs = new FakeCgroupFs(tmp.resolve("cg"), "memory pids");
        new CgroupV2Manager(fs.kernel(), fs.root, "/mine/first").create(null);
        fs.write("mine/cgroup.subtree_control", "+pids");
        Map<String, String> parentBefore = FakeCgroupFs.snapshot(fs.root.resolve("mine"));
        new CgroupV2Manager(fs.kernel(), fs.root, "/mine/second").create(resources(null, null, new Linux.Pids(5),
                null));
        assertEquals(parentBefore, FakeCgroupFs.snapshot(fs.root.resolve("mine")));
        fs.write("mine/second/cgroup.procs", "4242\n");
        IOException e = assertThrows(IOException.class,
                () -> new CgroupV2Manager(fs.kernel(), fs.root, "/mine/second").create(null));
        assertTrue(e.getMessage().contains("already in use"), e.getMessage());
        assertTrue(Files.isDirectory(fs.root.resolve("mine/second")), "someone else's cgroup stays");
    }

    @Test
    void processesOomKillsFreezingKillingAndRemoval() throws Exception {
        FakeCgroupFs fs = new FakeCgroupFs(tmp.resolve("cg"), "memory pids");
        CgroupV2Manager m = new CgroupV2Manager(fs.kernel(), fs.root, "/keel/p");
        m.create(null);
        m.addProcess(77);
        assertEquals("77", fs.read("keel/p/cgroup.procs"));
        fs.write("keel/p/cgroup.procs", "77\n78\n");
        assertEquals(List.of(77L, 78L), m.pids());

        assertEquals(0, m.oomKills());
        fs.write("keel/p/memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\n");
        assertEquals(2, m.oomKills());

        fs.write("keel/p/cgroup.events", "populated 1\nfrozen 1\n"); // the kernel's answer to cgroup.freeze
        m.freeze();
        assertEquals("1", fs.read("keel/p/cgroup.freeze"));
        m.thaw();
        assertEquals("0", fs.read("keel/p/cgroup.freeze"));

        m.killAll();
        assertEquals("1", fs.read("keel/p/cgroup.kill"), "cgroup.kill, not a kill per PID");
        assertEquals(List.of(), fs.killed);

        assertFalse(m.destroy(Duration.ofMillis(30)), "busy while processes remain");
        fs.write("keel/p/cgroup.procs", "");
        assertTrue(m.destroy(Duration.ofSeconds(1)));
        assertFalse(Files.exists(fs.root.resolve("keel/p")));
        assertTrue(Files.isDirectory(fs.root.resolve("keel")), "the shared parent stays");
        assertTrue(m.destroy(Duration.ofMillis(10)), "twice is fine");
    }

    @Test
    void withoutCgroupKillEachProcessIsKilled() throws Exception {
        FakeCgroupFs fs = new FakeCgroupFs(tmp.resolve("cg"), "pids");
        CgroupV2Manager m = new CgroupV2Manager(fs.kernel(), fs.root, "/keel/old");
        m.create(null);
        Files.delete(fs.root.resolve("keel/old/cgroup.kill")); // a kernel before 5.14
        fs.write("keel/old/cgroup.procs", "5\n6\n");
        m.killAll();
        assertEquals(List.of(5L, 6L), fs.killed);
    }

    @Test
    void aPathLeavingTheHierarchyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CgroupV2Manager(null, tmp, "/keel/../../etc"));
        assertThrows(IllegalArgumentException.class, () -> new CgroupV2Manager(null, tmp, "/"));
        assertThrows(IllegalArgumentException.class, () -> new CgroupV2Manager(null, tmp, "system.slice:keel:x"));
    }

    @Test
    void deviceRulesBecomeAnAttachedBpfProgram() throws Exception {
        FakeCgroupFs fs = new FakeCgroupFs(tmp.resolve("cg"), "pids");
        new CgroupV2Manager(fs.kernel(), fs.root, "/keel/d").create(new Linux.Resources(
                List.of(new Linux.DeviceRule(false, null, null, null, "rwm")), null, null, null, null));
        assertEquals(1, fs.programs.size());
        assertEquals(List.of(1001), fs.attached);
        assertEquals(0, fs.programs.get(0).length % 8);
    }

    @Test
    void sharesBecomeWeightsAsRuncConvertsThem() {
        assertEquals(1, CgroupV2Manager.weightOfShares(2));
        assertEquals(39, CgroupV2Manager.weightOfShares(1024));
        assertEquals(10000, CgroupV2Manager.weightOfShares(262144));
    }
}
