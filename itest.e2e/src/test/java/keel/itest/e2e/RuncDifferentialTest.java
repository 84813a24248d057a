package keel.itest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The same container, run by Keel and by runc (Debian's, given the config.json Keel wrote): the process must
 * observe the same identity, capabilities, mounts, limits, hostname and exit code. This checks both the spec Keel
 * writes (it is a valid OCI bundle another runtime runs the same way) and Keel's own runtime against runc.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuncDifferentialTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the process reports; the mount list is reduced to mount point, type and ro/rw. */
    private static final String OBSERVE = "id; grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' /proc/self/status; "
            + "grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status; ulimit -a; hostname; cat /etc/hostname; pwd; "
            + "awk '{split($4,o,\",\"); print $2, $3, o[1]}' /proc/self/mounts | sort; ls /dev | sort; "
            + "cat /proc/self/oom_score_adj; umask; exit 7";

    KeelDaemon d;

    @BeforeAll
    void start() throws Exception {
        d = KeelDaemon.start();
        Images.loadBusybox(d);
    }

    @AfterAll
    void stop() throws Exception {
        d.close();
        // runc removes each container's cgroups; the parent the test named is the test's to remove.
        TestCgroups.remove("/keel-runc-diff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-u 1000:1000 --group-add 65534", "--cap-drop CHOWN --cap-add NET_ADMIN",
            "--read-only --tmpfs /run:rw,size=1m", "--memory 64m --pids-limit 50 --cpus 1",
            "--ulimit nofile=1024:2048 -w /tmp --hostname diff-host", "--security-opt no-new-privileges"})
    void keelAndRuncAgreeOnWhatTheProcessObserves(String flags) throws Exception {
        String name = "diff-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new java.util.ArrayList<>(List.of("run", "--name", name));
        if (!flags.isEmpty()) {
            args.addAll(List.of(flags.split(" ")));
        }
        if (!flags.contains("--hostname")) {
            // Both containers must have the same hostname; by default it would be each one's own ID.
            args.addAll(List.of("--hostname", "diff"));
        }
        args.addAll(List.of("busybox", "sh", "-c", OBSERVE));
        Cli.Result keel = Cli.docker(d, args.toArray(String[]::new));
        assertEquals(7, keel.exit(), keel.err());

        // The same container again, held in `sleep` so its bundle and mounted rootfs exist; runc runs the
        // observation with that config.json, only args, cgroup path and namespace paths adjusted.
        args.set(2, name + "-held");
        args.set(args.size() - 1, "sleep 300");
        args.add(1, "-d");
        Cli.docker(d, args.toArray(String[]::new)).ok();
        String id = Cli.docker(d, "inspect", "-f", "{{.Id}}", name + "-held").ok().out().trim();
        ObjectNode spec = (ObjectNode) JSON.readTree(d.execRoot.resolve("containers").resolve(id)
                .resolve("config.json").toFile());
        Path bundle = Files.createTempDirectory(d.root, "runc-");
        String runcId = "keel-diff-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            ArrayNode procArgs = ((ObjectNode) spec.get("process")).putArray("args");
            procArgs.add("sh").add("-c").add(OBSERVE);
            ((ObjectNode) spec.get("linux")).put("cgroupsPath", "/keel-runc-diff/" + runcId);
            Files.write(bundle.resolve("config.json"), JSON.writeValueAsBytes(spec));
            Process p = new ProcessBuilder("runc", "--root", d.root.resolve("runc-state").toString(), "run",
                    "--bundle", bundle.toString(), runcId).redirectInput(ProcessBuilder.Redirect.from(
                            new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(7, p.exitValue(), err);
            assertEquals(out, keel.out(), "Keel and runc differ for flags [" + flags + "]");
        } finally {
            new ProcessBuilder("runc", "--root", d.root.resolve("runc-state").toString(), "delete", "-f", runcId)
                    .redirectErrorStream(true).start().waitFor();
            Cli.docker(d, "rm", "-f", name, name + "-held");
        }
    }
}
