package keel.runtime.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import keel.engine.api.oci.Linux;
import keel.engine.api.oci.Mount;
import keel.engine.api.oci.Process;
import keel.engine.api.oci.Root;
import keel.engine.api.oci.Spec;

/**
 * A config.json as dockerd 28 writes it for {@code docker run busybox ...} (moby's oci.DefaultLinuxSpec plus what
 * the daemon adds): default mounts, the 14 default capabilities, masked and read-only paths, the device cgroup
 * rules, and the namespaces (no cgroup namespace, as on a cgroup v1 host). Fields can be changed before
 * {@link #writeBundle}.
 */
final class DockerLikeSpec {

    static final List<String> DEFAULT_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    static final List<String> MASKED = List.of("/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list",
            "/proc/timer_stats", "/sys/devices/virtual/powercap", "/sys/firmware");

    static final List<String> READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    List<String> args;
    List<String> env = new ArrayList<>(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOSTNAME=keeltest"));
    String cwd = "/";
    long uid = 0, gid = 0;
    List<Long> additionalGids = null;
    Integer umask = null;
    boolean terminal = false;
    List<String> caps = new ArrayList<>(DEFAULT_CAPS);
    List<Process.Rlimit> rlimits = new ArrayList<>();
    Boolean noNewPrivileges = null;
    Integer oomScoreAdj = 0;
    String hostname = "keeltest";
    boolean readonlyRoot = false;
    List<Mount> mounts = new ArrayList<>(defaultMounts());
    /** moby's defaults: a time namespace too when the kernel has them (5.6+); no cgroup namespace on v1. */
    List<Linux.Namespace> namespaces = new ArrayList<>(List.of(new Linux.Namespace("mount", null),
            new Linux.Namespace("network", null), new Linux.Namespace("time", null),
            new Linux.Namespace("uts", null), new Linux.Namespace("pid", null), new Linux.Namespace("ipc", null)));
    String cgroupsPath;
    Linux.Memory memory;
    Linux.Cpu cpu;
    Linux.Pids pids;
    List<Linux.DeviceRule> deviceRules = new ArrayList<>(defaultDeviceRules());
    List<Linux.Device> devices = new ArrayList<>();
    Map<String, String> sysctl = new LinkedHashMap<>();
    List<String> masked = new ArrayList<>(MASKED);
    List<String> readonly = new ArrayList<>(READONLY);
    String rootfsPropagation = null;

    DockerLikeSpec(String cgroupsPath, String... args) {
        this.cgroupsPath = cgroupsPath;
        this.args = List.of(args);
    }

    static List<Mount> defaultMounts() {
        return List.of(
                new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("ro", "nosuid", "noexec", "nodev")),
                new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777",
                        "size=67108864")));
    }

    static List<Linux.DeviceRule> defaultDeviceRules() {
        return List.of(new Linux.DeviceRule(false, null, null, null, "rwm"),
                new Linux.DeviceRule(true, "c", 1L, 5L, "rwm"), new Linux.DeviceRule(true, "c", 1L, 3L, "rwm"),
                new Linux.DeviceRule(true, "c", 1L, 9L, "rwm"), new Linux.DeviceRule(true, "c", 1L, 8L, "rwm"),
                new Linux.DeviceRule(true, "c", 5L, 0L, "rwm"), new Linux.DeviceRule(true, "c", 5L, 1L, "rwm"),
                new Linux.DeviceRule(false, "c", 10L, 229L, "rwm"));
    }

    Spec build(String rootPath) {
        Process process = new Process(terminal, null,
                new Process.User(uid, gid, umask, additionalGids, null), args, env, cwd,
                new Process.Capabilities(caps, caps, List.of(), caps, List.of()), rlimits, noNewPrivileges, null,
                oomScoreAdj, null);
        Linux linux = new Linux(null, null, sysctl.isEmpty() ? null : sysctl,
                new Linux.Resources(deviceRules, memory, cpu, pids, null), cgroupsPath, namespaces, devices, null,
                rootfsPropagation, masked, readonly, null);
        return new Spec(Spec.VERSION, process, new Root(rootPath, readonlyRoot), hostname, null, mounts, null, null,
                linux);
    }

    /** A bundle directory holding config.json whose root is the given (absolute) rootfs. */
    Path writeBundle(Path bundle, Path rootfs) throws IOException {
        Files.createDirectories(bundle);
        ObjectMapper json = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .enable(SerializationFeature.INDENT_OUTPUT);
        Files.write(bundle.resolve("config.json"), json.writeValueAsBytes(build(rootfs.toString())));
        return bundle;
    }
}
