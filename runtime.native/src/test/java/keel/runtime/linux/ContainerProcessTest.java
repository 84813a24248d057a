package keel.runtime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import keel.engine.api.oci.Process;
import keel.engine.api.runtime.ContainerLaunch;
import keel.engine.api.runtime.ContainerStartException;
import keel.engine.api.runtime.ExitStatus;
import keel.engine.api.runtime.Stdio;

/**
 * What the container's process observes about itself: its output, exit code, PID namespace, descriptors,
 * credentials, capabilities, limits and environment; and what a failed start looks like from outside.
 */
class ContainerProcessTest extends RuntimeFixture {

    @Test
    void outputGoesToTheSpoolFilesAndTheExitCodeIsReported() throws Exception {
        Started s = run(spec("sh", "-c", "echo hello; echo oops >&2; exit 3"));
        assertEquals(ExitStatus.code(3), s.awaitExit());
        assertEquals("hello\n", s.out());
        assertEquals("oops\n", s.err());
    }

    @Test
    void spoolFilesAreAppendedTo() throws Exception {
        Started first = run(spec("echo", "one"));
        Path out = first.stdout();
        String id = newId();
        DockerLikeSpec spec = spec("echo", "two");
        spec.cgroupsPath = CGROUP_PARENT + "/" + id;
        Path bundle = spec.writeBundle(work.resolve(id), rootfs);
        Path state = Files.createDirectories(work.resolve(id + "-state"));
        var c = runtime.start(new ContainerLaunch(id, bundle, state, new Stdio(false, false, out, out, 0, 0)));
        started.add(new Started(id, c, bundle, state, out, out));
        c.exit().toCompletableFuture().get();
        assertEquals("one\ntwo\n", Files.readString(out));
    }

    @Test
    void aSignalEndsTheProcessWith128PlusItsNumber() throws Exception {
        Started s = start(spec("sleep", "100"));
        s.container().signal(9);
        assertEquals(ExitStatus.code(137), s.awaitExit());
    }

    @Test
    void aHandledSignalIsDeliveredToPidOne() throws Exception {
        Started s = start(spec("sh", "-c", "trap 'exit 42' TERM; echo ready; while true; do sleep 0.05; done"));
        waitForOutput(s, "ready");
        s.container().signal(15);
        assertEquals(ExitStatus.code(42), s.awaitExit());
    }

    @Test
    void theProcessIsPidOneAndSeesOnlyTheContainersProcesses() throws Exception {
        Started s = run(spec("sh", "-c", "echo $$; sleep 1 & ps -o pid,args; ls /proc | grep -E '^[0-9]+$'"));
        String[] lines = s.out().split("\n");
        assertEquals("1", lines[0]);
        Set<Integer> pids = Arrays.stream(lines).filter(l -> l.matches("\\d+")).map(Integer::valueOf)
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(pids.contains(1), s.out());
        assertTrue(pids.size() <= 4 && pids.stream().allMatch(p -> p < 10), "foreign PIDs: " + s.out());
        assertTrue(s.out().contains("sleep 1"), s.out());
    }

    @Test
    void onlyDescriptorsZeroOneAndTwoAreOpen() throws Exception {
        Started s = run(spec("ls", "/proc/self/fd"));
        // 3 is the directory ls itself has open while it lists.
        assertEquals(List.of("0", "1", "2", "3"), List.of(s.out().trim().split("\\s+")));
    }

    @Test
    void rootGetsDockersDefaultCapabilities() throws Exception {
        Started s = run(spec("grep", "Cap", "/proc/self/status"));
        assertTrue(s.out().contains("CapBnd:\t00000000a80425fb"), s.out());
        assertTrue(s.out().contains("CapEff:\t00000000a80425fb"), s.out());
        assertTrue(s.out().contains("CapPrm:\t00000000a80425fb"), s.out());
        assertTrue(s.out().contains("CapInh:\t0000000000000000"), s.out());
        assertTrue(s.out().contains("CapAmb:\t0000000000000000"), s.out());
    }

    @Test
    void aUserRunsWithItsIdsGroupsAndNoEffectiveCapabilities() throws Exception {
        DockerLikeSpec spec = spec("sh", "-c", "id; grep -E '^(Uid|Gid|Groups|CapEff|CapBnd|NoNewPrivs)' "
                + "/proc/self/status; echo home=$HOME; touch /tmp/f-$$ && ls -ln /tmp/f-$$ | awk '{print $3,$4}'");
        spec.uid = 1000;
        spec.gid = 1000;
        spec.additionalGids = List.of(1001L);
        spec.noNewPrivileges = true;
        Started s = run(spec);
        String out = s.out();
        assertTrue(out.contains("uid=1000(user) gid=1000(user) groups=1001(extra)"), out);
        assertTrue(out.contains("Uid:\t1000\t1000\t1000\t1000"), out);
        assertTrue(out.contains("Gid:\t1000\t1000\t1000\t1000"), out);
        assertTrue(out.contains("Groups:\t1001"), out);
        assertTrue(out.contains("CapEff:\t0000000000000000"), out);
        assertTrue(out.contains("CapBnd:\t00000000a80425fb"), out);
        assertTrue(out.contains("NoNewPrivs:\t1"), out);
        assertTrue(out.contains("home=/home/user"), out);
        assertTrue(out.contains("1000 1000"), out);
    }

