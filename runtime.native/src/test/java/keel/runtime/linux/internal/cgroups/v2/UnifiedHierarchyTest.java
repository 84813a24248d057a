package keel.runtime.linux.internal.cgroups.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import keel.engine.api.oci.Linux;
import keel.runtime.linux.internal.cgroups.CgroupLayout;
import keel.runtime.linux.internal.rootfs.MountInfo;
import keel.runtime.linux.internal.syscall.JnrLinuxKernel;

/**
 * The v2 manager on the real kernel, in whatever cgroup2 hierarchy this host has (on a hybrid host, the one at
 * /sys/fs/cgroup/unified that carries no controllers): cgroup creation, moving a process, freezing, cgroup.kill,
 * removal, and the eBPF device program, which works on any v2 cgroup.
 */
class UnifiedHierarchyTest {

    private final Path unified = unified();
    private final String path = "/keel-test/v2-" + ProcessHandle.current().pid();
    private Process process;

    static Path unified() {
        try {
            Path u = CgroupLayout.detect(MountInfo.ofThisThread()).unified();
            assertNotNull(u, "this host mounts no cgroup2 hierarchy");
            return u;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Path leaf = unified.resolve(path.substring(1));
        for (Path p : List.of(leaf, leaf.getParent())) {
            if (Files.isDirectory(p)) {
                try {
                    JnrLinuxKernel.instance().rmdir(p.toString());
                } catch (Exception e) {
                    // another test's parent in use
                }
            }
        }
    }

    /** A host shell that waits for a line on stdin before it touches any device. */
    private Process waitingShell(String script) throws Exception {
        process = new ProcessBuilder("/bin/sh", "-c", "read go; " + script).redirectErrorStream(true).start();
        return process;
    }

    @Test
    void aProcessIsPlacedFrozenThawedKilledAndTheCgroupRemoved() throws Exception {
        CgroupV2Manager m = new CgroupV2Manager(JnrLinuxKernel.instance(), unified, path);
        m.create(null);
        Process p = waitingShell("sleep 60");
        m.addProcess(p.pid());
        assertEquals(List.of(p.pid()), m.pids());
        m.freeze();
        assertEquals("1", Files.readString(unified.resolve(path.substring(1)).resolve("cgroup.freeze")).trim());
        m.thaw();
        m.killAll();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue());
        assertTrue(m.destroy(Duration.ofSeconds(5)));
        assertFalse(Files.exists(unified.resolve(path.substring(1))));
    }

    @Test
    void theDeviceProgramDeniesWhatTheRulesDeny() throws Exception {
        CgroupV2Manager m = new CgroupV2Manager(JnrLinuxKernel.instance(), unified, path);
        // Docker's shape: deny everything, allow zero; /dev/kmsg (c 1:11) stays denied, /dev/null is allowed by
        // the defaults every container gets.
        m.create(new Linux.Resources(List.of(new Linux.DeviceRule(false, null, null, null, "rwm"),
                new Linux.DeviceRule(true, "c", 1L, 5L, "rwm")), null, null, null, null));
        Process p = waitingShell("head -c 1 /dev/zero > /dev/null && echo zero ok; "
                + "head -c 0 /dev/kmsg 2>/dev/null && echo kmsg ok || echo kmsg denied; echo x > /dev/null && "
                + "echo null ok");
        m.addProcess(p.pid());
        try (OutputStream in = p.getOutputStream()) {
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals("zero ok\nkmsg denied\nnull ok\n", out);
        // without the program, the same process may open /dev/kmsg
        Process free = new ProcessBuilder("/bin/sh", "-c", "head -c 0 /dev/kmsg && echo kmsg ok")
                .redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(free.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertEquals("kmsg ok", r.readLine());
        }
        free.waitFor();
        assertTrue(m.destroy(Duration.ofSeconds(5)));
    }
}
