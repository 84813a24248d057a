package keel.runtime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import keel.engine.api.oci.Linux;
import keel.engine.api.runtime.ExitStatus;

/** linux.resources turned into cgroup limits (this host: cgroup v1 controllers), and the freezer. */
class ContainerCgroupTest extends RuntimeFixture {

    @Test
    void exceedingTheMemoryLimitIsAnOomKillWithCode137() throws Exception {
        DockerLikeSpec spec = spec("sh", "-c", "a=xxxxxxxxxxxxxxxx; while true; do a=$a$a; done");
        spec.memory = new Linux.Memory(20L << 20, null, 20L << 20, null, null);
        Started s = run(spec);
        ExitStatus exit = s.awaitExit();
        assertEquals(new ExitStatus(137, true, null), exit);
    }

    @Test
    void aContainerThatExitsNormallyIsNotOomKilled() throws Exception {
        DockerLikeSpec spec = spec("true");
        spec.memory = new Linux.Memory(20L << 20, null, null, null, null);
        assertEquals(ExitStatus.code(0), run(spec).awaitExit());
    }

    @Test
    void memoryLimitsAreWrittenToTheV1Files() throws Exception {
        DockerLikeSpec spec = spec("sleep", "30");
        spec.memory = new Linux.Memory(32L << 20, 16L << 20, 64L << 20, 10L, null);
        Started s = start(spec);
        Path mem = CgroupDirs.of("memory", spec.cgroupsPath);
        assertEquals(Long.toString(32L << 20), read(mem, "memory.limit_in_bytes"));
        assertEquals(Long.toString(64L << 20), read(mem, "memory.memsw.limit_in_bytes"));
        assertEquals(Long.toString(16L << 20), read(mem, "memory.soft_limit_in_bytes"));
        assertEquals("10", read(mem, "memory.swappiness"));
        assertEquals(List.of(s.container().pid()), s.container().pids());
    }

    @Test
    void thePidsLimitStopsAForkBomb() throws Exception {
        // The bomb runs in a subshell that dies when fork fails; PID 1 then waits on its stdin without forking.
        DockerLikeSpec spec = spec("sh", "-c", "(for i in $(seq 1 60); do sleep 30 & done) 2>/dev/null; "
                + "echo survived; read x");
        spec.pids = new Linux.Pids(20);
        Started s = start(spec, false, true, 0, 0);
        ContainerProcessTest.waitForOutput(s, "survived");
        Path pids = CgroupDirs.of("pids", spec.cgroupsPath);
        assertEquals("20", read(pids, "pids.max"));
        assertTrue(Long.parseLong(read(pids, "pids.current")) <= 20, read(pids, "pids.current"));
        assertTrue(read(pids, "pids.events").matches("max [1-9][0-9]*"), read(pids, "pids.events"));
        List<Long> inside = s.container().pids();
        assertTrue(inside.size() >= 10 && inside.size() <= 20, inside.toString());
        // The clean-up kills PID 1; the kernel then kills every sleep of the PID namespace.
    }

    @Test
    void cpuLimitsAreWritten() throws Exception {
        DockerLikeSpec spec = spec("sleep", "30");
        spec.cpu = new Linux.Cpu(512L, 50_000L, 100_000L, "0", "0");
        start(spec);
        Path cpu = CgroupDirs.of("cpu", spec.cgroupsPath);
        assertEquals("512", read(cpu, "cpu.shares"));
        assertEquals("50000", read(cpu, "cpu.cfs_quota_us"));
        assertEquals("100000", read(cpu, "cpu.cfs_period_us"));
        assertEquals("0", read(CgroupDirs.of("cpuset", spec.cgroupsPath), "cpuset.cpus"));
    }

    @Test
    void pauseFreezesEveryProcessAndResumeThawsThem() throws Exception {
        Started s = start(spec("sh", "-c", "while true; do echo tick; sleep 0.02; done"));
        ContainerProcessTest.waitForOutput(s, "tick");
        s.container().pause();
        Path freezer = CgroupDirs.of("freezer", "/keel-test/" + s.id());
        assertEquals("FROZEN", read(freezer, "freezer.state"));
        long size = Files.size(s.stdout());
        Thread.sleep(300);
        assertEquals(size, Files.size(s.stdout()), "output while frozen");
        s.container().resume();
        assertEquals("THAWED", read(freezer, "freezer.state"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Files.size(s.stdout()) == size && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.size(s.stdout()) > size, "no output after resume");
    }

    @Test
    void deviceRulesDenyAccessToANodeThatExists() throws Exception {
        DockerLikeSpec spec = spec("sh", "-c", "head -c 1 /dev/full > /dev/null && echo full ok; "
                + "head -c 1 /dev/mydev > /dev/null 2>&1 || echo denied");
        spec.devices.add(new Linux.Device("c", "/dev/mydev", 1, 9, 0666, 0L, 0L)); // urandom's numbers
        spec.deviceRules.add(new Linux.DeviceRule(false, "c", 1L, 9L, "rwm"));
        // the runtime adds urandom back after the spec's rules, as runc does; deny something it does not add
        spec.devices.set(0, new Linux.Device("c", "/dev/mydev", 1, 4, 0666, 0L, 0L)); // /dev/port's numbers
        spec.deviceRules.set(spec.deviceRules.size() - 1, new Linux.DeviceRule(false, "c", 1L, 4L, "rwm"));
        Started s = run(spec);
        assertEquals("full ok\ndenied\n", s.out());
    }

    static String read(Path dir, String file) throws Exception {
        return Files.readString(dir.resolve(file)).trim();
    }
}
