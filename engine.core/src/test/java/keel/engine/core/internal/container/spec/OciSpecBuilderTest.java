package keel.engine.core.internal.container.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ExecConfig;
import keel.engine.api.container.HostConfig;
import keel.engine.api.oci.Linux;
import keel.engine.api.oci.Mount;
import keel.engine.api.oci.Process;
import keel.engine.api.oci.Spec;

/** The spec builder's behaviour beyond the golden cases: modes, edge cases, errors, exec. */
class OciSpecBuilderTest {

    @TempDir
    Path tmp;

    SpecFixture fx;

    @BeforeEach
    void setUp() throws IOException {
        fx = new SpecFixture(tmp);
    }

    private Spec build(ContainerConfig c, SpecFixture.HostConfigBuilder hc) {
        return fx.builder().build(fx.request(c, hc.build()));
    }

    private Spec build(SpecFixture.HostConfigBuilder hc) {
        return build(SpecFixture.BUSYBOX, hc);
    }

    private static List<String> destinations(Spec s) {
        return s.mounts().stream().map(Mount::destination).toList();
    }

    private static Mount mount(Spec s, String dest) {
        return s.mounts().stream().filter(m -> m.destination().equals(dest)).findFirst().orElseThrow();
    }

    private static List<String> namespaceTypes(Spec s) {
        return s.linux().namespaces().stream().map(Linux.Namespace::type).toList();
    }

    @Test
    void startTimeFailuresAreSystemErrorsWithDockersText() {
        Failures.system("unknown capability: \"CAP_FOO\"", () -> build(SpecFixture.hostConfig().capAdd("foo")));
        Failures.system("no command specified",
                () -> build(ContainerConfig.builder().build(), SpecFixture.hostConfig()));
        Failures.system("unable to find user nobody2: no matching entries in passwd file",
                () -> build(SpecFixture.BUSYBOX.toBuilder().user("nobody2").build(), SpecFixture.hostConfig()));
    }

    @Test
    void emptyEntrypointMeansNone() {
        Spec s = build(SpecFixture.BUSYBOX.toBuilder().entrypoint(List.of("")).cmd(List.of("echo", "hi")).build(),
                SpecFixture.hostConfig());
        assertEquals(List.of("echo", "hi"), s.process().args());
        s = build(SpecFixture.BUSYBOX.toBuilder().entrypoint(List.of("/entry.sh", "-x")).build(),
                SpecFixture.hostConfig());
        assertEquals(List.of("/entry.sh", "-x", "sh"), s.process().args());
    }

    @Test
    void environmentReplacesInPlaceUnsetsAndKeepsAGivenHome() {
        Spec s = build(SpecFixture.BUSYBOX.toBuilder().user("4242").env(List.of("PATH=/bin", "HOSTNAME", "A=1",
                "HOME=/data", "A=2")).build(), SpecFixture.hostConfig());
        // Docker matches the container's entries against the daemon's only: a variable the image sets twice stays
        // twice (the last one wins in execve's consumers)
        assertEquals(List.of("PATH=/bin", "A=1", "HOME=/data", "A=2"), s.process().env());
        s = build(SpecFixture.BUSYBOX.toBuilder().user("4242").build(), SpecFixture.hostConfig());
        assertEquals("HOME=/", s.process().env().get(2), "an unknown uid's HOME is /, as runc sets it");
    }