    @Test
    void theJvmKeepsItsCredentials() throws Exception {
        DockerLikeSpec spec = spec("true");
        spec.uid = 1000;
        spec.gid = 1000;
        run(spec);
        String status = Files.readString(Path.of("/proc/self/status"));
        assertTrue(status.contains("Uid:\t0\t0\t0\t0"), status);
        for (Path task : Files.list(Path.of("/proc/self/task")).toList()) {
            String t = Files.readString(task.resolve("status"));
            assertTrue(t.contains("Uid:\t0\t0\t0\t0"), "thread " + task + " lost root: " + t);
        }
    }

    @Test
    void workingDirectoryEnvironmentHostnameAndUmask() throws Exception {
        DockerLikeSpec spec = spec("sh", "-c", "pwd; echo foo=$FOO; hostname; umask");
        spec.cwd = "/var/work";
        spec.env.add("FOO=bar baz");
        spec.umask = 027;
        Started s = run(spec);
        assertEquals(List.of("/var/work", "foo=bar baz", "keeltest", "0027"), List.of(s.out().split("\n")));
    }

    @Test
    void rlimitsApplyToRootAndToUsers() throws Exception {
        for (long uid : new long[] {0, 1000}) {
            DockerLikeSpec spec = spec("sh", "-c", "ulimit -n; ulimit -Hn; ulimit -u");
            spec.uid = uid;
            spec.gid = uid;
            spec.rlimits.add(new Process.Rlimit("RLIMIT_NOFILE", 2048, 1024));
            spec.rlimits.add(new Process.Rlimit("RLIMIT_NPROC", 500, 400));
            Started s = run(spec);
            assertEquals(List.of("1024", "2048", "400"), List.of(s.out().split("\n")), "uid " + uid);
        }
    }

    @Test
    void anRlimitAboveWhatTheDaemonMayGrantFailsTheStart() throws Exception {
        long hard = Long.parseLong(Files.readString(Path.of("/proc/self/limits")).lines()
                .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow().trim().split("\\s+")[4]);
        DockerLikeSpec spec = spec("true");
        spec.rlimits.add(new Process.Rlimit("RLIMIT_NOFILE", hard * 1000, hard * 1000));
        boolean canRaise = Files.readString(Path.of("/proc/self/status")).lines()
                .filter(l -> l.startsWith("CapEff:")).map(l -> Long.parseLong(l.split("\\s+")[1], 16))
                .map(caps -> (caps & (1L << 24)) != 0).findFirst().orElse(false);
        if (canRaise) {
            // With CAP_SYS_RESOURCE the daemon may raise it: the container just gets it.
            Started s = run(spec);
            assertEquals(ExitStatus.code(0), s.awaitExit());
        } else {
            ContainerStartException e = assertThrows(ContainerStartException.class, () -> start(spec));
            assertTrue(e.getMessage().contains("error setting rlimit type 7: operation not permitted"),
                    e.getMessage());
        }
    }

    @Test
    void stdinIsAPipeWhenOpenedAndDevNullOtherwise() throws Exception {
        Started s = start(spec("sh", "-c", "cat; echo done"), false, true, 0, 0);
        s.container().stdin().write("hello through stdin\n".getBytes(StandardCharsets.UTF_8));
        s.container().stdin().close();
        assertEquals(ExitStatus.code(0), s.awaitExit());
        assertEquals("hello through stdin\ndone\n", s.out());

        Started quiet = run(spec("sh", "-c", "cat; readlink /proc/self/fd/0"));
        assertEquals("/dev/null\n", quiet.out());
    }

