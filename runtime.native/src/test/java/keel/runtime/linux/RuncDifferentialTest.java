package keel.runtime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import keel.engine.api.oci.Mount;
import keel.engine.api.oci.Process;
import keel.engine.api.runtime.ContainerLaunch;
import keel.engine.api.runtime.RunningContainer;
import keel.engine.api.runtime.Stdio;

/**
 * The same bundle run by Debian's runc (the reference dockerd uses) and by the native runtime: what the process
 * observes must be the same.
 */
class RuncDifferentialTest extends RuntimeFixture {

    static final Path RUNC = Path.of("/usr/sbin/runc");

    /** Prints what a process can observe about its container, then exits 5. */
    static final String PROBE = String.join("; ",
            "id", "grep -E '^(Cap|NoNewPrivs|Uid|Gid|Groups|Seccomp:)' /proc/self/status",
            "ulimit -a", "echo hostname=$(hostname)", "echo cwd=$(pwd)", "umask", "env | sort",
            "awk '{print $5, $9}' /proc/self/mountinfo | sort",
            "grep -E ' /(proc|sys|dev|dev/pts|dev/shm|dev/mqueue|sys/fs/cgroup|proc/sys|data)? ' /proc/self/mountinfo "
                    + "| awk '{print $5, substr($6,1,2)}' | sort",
            "ls -l /dev | awk '{print $1, $NF}' | sort", "ls /proc/self/fd",
            // Listed first, counted after: in "ls /proc | grep" grep may or may not exist yet when ls reads /proc.
            "p=$(ls /proc); echo \"$p\" | grep -cE '^[0-9]+$'",
            "cat /proc/sys/net/ipv4/ip_forward", "ls /sys/fs/cgroup", "exit 5");

    @Test
    void theProcessObservesTheSameContainerUnderRuncAndUnderTheNativeRuntime() throws Exception {
        Path data = Files.createDirectories(work.resolve("data"));
        DockerLikeSpec spec = spec("sh", "-c", PROBE);
        spec.uid = 1000;
        spec.gid = 1000;
        spec.additionalGids = List.of(1001L);
        spec.cwd = "/home/user";
        spec.umask = 0027;
        spec.rlimits.add(new Process.Rlimit("RLIMIT_NOFILE", 4096, 1024));
        spec.rlimits.add(new Process.Rlimit("RLIMIT_NPROC", 900, 800));
        spec.sysctl.put("net.ipv4.ip_forward", "1");
        spec.mounts.add(new Mount("/data", "bind", data.toString(), List.of("rbind", "ro", "rprivate")));
        spec.namespaces.removeIf(n -> n.type().equals("time")); // runc 1.1 predates time namespaces

        // runc
        String runcId = newId() + "-runc";
        spec.cgroupsPath = CGROUP_PARENT + "/" + runcId;
        Path runcBundle = spec.writeBundle(work.resolve("runc-bundle"), rootfs);
        Path runcOut = work.resolve("runc.out");
        Path runcErr = work.resolve("runc.err");
        java.lang.Process runc = new ProcessBuilder(RUNC.toString(), "--root", work.resolve("runc-root").toString(),
                "run", "--bundle", runcBundle.toString(), runcId)
                .redirectOutput(runcOut.toFile()).redirectError(runcErr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        assertTrue(runc.waitFor(60, TimeUnit.SECONDS), "runc did not finish");
        int runcCode = runc.exitValue();
        // runc removes its cgroups, but in hybrid mode it also makes the parent in the v2 hierarchy: ours to remove.
        for (Path dir : CgroupDirs.of(spec.cgroupsPath)) {
            Files.deleteIfExists(dir);
        }
        Path unified = CgroupDirs.layout().unified();
        if (unified != null && !CgroupDirs.layout().isV2()) {
            Files.deleteIfExists(unified.resolve(spec.cgroupsPath.substring(1)));
            Files.deleteIfExists(unified.resolve(CGROUP_PARENT.substring(1)));
        }

        // native
        String id = newId();
        spec.cgroupsPath = CGROUP_PARENT + "/" + id;
        Path bundle = spec.writeBundle(work.resolve("native-bundle"), rootfs);
        Path state = Files.createDirectories(work.resolve("native-state"));
        Path out = work.resolve("native.out");
        Path err = work.resolve("native.err");
        RunningContainer c = runtime.start(new ContainerLaunch(id, bundle, state,
                new Stdio(false, false, out, err, 0, 0)));
        started.add(new Started(id, c, bundle, state, out, err));
        int nativeCode = c.exit().toCompletableFuture().get(60, TimeUnit.SECONDS).exitCode();

        String expected = Files.readString(runcOut);
        String actual = Files.readString(out);
        assertTrue(expected.contains("uid=1000"), "runc did not run the probe: " + expected
                + Files.readString(runcErr));
        assertEquals(expected, actual, "runc's stderr: " + Files.readString(runcErr) + "\nours: "
                + Files.readString(err));
        assertEquals(Files.readString(runcErr), Files.readString(err));
        assertEquals(5, runcCode);
        assertEquals(runcCode, nativeCode);
    }
}