    @Test
    void workingDirIsCreatedRootOwnedInsideTheRootfsOnly() throws IOException {
        Files.createSymbolicLink(fx.rootfs.resolve("escape"), tmp.resolve("host-side"));
        Spec s = build(SpecFixture.BUSYBOX.toBuilder().workingDir("/escape/app/./sub/").build(),
                SpecFixture.hostConfig());
        assertEquals("/escape/app/sub", s.process().cwd());
        assertFalse(Files.exists(tmp.resolve("host-side"), LinkOption.NOFOLLOW_LINKS),
                "a link in the image must not make the daemon create host directories");
        Path created = fx.rootfs.resolve(tmp.resolve("host-side").toString().substring(1)).resolve("app/sub");
        assertTrue(Files.isDirectory(created));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));
        assertEquals(0, Files.getAttribute(created, "unix:uid"));

        Files.writeString(fx.rootfs.resolve("file"), "x");
        Failures.system("Cannot mkdir: /file is not a directory",
                () -> build(SpecFixture.BUSYBOX.toBuilder().workingDir("/file").build(), SpecFixture.hostConfig()));
    }

    @Test
    void domainnameBecomesTheKernelSysctlAndUserSysctlsWin() {
        Spec s = build(SpecFixture.BUSYBOX.toBuilder().domainname("example.com").build(), SpecFixture.hostConfig()
                .sysctls(Map.of("net.ipv4.ip_unprivileged_port_start", "1024", "net.core.somaxconn", "1024")));
        assertEquals(Map.of("kernel.domainname", "example.com", "net.core.somaxconn", "1024",
                "net.ipv4.ip_unprivileged_port_start", "1024", "net.ipv4.ping_group_range", "0 2147483647"),
                s.linux().sysctl());
        assertNull(s.domainname());
    }

    @Test
    void cgroupV1SharesTheCgroupNamespaceAndKeepsMemoryKnobs() {
        OciSpecBuilder v1 = fx.builder(fx.facts().withCgroupVersion(1));
        Spec s = v1.build(fx.request(SpecFixture.BUSYBOX, SpecFixture.hostConfig().memory(64L << 20)
                .memorySwappiness(10).oomKillDisable(true).build()));
        assertEquals(List.of("mount", "network", "uts", "pid", "ipc"), namespaceTypes(s));
        assertEquals(new Linux.Memory(64L << 20, null, 128L << 20, 10L, true), s.linux().resources().memory());
        // on v2 both knobs do not exist and Docker drops them
        s = build(SpecFixture.hostConfig().memory(64L << 20).memorySwappiness(10).oomKillDisable(true));
        assertEquals(new Linux.Memory(64L << 20, null, 128L << 20, null, false), s.linux().resources().memory());
        // privileged on v1 shares the host's; an explicit mode always wins
        s = v1.build(fx.request(SpecFixture.BUSYBOX, SpecFixture.hostConfig().privileged().cgroupnsMode("private")
                .build()));
        assertTrue(namespaceTypes(s).contains("cgroup"));
    }

    @Test
    void memorySwapSemantics() {
        assertEquals(new Linux.Memory(64L << 20, null, null, null, false),
                build(SpecFixture.hostConfig().memory(64L << 20).memorySwap(-1)).linux().resources().memory());
        OciSpecBuilder noSwap = fx.builder(fx.facts().withSwapLimit(false));
        assertEquals(new Linux.Memory(64L << 20, null, null, null, false), noSwap.build(fx.request(
                SpecFixture.BUSYBOX, SpecFixture.hostConfig().memory(64L << 20).build())).linux().resources().memory());
        assertEquals(new Linux.Pids(-1), build(SpecFixture.hostConfig().pidsLimit(0)).linux().resources().pids());
        assertEquals(new Linux.Cpu(512L, 25_000L, 50_000L, null, "0"), build(SpecFixture.hostConfig().cpuShares(512)
                .cpuPeriod(50_000).cpuQuota(25_000).cpusetMems("0")).linux().resources().cpu());
    }

    @Test
    void namespaceModes() {
        Spec s = build(SpecFixture.hostConfig().ipcMode("host").pidMode("host").utsMode("host").init());
        assertEquals(List.of("mount", "network", "cgroup"), namespaceTypes(s));
        assertNull(s.hostname());
        assertEquals(List.of("sh"), s.process().args(), "no init without a PID namespace of the container's own");
        assertFalse(destinations(s).contains("/sbin/docker-init"));

        s = build(SpecFixture.hostConfig().ipcMode("none"));
        assertFalse(destinations(s).contains("/dev/shm"));
        assertTrue(namespaceTypes(s).contains("ipc"));

        s = fx.builder().build(fx.request(SpecFixture.BUSYBOX, SpecFixture.hostConfig().ipcMode("container:db")
                .pidMode("container:db").build()), new JoinedNamespaces(Path.of("/proc/42/ns/ipc"),
                        Path.of("/proc/42/ns/pid"), null, null));
        assertTrue(s.linux().namespaces().contains(new Linux.Namespace("ipc", "/proc/42/ns/ipc")));
        assertTrue(s.linux().namespaces().contains(new Linux.Namespace("pid", "/proc/42/ns/pid")));
        Failures.system("failed to join IPC namespace: container db is not running",
                () -> build(SpecFixture.hostConfig().ipcMode("container:db")));

        s = build(SpecFixture.BUSYBOX.toBuilder().networkDisabled(true).build(), SpecFixture.hostConfig());
        assertTrue(s.linux().namespaces().contains(new Linux.Namespace("network", null)));
    }

    @Test
    void shareableIpcMountsTheSharedShm() throws IOException {
        Path shm = tmp.resolve("shm");
        Files.createDirectories(shm);
        Spec s = fx.builder().build(fx.request(SpecFixture.BUSYBOX, SpecFixture.hostConfig().ipcMode("shareable")
                .build()), new JoinedNamespaces(null, null, shm, null));
        assertEquals(new Mount("/dev/shm", "bind", shm.toString(), List.of("rbind", "rprivate")), mount(s, "/dev/shm"));
        assertEquals(1, destinations(s).stream().filter("/dev/shm"::equals).count());
    }

    @Test
    void aUserDevMountReplacesEveryDefaultBelowDev() throws IOException {
        Files.createDirectories(tmp.resolve("devdir"));
        Spec s = build(SpecFixture.hostConfig().binds(tmp + "/devdir:/dev"));
        assertEquals(List.of("/proc", "/sys", "/sys/fs/cgroup", "/dev", "/etc/resolv.conf", "/etc/hostname",
                "/etc/hosts"), destinations(s));
    }

    @Test
    void aBindOverANetworkFileReplacesItsSource() throws IOException {
        Path hosts = tmp.resolve("my-hosts");
        Files.writeString(hosts, "1.2.3.4 x\n");
        Spec s = build(SpecFixture.hostConfig().binds(hosts + ":/etc/hosts:ro").readonlyRootfs());
        assertEquals(new Mount("/etc/hosts", "bind", hosts.toString(), List.of("rbind", "rro", "rprivate")),
                mount(s, "/etc/hosts"));
        assertEquals(List.of("rbind", "rro", "rprivate"), mount(s, "/etc/hostname").options());
        // without mount_setattr (kernel < 5.12) read-only binds are plain "ro", as Docker falls back
        s = fx.builder(fx.facts().withRecursiveReadOnly(false)).build(fx.request(SpecFixture.BUSYBOX,
                SpecFixture.hostConfig().binds(hosts + ":/etc/hosts:ro").build()));
        assertEquals(List.of("rbind", "ro", "rprivate"), mount(s, "/etc/hosts").options());
    }

    @Test
    void missingNetworkFilesAreSkipped() throws IOException {
        Files.delete(fx.containerDir.resolve("resolv.conf"));
        assertFalse(destinations(build(SpecFixture.hostConfig())).contains("/etc/resolv.conf"));
    }

    @Test
    void propagationNeedsAPropagatingSourceMount() throws IOException {
        Files.createDirectories(tmp.resolve("src"));
        OciSpecBuilder privateHost = new OciSpecBuilder(fx.facts(), DaemonDefaults.DOCKER, SpecFixture.devices(),
                SpecFixture.everythingPrivate());
        Failures.system("path " + fx.tmp + "/src is mounted on / but it is not a shared mount",
                () -> privateHost.build(fx.request(SpecFixture.BUSYBOX,
                        SpecFixture.hostConfig().binds(fx.tmp + "/src:/x:rshared").build())));
        Failures.system("path " + fx.tmp + "/src is mounted on / but it is not a shared or slave mount",
                () -> privateHost.build(fx.request(SpecFixture.BUSYBOX,
                        SpecFixture.hostConfig().binds(fx.tmp + "/src:/x:slave").build())));
        // the data root gets rslave without being asked, and falls back quietly where that cannot work
        Spec s = privateHost.build(fx.request(SpecFixture.BUSYBOX,
                SpecFixture.hostConfig().binds(fx.tmp + "/data-root:/keel").build()));
        assertEquals(List.of("rbind", "rslave"), mount(s, "/keel").options());
        assertNull(s.linux().rootfsPropagation());
        s = fx.builder().build(fx.request(SpecFixture.BUSYBOX,
                SpecFixture.hostConfig().binds(fx.tmp + "/data-root:/keel").build()));
        assertEquals("rslave", s.linux().rootfsPropagation());
    }

    @Test
    void devices() {
        Spec s = build(SpecFixture.hostConfig().devices(new HostConfig.DeviceMapping("/dev/fuse", "/dev/fuse", "rw"),
                new HostConfig.DeviceMapping("/dev/sda", "/dev/xvda", "")));
        assertEquals(List.of(new Linux.Device("c", "/dev/fuse", 10, 229, 0666, 0L, 0L),
                new Linux.Device("b", "/dev/xvda", 8, 0, 0660, 0L, 6L)), s.linux().devices());
        List<Linux.DeviceRule> rules = s.linux().resources().devices();
        assertEquals(10, rules.size());
        assertEquals(new Linux.DeviceRule(true, "c", 10L, 229L, "rw"), rules.get(8));
        assertEquals(new Linux.DeviceRule(true, "b", 8L, 0L, "rwm"), rules.get(9));
        Failures.system("error gathering device information while adding custom device \"/dev/nope\": lstat "
                + "/dev/nope: no such file or directory", () -> build(SpecFixture.hostConfig()
                        .devices(new HostConfig.DeviceMapping("/dev/nope", "/dev/nope", "rwm"))));
        // privileged: every host device, plus a mapped one only under another name
        s = build(SpecFixture.hostConfig().privileged().devices(
                new HostConfig.DeviceMapping("/dev/sda", "/dev/sda", "r"),
                new HostConfig.DeviceMapping("/dev/fuse", "/dev/f", "r")));
        assertEquals(List.of(SpecFixture.NULL_DEVICE, SpecFixture.SDA_DEVICE,
                new Linux.Device("c", "/dev/f", 10, 229, 0666, 0L, 0L)), s.linux().devices());
        assertEquals(List.of(new Linux.DeviceRule(true, null, null, null, "rwm")), s.linux().resources().devices());
    }

    @Test
    void maskedAndReadonlyPathsOverride() {
        Spec s = build(SpecFixture.hostConfig().maskedPaths("/proc/kcore").readonlyPaths());
        assertEquals(List.of("/proc/kcore"), s.linux().maskedPaths());
        assertNull(s.linux().readonlyPaths(), "an empty list (systempaths=unconfined) means none");
        s = build(SpecFixture.hostConfig().privileged().maskedPaths("/proc/kcore"));
        assertEquals(List.of("/proc/kcore"), s.linux().maskedPaths());
        OciSpecBuilder thermal = fx.builder(new HostFacts(2, 4, "0-3", "0", CapabilitySet.KNOWN, true,
                List.of("/sys/devices/system/cpu/cpu0/thermal_throttle"), true, true, true, "h", null, false));
        s = thermal.build(fx.request(SpecFixture.BUSYBOX, SpecFixture.hostConfig().build()));
        assertEquals("/sys/devices/system/cpu/cpu0/thermal_throttle",
                s.linux().maskedPaths().get(s.linux().maskedPaths().size() - 1));
    }

    @Test
    void securityOptions() {
        Spec s = build(SpecFixture.hostConfig().securityOpt("no-new-privileges", "seccomp=unconfined",
                "writable-cgroups"));
        assertEquals(Boolean.TRUE, s.process().noNewPrivileges());
        assertNull(s.linux().seccomp());
        assertEquals(List.of("nosuid", "noexec", "nodev"), mount(s, "/sys/fs/cgroup").options());
        s = build(SpecFixture.hostConfig().securityOpt("no-new-privileges:false"));
        assertNull(s.process().noNewPrivileges());
        OciSpecBuilder nnpDaemon = new OciSpecBuilder(fx.facts(), new DaemonDefaults(64L << 20, "private", null,
                false, true, List.of(new HostConfig.Ulimit("nofile", 1, 2), new HostConfig.Ulimit("core", 0, 0))),
                SpecFixture.devices(), SpecFixture.everythingShared());
        s = nnpDaemon.build(fx.request(SpecFixture.BUSYBOX,
                SpecFixture.hostConfig().ulimits(new HostConfig.Ulimit("nofile", 10, 20)).build()));
        assertEquals(Boolean.TRUE, s.process().noNewPrivileges());
        assertEquals(List.of(new Process.Rlimit("RLIMIT_NOFILE", 20, 10), new Process.Rlimit("RLIMIT_CORE", 0, 0)),
                s.process().rlimits(), "the container's ulimits first, then the daemon's for other names");
    }

    @Test
    void capAllAndDropAll() {
        Spec s = build(SpecFixture.hostConfig().capAdd("ALL").capDrop("NET_RAW", "cap_mknod"));
        assertEquals(39, s.process().capabilities().bounding().size());
        assertFalse(s.process().capabilities().bounding().contains("CAP_NET_RAW"));
        s = build(SpecFixture.hostConfig().capDrop("all").capAdd("chown"));
        assertEquals(List.of("CAP_CHOWN"), s.process().capabilities().effective());
        OciSpecBuilder limited = fx.builder(fx.facts().withCapabilities(CapabilitySet.DEFAULT));
        s = limited.build(fx.request(SpecFixture.BUSYBOX, SpecFixture.hostConfig().privileged().build()));
        assertEquals(CapabilitySet.DEFAULT.size(), s.process().capabilities().permitted().size(),
                "privileged gets what the daemon holds, not more");
    }

    @Test
    void hostnameDefaults() {
        OciSpecBuilder b = fx.builder();
        assertEquals("0123456789ab", b.hostnameOf(SpecFixture.ID, SpecFixture.BUSYBOX, HostConfig.EMPTY));
        assertEquals("keel-host", b.hostnameOf(SpecFixture.ID, SpecFixture.BUSYBOX,
                SpecFixture.hostConfig().networkMode("host").build()));
        assertEquals("web", b.hostnameOf(SpecFixture.ID, SpecFixture.BUSYBOX.toBuilder().hostname("web").build(),
                SpecFixture.hostConfig().networkMode("host").build()));
    }

    // ---- exec

    private ExecConfig exec(List<String> cmd, String user, boolean tty, boolean privileged, List<String> env) {
        return new ExecConfig(false, true, true, null, tty, env, cmd, privileged, user, null,
                tty ? List.of(30, 100) : null);
    }

    @Test
    void execProcessIsTheContainersWithTheExecsChanges() {
        ContainerConfig cfg = SpecFixture.BUSYBOX.toBuilder().env(List.of(
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APP=1")).workingDir("/srv")
                .tty(true).build();
        HostConfig hc = SpecFixture.hostConfig().groupAdd("audio").ulimits(new HostConfig.Ulimit("nofile", 1, 2))
                .securityOpt("no-new-privileges").build();
        Spec spec = fx.builder().build(fx.request(cfg, hc));
        Process p = fx.builder().execProcess(spec, exec(List.of("id"), "app", false, true, List.of("APP=2", "X=y")),
                fx.rootfs, cfg, hc);
        assertNull(p.terminal());
        assertEquals(List.of("id"), p.args());
        assertEquals(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOSTNAME=0123456789ab", "APP=2", "X=y", "HOME=/home/app"), p.env());
        assertEquals(new Process.User(1000, 1000, null, List.of(1000L, 1500L, 29L), null), p.user());
        assertEquals("/srv", p.cwd());
        assertEquals(41, p.capabilities().bounding().size());
        assertEquals(spec.process().rlimits(), p.rlimits());
        assertEquals(Boolean.TRUE, p.noNewPrivileges());
    }

    @Test
    void execFromTheSpecAloneMatchesExecWithTheConfig() {
        ContainerConfig cfg = SpecFixture.BUSYBOX.toBuilder().user("app").tty(true).build();
        HostConfig hc = SpecFixture.hostConfig().build();
        Spec spec = fx.builder().build(fx.request(cfg, hc));
        for (ExecConfig e : List.of(exec(List.of("sh"), null, false, false, null),
                exec(List.of("sh"), null, true, false, List.of("TERM=dumb")),
                exec(List.of("sh"), "root", false, false, List.of("A=b")),
                exec(List.of("ls", "/"), "4242:4242", true, true, null))) {
            assertEquals(fx.builder().execProcess(spec, e, fx.rootfs, cfg, hc),
                    fx.builder().execProcess(spec, e, fx.rootfs), e.toString());
        }
        Process root = fx.builder().execProcess(spec, exec(List.of("sh"), "root", false, false, null), fx.rootfs);
        assertTrue(root.env().contains("HOME=/root"), "HOME follows the exec's user: " + root.env());
        assertFalse(root.env().contains("TERM=xterm"), "no terminal, no TERM: " + root.env());
    }

    @Test
    void execErrors() {
        Spec spec = build(SpecFixture.hostConfig());
        Failures.invalid("unable to find user ghost: no matching entries in passwd file", () -> fx.builder()
                .execProcess(spec, exec(List.of("sh"), "ghost", false, false, null), fx.rootfs));
        Failures.invalid("No exec command specified", () -> fx.builder()
                .execProcess(spec, exec(List.of(), null, false, false, null), fx.rootfs));
    }
}