    @Test
    void aMissingExecutableFailsWithRuncsMessageAndLeavesNothingBehind() throws Exception {
        String mountsBefore = hostMountPoints();
        long childrenBefore = ProcessHandle.current().children().count();
        String id = newId();
        DockerLikeSpec spec = spec("no-such-program", "arg");
        spec.cgroupsPath = CGROUP_PARENT + "/" + id;
        Path bundle = spec.writeBundle(work.resolve(id), rootfs);
        Path state = Files.createDirectories(work.resolve(id + "-state"));
        ContainerStartException e = assertThrows(ContainerStartException.class, () -> runtime.start(
                new ContainerLaunch(id, bundle, state, new Stdio(false, false, work.resolve("o"), work.resolve("e"),
                        0, 0))));
        assertEquals("exec: \"no-such-program\": executable file not found in $PATH", e.getMessage());
        for (Path dir : CgroupDirs.of(spec.cgroupsPath)) {
            assertFalse(Files.exists(dir), "cgroup left behind: " + dir);
        }
        try (var files = Files.list(state)) {
            assertEquals(List.of(), files.toList());
        }
        assertEquals(mountsBefore, hostMountPoints());
        assertEquals(childrenBefore, ProcessHandle.current().children().count());
    }

    @Test
    void aDirectoryOrANonExecutableFileIsPermissionDenied() throws Exception {
        ContainerStartException dir = assertThrows(ContainerStartException.class, () -> start(spec("/etc")));
        assertEquals("exec: \"/etc\": permission denied", dir.getMessage());
        ContainerStartException file = assertThrows(ContainerStartException.class,
                () -> start(spec("/etc/passwd")));
        assertEquals("exec: \"/etc/passwd\": permission denied", file.getMessage());
        ContainerStartException missing = assertThrows(ContainerStartException.class,
                () -> start(spec("/bin/nothing")));
        assertEquals("exec: \"/bin/nothing\": stat /bin/nothing: no such file or directory", missing.getMessage());
    }

    @Test
    void theProcessHasItsOwnTimeNamespaceAndOomScoreAdjustment() throws Exception {
        DockerLikeSpec spec = spec("sh", "-c", "readlink /proc/self/ns/time; cat /proc/self/oom_score_adj");
        spec.oomScoreAdj = 500;
        String[] out = run(spec).out().split("\n");
        assertTrue(out[0].startsWith("time:["), out[0]);
        assertTrue(!out[0].equals(Files.readSymbolicLink(Path.of("/proc/self/ns/time")).toString()), out[0]);
        assertEquals("500", out[1]);
    }

    @Test
    void aFailureInsideTheContainerSetupLeavesNothingBehind() throws Exception {
        String mountsBefore = hostMountPoints();
        long childrenBefore = ProcessHandle.current().children().count();
        // a bind source that does not exist (launch thread), an unknown sysctl (pre-exec thread)
        DockerLikeSpec badBind = spec("true");
        badBind.mounts.add(new keel.engine.api.oci.Mount("/x", "bind", "/nonexistent/keel", List.of("rbind")));
        ContainerStartException e1 = assertThrows(ContainerStartException.class, () -> start(badBind));
        assertTrue(e1.getMessage().contains("/nonexistent/keel") && e1.getMessage().contains("no such file"),
                e1.getMessage());
        DockerLikeSpec badSysctl = spec("true");
        badSysctl.sysctl.put("net.keel.nonexistent", "1");
        ContainerStartException e2 = assertThrows(ContainerStartException.class, () -> start(badSysctl));
        assertTrue(e2.getMessage().contains("net.keel.nonexistent"), e2.getMessage());
        for (DockerLikeSpec s : List.of(badBind, badSysctl)) {
            for (Path dir : CgroupDirs.of(s.cgroupsPath)) {
                assertFalse(Files.exists(dir), "cgroup left behind: " + dir);
            }
        }
        assertEquals(mountsBefore, hostMountPoints());
        assertEquals(childrenBefore, ProcessHandle.current().children().count());
    }

    @Test
    void manyContainersStartInParallel() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<Started>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) {
                int n = i;
                futures.add(pool.submit(() -> startUnrecorded(spec("sh", "-c", "echo " + n + "; exit " + (n % 7)))));
            }
            for (int i = 0; i < futures.size(); i++) {
                Started s = futures.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
                synchronized (started) {
                    started.add(s);
                }
                assertEquals(ExitStatus.code(i % 7), s.awaitExit());
                assertEquals(i + "\n", s.out());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMissingWorkingDirectoryIsCreated() throws Exception {
        DockerLikeSpec spec = spec("pwd");
        spec.cwd = "/new/work/dir";
        assertEquals("/new/work/dir\n", run(spec).out());
    }

    static String hostMountPoints() throws Exception {
        return Files.readString(Path.of("/proc/self/mountinfo")).lines().map(l -> l.split(" ")[4]).sorted()
                .collect(Collectors.joining("\n"));
    }

    static void waitForOutput(Started s, String text) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!s.out().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + text + "\" in output: " + s.out() + s.err());
            }
            Thread.sleep(10);
        }
    }
}
